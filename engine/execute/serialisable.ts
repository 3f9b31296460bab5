/**
 * Which values can be sent to (and back from) a job process. The IPC channel uses V8's
 * structured clone, which copies class instances as bare objects (a `net.Socket` would arrive
 * as a dead husk) and throws on functions and symbols; so we allow only plain data and name the
 * first thing that is not, with a path a user can read (`x.sock`, `x[2].f`).
 */
import { types } from "node:util";

/** Where a value stops being plain data, and what was found there. */
export interface Unserialisable {
  /** A JavaScript-like path from the root name, such as `x[2].f`. */
  readonly path: string;
  /** What was found, for a message: "a function", "a Socket instance", "a symbol". */
  readonly what: string;
}

/** Finds the first part of `value` a job process cannot receive, or undefined if all of it can. */
export function findUnserialisable(value: unknown, root = "value"): Unserialisable | undefined {
  if (!isReference(value) || isSendable(value)) return undefined;
  return locate(value, root);
}

/**
 * The common case, all of it sendable, without building a path for every value visited.
 * An explicit stack rather than recursion: a long linked list must not overflow the JS stack.
 */
function isSendable(value: unknown): boolean {
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    const kind = classify(current);
    if (typeof kind === "object") return false;
    // Cycles are fine: structured clone keeps them.
    if (kind === "leaf" || seen.has(current as object)) continue;
    seen.add(current as object);
    for (const child of children(current, kind)) if (isReference(child)) pending.push(child);
  }
  return true;
}

/** Where the first problem is, in reading order; only run once we know there is one. */
function locate(value: unknown, root: string): Unserialisable | undefined {
  const seen = new Set<object>();
  // Children go on the stack in reverse, so the first in reading order comes off first.
  const pending: { value: unknown; trail: Trail }[] = [{ value, trail: { root } }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { trail } = item;
    const kind = classify(item.value);
    if (typeof kind === "object") return { path: render(trail), what: kind.what };
    if (kind === "leaf" || seen.has(item.value as object)) continue;
    seen.add(item.value as object);
    const steps = stepsInto(item.value, kind);
    for (let i = steps.length - 1; i >= 0; i--) {
      const [child, step] = steps[i] as [unknown, Step];
      if (isReference(child)) pending.push({ value: child, trail: { up: trail, step } });
    }
  }
  return undefined;
}

type ContainerKind = "array" | "object" | "map" | "set";

function children(container: unknown, kind: ContainerKind): Iterable<unknown> {
  switch (kind) {
    case "array":
      return container as unknown[];
    case "object":
      return Object.values(container as Record<string, unknown>);
    case "map":
      return [...(container as Map<unknown, unknown>)].flat();
    case "set":
      return container as Set<unknown>;
  }
}

function stepsInto(container: unknown, kind: ContainerKind): [unknown, Step][] {
  switch (kind) {
    case "array":
      return (container as unknown[]).map((child, index) => [child, { index }]);
    case "object":
      return Object.entries(container as object).map(([key, child]) => [child, { key }]);
    case "map":
      return [...(container as Map<unknown, unknown>)].flatMap(([key, child], index) => [
        [key, { mapKeyIndex: index }],
        [child, { mapValueAt: key }],
      ]);
    case "set":
      return [...(container as Set<unknown>)].map((child, setIndex) => [child, { setIndex }]);
  }
}

type Step =
  | { readonly key: string }
  | { readonly index: number }
  | { readonly mapValueAt: unknown }
  | { readonly mapKeyIndex: number }
  | { readonly setIndex: number };

type Trail = { readonly root: string } | { readonly up: Trail; readonly step: Step };

type Kind = "leaf" | ContainerKind | { readonly what: string };

/** Whether a value may hold (or be) something unsendable; primitives never do. */
function isReference(value: unknown): boolean {
  const type = typeof value;
  return type === "object" ? value !== null : type === "function" || type === "symbol";
}

/** What to do with a value: nothing (a sendable leaf), look inside, or report it. */
function classify(value: unknown): Kind {
  if (typeof value === "function") {
    const isClass = /^class\b/.test(Function.prototype.toString.call(value));
    return { what: isClass ? "a class" : "a function" };
  }
  if (typeof value === "symbol") return { what: "a symbol" };
  if (typeof value !== "object" || value === null) return "leaf";
  // Before the prototype tests: a proxy answers them for its target, but V8 cannot clone it.
  if (types.isProxy(value)) return { what: "a Proxy" };
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return "object";
  if (Array.isArray(value)) return "array";
  if (types.isMap(value)) return "map";
  if (types.isSet(value)) return "set";
  if (
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isArrayBuffer(value) ||
    types.isArrayBufferView(value) ||
    types.isNativeError(value) ||
    (types.isBoxedPrimitive(value) && !types.isSymbolObject(value))
  ) {
    return "leaf";
  }
  // A plain object made in another realm (a vm context) has that realm's Object.prototype.
  if (Object.getPrototypeOf(proto) === null) return "object";
  return { what: describeInstance(value) };
}

function describeInstance(value: object): string {
  if (types.isPromise(value)) return "a Promise";
  if (types.isWeakMap(value)) return "a WeakMap";
  if (types.isWeakSet(value)) return "a WeakSet";
  if (types.isSharedArrayBuffer(value)) return "a SharedArrayBuffer";
  if (types.isGeneratorObject(value)) return "a generator";
  if (types.isSymbolObject(value)) return "a symbol";
  const name = constructorName(value);
  if (name === undefined) return "an object with a custom prototype";
  return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name} instance`;
}

function constructorName(value: object): string | undefined {
  try {
    const ctor: unknown = (value as { constructor?: unknown }).constructor;
    if (typeof ctor === "function" && ctor.name !== "") return ctor.name;
  } catch {
    // A throwing `constructor` getter still leaves a value we cannot send; just describe it less.
  }
  return undefined;
}

function render(trail: Trail): string {
  const steps: Step[] = [];
  let at = trail;
  while ("up" in at) {
    steps.push(at.step);
    at = at.up;
  }
  let path = at.root;
  for (let i = steps.length - 1; i >= 0; i--) path = extend(path, steps[i] as Step);
  return path;
}

function extend(base: string, step: Step): string {
  if ("key" in step) {
    return /^[A-Za-z_$][\w$]*$/.test(step.key)
      ? `${base}.${step.key}`
      : `${base}[${JSON.stringify(step.key)}]`;
  }
  if ("index" in step) return `${base}[${step.index}]`;
  if ("mapValueAt" in step) return `${base}.get(${keyText(step.mapValueAt)})`;
  if ("mapKeyIndex" in step) return `[...${base}.keys()][${step.mapKeyIndex}]`;
  return `[...${base}][${step.setIndex}]`;
}

function keyText(key: unknown): string {
  switch (typeof key) {
    case "string":
      return JSON.stringify(key);
    case "bigint":
      return `${key}n`;
    case "number":
    case "boolean":
    case "undefined":
      return String(key);
    default:
      return key === null ? "null" : "…";
  }
}
