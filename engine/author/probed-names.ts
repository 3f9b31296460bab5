/**
 * The names libraries probe on any object (promises, JSON, test matchers, inspect): an object
 * of sockets answers them as a plain object would, never with an error or a socket.
 */

const PROBED_NAMES = [
  "toJSON",
  "then",
  "constructor",
  "asymmetricMatch",
  "nodeType",
  "$$typeof",
] as const;

/** A name libraries probe on any object. */
export type ProbedName = (typeof PROBED_NAMES)[number];

const PROBED: ReadonlySet<string> = new Set(PROBED_NAMES);

/** Whether `key` is a symbol or a name libraries probe on any object. */
export function isProbed(key: string | symbol): key is symbol | ProbedName {
  return typeof key === "symbol" || PROBED.has(key);
}
