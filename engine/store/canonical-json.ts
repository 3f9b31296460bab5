/**
 * Canonical JSON: object keys sorted, so equal values give equal text (and equal hashes), and
 * the values JSON cannot hold (bigint, Date, Map, Set, undefined, NaN, bytes, cycles…) encoded
 * as tagged objects `{"$wg": tag, …}` so they round-trip. Encoding never throws: what cannot be
 * kept is stored as its printed form under the `opaque` tag.
 */
import { inspect } from "node:util";

/** The key that marks a tagged object. An object that has this key itself is wrapped. */
export const TAG = "$wg";

/** A value as JSON holds it. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const BYTES = {
  Uint8Array,
  Int8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

/** The canonical JSON text of any value. */
export function canonicalJson(value: unknown): string {
  // The common case (a number or a short string) skips building a tree.
  if (typeof value === "string" || typeof value === "boolean" || value === null) {
    return JSON.stringify(value);
  }
  if (typeof value === "number" && Number.isFinite(value) && !Object.is(value, -0)) {
    return String(value);
  }
  // Plain JSON with its keys already in order (a call's arguments mostly are) is its own
  // canonical form: checked without building anything, then stringified as it is.
  if (isCanonicalAsIs(value, 0)) return JSON.stringify(value);
  return JSON.stringify(encodeTagged(value));
}

/** Past this depth the check gives up (a cycle, or a tree better built once). */
const AS_IS_DEPTH = 32;

/**
 * Whether JSON.stringify gives `value`'s canonical text as it is: only finite numbers (not -0),
 * strings, booleans and null, in arrays without holes and plain objects whose keys are sorted
 * and none the tag key. Anything else (and a getter that throws) goes the tagged way.
 */
function isCanonicalAsIs(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= AS_IS_DEPTH) return false;
  try {
    if (Array.isArray(value)) {
      // JSON.stringify would call an array's toJSON; the tagged way does not.
      if ((value as { toJSON?: unknown }).toJSON !== undefined) return false;
      for (let i = 0; i < value.length; i++) {
        if (!(i in value) || !isCanonicalAsIs(value[i], depth + 1)) return false;
      }
      return true;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) return false;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (key === TAG || (i > 0 && !((keys[i - 1] as string) < key))) return false;
      if (!isCanonicalAsIs((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The value a canonical JSON text stands for. */
export function parseCanonicalJson(text: string): unknown {
  const tree = JSON.parse(text) as JsonValue;
  return text.includes(`"${TAG}"`) ? decodeTagged(tree) : tree;
}

/** A value as a JSON tree: keys sorted, the rest tagged. */
export function encodeTagged(value: unknown): JsonValue {
  try {
    return encode(value, new Set());
  } catch (error) {
    // Getters and proxies can throw; the value is still stored, as text.
    return tagged("opaque", { text: safeInspect(value), error: String(error) });
  }
}

/** The JSON text of a tree that is already tagged, with keys sorted (no tagging). */
export function stringifySorted(tree: JsonValue): string {
  return JSON.stringify(sortKeys(tree));
}

function sortKeys(tree: JsonValue): JsonValue {
  if (Array.isArray(tree)) return tree.map(sortKeys);
  if (tree === null || typeof tree !== "object") return tree;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(tree).sort()) out[key] = sortKeys(tree[key] as JsonValue);
  return out;
}

function tagged(tag: string, fields: Record<string, JsonValue> = {}): JsonValue {
  const out: Record<string, JsonValue> = { [TAG]: tag };
  for (const key of Object.keys(fields).sort()) out[key] = fields[key] as JsonValue;
  return out;
}

function encode(value: unknown, ancestors: Set<object>): JsonValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return tagged("number", { v: Object.is(value, -0) ? "-0" : String(value) });
    case "bigint":
      return tagged("bigint", { v: value.toString() });
    case "undefined":
      return tagged("undefined");
    case "function":
    case "symbol":
      return tagged("opaque", { text: safeInspect(value) });
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return tagged("cycle");
  ancestors.add(object);
  try {
    return encodeObject(object, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function encodeObject(object: object, ancestors: Set<object>): JsonValue {
  if (Array.isArray(object)) {
    const out: JsonValue[] = [];
    for (let i = 0; i < object.length; i++) out.push(encode(object[i], ancestors));
    return out;
  }
  if (object instanceof Date) {
    const time = object.getTime();
    return tagged("date", { v: Number.isNaN(time) ? null : object.toISOString() });
  }
  if (object instanceof Map) {
    const entries = [...object].map(([k, v]): JsonValue => [
      encode(k, ancestors),
      encode(v, ancestors),
    ]);
    return tagged("map", { v: entries });
  }
  if (object instanceof Set)
    return tagged("set", { v: [...object].map((v) => encode(v, ancestors)) });
  if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
    const bytes = Buffer.from(object.buffer, object.byteOffset, object.byteLength);
    const type = object instanceof Buffer ? "Uint8Array" : object.constructor.name;
    return tagged("bytes", { type, v: bytes.toString("base64") });
  }
  if (object instanceof Error) {
    return tagged("error", {
      name: object.name,
      message: object.message,
      ...(object.stack !== undefined ? { stack: object.stack } : {}),
    });
  }
  if (object instanceof RegExp) return tagged("regexp", { v: object.source, flags: object.flags });
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function")
    return encode((toJSON as () => unknown).call(object), ancestors);
  const fields: Record<string, JsonValue> = {};
  for (const key of Object.keys(object).sort()) {
    fields[key] = encode((object as Record<string, unknown>)[key], ancestors);
  }
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    const name = (object.constructor as { name?: unknown } | undefined)?.name;
    return tagged("instance", { class: typeof name === "string" ? name : "Object", v: fields });
  }
  return TAG in fields ? tagged("object", { v: fields }) : fields;
}

/** The value a tagged JSON tree stands for. */
export function decodeTagged(tree: JsonValue): unknown {
  if (tree === null || typeof tree !== "object") return tree;
  if (Array.isArray(tree)) return tree.map(decodeTagged);
  const tag = tree[TAG];
  return typeof tag === "string" ? decodeTag(tag, tree) : decodeFields(tree);
}

function decodeFields(fields: { [key: string]: JsonValue }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(fields)) out[key] = decodeTagged(v);
  return out;
}

/** A field of a tagged object as text. */
function text(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

function decodeTag(tag: string, tree: { [key: string]: JsonValue }): unknown {
  try {
    return decodeKnownTag(tag, tree);
  } catch {
    // A hand-edited archive may hold a malformed tag: keep the tree rather than fail a read.
    return tree;
  }
}

function decodeKnownTag(tag: string, tree: { [key: string]: JsonValue }): unknown {
  const v = tree.v;
  switch (tag) {
    case "number":
      return v === "-0" ? -0 : Number(v);
    case "bigint":
      return BigInt(text(v));
    case "undefined":
      return undefined;
    case "date":
      return new Date(typeof v === "string" ? v : Number.NaN);
    case "map":
      return new Map(
        (v as JsonValue[]).map((e) => (e as JsonValue[]).map(decodeTagged) as [unknown, unknown]),
      );
    case "set":
      return new Set((v as JsonValue[]).map(decodeTagged));
    case "bytes":
      return decodeBytes(text(tree.type), text(v));
    case "error":
      return decodeError(tree);
    case "regexp":
      return new RegExp(text(v), text(tree.flags));
    case "object":
    case "instance":
      // The fields may hold the tag key itself: decode them as fields, never as a tag.
      return decodeFields(v as Record<string, JsonValue>);
    case "cycle":
      return "[Circular]";
    default:
      // `opaque`, and tags of a newer version: the printed form is the best we have.
      return typeof tree.text === "string" ? tree.text : tree;
  }
}

function decodeBytes(type: string, base64: string): ArrayBufferView {
  const bytes = Buffer.from(base64, "base64");
  const copy = new Uint8Array(bytes).buffer;
  const View = BYTES[type as keyof typeof BYTES] ?? Uint8Array;
  return new View(copy, 0, copy.byteLength / View.BYTES_PER_ELEMENT);
}

function decodeError(tree: { [key: string]: JsonValue }): Error {
  const error = new Error(text(tree.message));
  error.name = text(tree.name);
  if (typeof tree.stack === "string") error.stack = tree.stack;
  return error;
}

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { depth: 2, breakLength: Infinity });
  } catch {
    return Object.prototype.toString.call(value);
  }
}
