/**
 * Values to MIME bundles. `text/plain` comes from `util.inspect`; an object with the
 * `Symbol.for("Jupyter.display")` method (Deno's convention) adds its own bundle.
 */
import { inspect } from "node:util";
import { displaySymbol, type MimeBundle } from "../../engine/index.js";
import type { DisplayContent } from "./cell-scope.js";

const mimeType = /^[\w.+-]+\/[\w.+-]+$/;

/** How a value prints as text. */
export function plainText(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 4, colors: false });
}

/** The bundle of an execute_result: `text/plain` plus the value's own bundle, if any. */
export function resultContent(value: unknown): DisplayContent {
  return {
    data: { "text/plain": inspect(value, { depth: 4 }), ...ownBundle(value) },
    metadata: {},
  };
}

/**
 * What `display(x)` shows: the value's own bundle, or `x` itself when it is a bundle (an object
 * whose keys are all MIME types), or its text.
 */
export function displayContent(
  value: unknown,
  metadata: Readonly<Record<string, unknown>> = {},
): DisplayContent {
  const own = ownBundle(value);
  if (own !== undefined) return { data: { "text/plain": plainText(value), ...own }, metadata };
  if (isMimeBundle(value)) return { data: value, metadata };
  return { data: { "text/plain": plainText(value) }, metadata };
}

/** Whether `value` is a plain object whose keys are all MIME types. */
export function isMimeBundle(value: unknown): value is MimeBundle {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => mimeType.test(key));
}

/** The bundle an object gives through the display symbol. */
function ownBundle(value: unknown): MimeBundle | undefined {
  if (typeof value !== "object" && typeof value !== "function") return undefined;
  if (value === null) return undefined;
  const method = (value as { [displaySymbol]?: unknown })[displaySymbol];
  if (typeof method !== "function") return undefined;
  const bundle: unknown = method.call(value);
  return isMimeBundle(bundle) ? bundle : undefined;
}

/** Splits a bundle into what can travel as JSON and the MIME types that cannot. */
export function jsonSafe(bundle: MimeBundle): { data: MimeBundle; dropped: string[] } {
  const data: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" || isJson(value)) data[mime] = value;
    else dropped.push(mime);
  }
  return { data, dropped };
}

function isJson(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}
