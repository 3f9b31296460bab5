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
  if (!isReference(value)) return undefined;
  const seen = new Set<object>();
  // An explicit stack rather than recursion: a long linked list must not overflow the JS stack.
  const pending: { value: unknown; trail: Trail }[] = [{ value, trail: { root } }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { trail } = item;
    const found = classify(item.value);
    if (typeof found === "string") return { path: render(trail), what: found };
    if (found === undefined || seen.has(found.object)) continue;
    // Cycles are fine: structured clone keeps them.
    seen.add(found.object);
    const push = (child: unknown, step: Step) => {
      if (isReference(child)) pending.push({ value: child, trail: { up: trail, step } });
    };
    switch (found.kind) {
      case "array": {
        const array = found.object as unknown[];
        for (let i = array.length - 1; i >= 0; i--) push(array[i], { index: i });
        break;
      }
      case "object": {
        const record = found.object as Record<string, unknown>;
        const keys = Object.keys(record);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i] as string;
          push(record[key], { key });
        }
        break;
      }
      case "map": {
        const entries = [...(found.object as Map<unknown, unknown>)];
        for (let i = entries.length - 1; i >= 0; i--) {
          const [key, entry] = entries[i] as [unknown, unknown];
          push(entry, { mapValueAt: key });
          push(key, { mapKeyIndex: i });
        }
        break;
      }
      case "set": {
        const items = [...(found.object as Set<unknown>)];
        for (let i = items.length - 1; i >= 0; i--) push(items[i], { setIndex: i });
        break;
      }
    }
  }
  return undefined;
}

type Step =
  | { readonly key: string }
  | { readonly index: number }
  | { readonly mapValueAt: unknown }
  | { readonly mapKeyIndex: number }
  | { readonly setIndex: number };

type Trail = { readonly root: string } | { readonly up: Trail; readonly step: Step };

type Container = { kind: "array" | "object" | "map" | "set"; object: object };

/** Whether a value may hold (or be) something unsendable; primitives never do. */
function isReference(value: unknown): boolean {
  const type = typeof value;
  return type === "object" ? value !== null : type === "function" || type === "symbol";
}

/** A container to look inside, undefined for sendable leaves, or a description of the problem. */
function classify(value: unknown): Container | string | undefined {
  if (typeof value === "function") {
    return /^class\b/.test(Function.prototype.toString.call(value)) ? "a class" : "a function";
  }
  if (typeof value === "symbol") return "a symbol";
  if (typeof value !== "object" || value === null) return undefined;
  if (types.isProxy(value)) return "a Proxy";
  if (Array.isArray(value)) return { kind: "array", object: value };
  if (types.isMap(value)) return { kind: "map", object: value };
  if (types.isSet(value)) return { kind: "set", object: value };
  if (
    types.isDate(value) ||
    types.isRegExp(value) ||
    types.isArrayBuffer(value) ||
    types.isArrayBufferView(value) ||
    types.isNativeError(value) ||
    (types.isBoxedPrimitive(value) && !types.isSymbolObject(value))
  ) {
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  // The last test admits plain objects made in another realm (a vm context), whose
  // Object.prototype is not ours.
  if (proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null) {
    return { kind: "object", object: value };
  }
  return describeInstance(value);
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
