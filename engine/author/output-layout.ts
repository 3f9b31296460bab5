/**
 * How a task's outputs are laid out: declared sockets, namespaces of sockets, and dynamic
 * outputs (every key of the returned object a socket of its own). A socket inside a namespace
 * is named by its path with dots: `stats.mean`.
 */
import { z } from "zod";
import * as messages from "../model/messages.js";

/** One level of outputs: the task's own, or a namespace's. */
export interface OutputLayout {
  /** Declared sockets of this level, with their schemas (undefined: any value). */
  readonly sockets: ReadonlyMap<string, z.ZodType | undefined>;
  /** Declared namespaces of this level. */
  readonly namespaces: ReadonlyMap<string, OutputLayout>;
  /** Whether every other key of the returned object is an output too. */
  readonly dynamic: boolean;
  /** The schema every dynamic output meets (a zod record's value schema). */
  readonly dynamicSchema: z.ZodType | undefined;
}

/** What a namespace may be declared as: names, `"dynamic"`, a zod record, or an object of members. */
export type OutputSpec =
  readonly string[] | "dynamic" | z.ZodRecord | { readonly [name: string]: z.ZodType | OutputSpec };

/** The layout of outputs that are every key of the returned object, with no schema. */
export const DYNAMIC_LAYOUT: OutputLayout = Object.freeze({
  sockets: new Map(),
  namespaces: new Map(),
  dynamic: true,
  dynamicSchema: undefined,
});

/** Reads an `outputs` option; a TypeError names the part that is neither names, a schema nor a namespace. */
export function parseOutputSpec(task: string, spec: unknown, path = ""): OutputLayout {
  if (spec === "dynamic") return DYNAMIC_LAYOUT;
  if (spec instanceof z.ZodRecord) {
    return { ...DYNAMIC_LAYOUT, dynamicSchema: spec.valueType as z.ZodType };
  }
  const sockets = new Map<string, z.ZodType | undefined>();
  const namespaces = new Map<string, OutputLayout>();
  const layout = { sockets, namespaces, dynamic: false, dynamicSchema: undefined };
  if (Array.isArray(spec)) {
    for (const name of spec as unknown[]) {
      if (typeof name !== "string" || name.length === 0 || name.includes(".")) {
        throw new TypeError(messages.badOutputName(task, path, name));
      }
      sockets.set(name, undefined);
    }
    return layout;
  }
  if (typeof spec !== "object" || spec === null || spec instanceof z.ZodType) {
    throw new TypeError(messages.badOutputSpec(task, path, describe(spec)));
  }
  for (const [name, member] of Object.entries(spec)) {
    if (name.length === 0 || name.includes(".")) {
      throw new TypeError(messages.badOutputName(task, path, name));
    }
    const at = path === "" ? name : `${path}.${name}`;
    if (member instanceof z.ZodType && !(member instanceof z.ZodRecord)) sockets.set(name, member);
    else namespaces.set(name, parseOutputSpec(task, member, at));
  }
  return layout;
}

function describe(value: unknown): string {
  if (value instanceof z.ZodType) return "a zod schema (only a zod record declares outputs)";
  return value === null ? "null" : typeof value === "string" ? `"${value}"` : typeof value;
}

/** The declared sockets, every level, by their dotted names. */
export function declaredSockets(layout: OutputLayout, prefix = ""): string[] {
  const names: string[] = [];
  for (const name of layout.sockets.keys()) names.push(prefix + name);
  for (const [name, inner] of layout.namespaces) {
    names.push(...declaredSockets(inner, `${prefix}${name}.`));
  }
  return names;
}

/** The sockets by dotted name, `*` for a dynamic level (`["stats.mean", "squares.*"]`). */
export function layoutText(layout: OutputLayout, prefix = ""): string[] {
  const names = declaredSockets(layout, prefix).filter((n) => !n.includes("*"));
  const dynamic = (level: OutputLayout, at: string): string[] => [
    ...(level.dynamic ? [`${at}*`] : []),
    ...[...level.namespaces].flatMap(([name, inner]) => dynamic(inner, `${at}${name}.`)),
  ];
  return [...names, ...dynamic(layout, prefix)];
}

/** Whether any level is dynamic. */
export function hasDynamic(layout: OutputLayout): boolean {
  return layout.dynamic || [...layout.namespaces.values()].some(hasDynamic);
}

/** Whether any socket or dynamic level carries a schema. */
export function hasSchemas(layout: OutputLayout): boolean {
  return (
    layout.dynamicSchema !== undefined ||
    [...layout.sockets.values()].some((s) => s !== undefined) ||
    [...layout.namespaces.values()].some(hasSchemas)
  );
}

/** The layout of the namespace named by a dotted path; undefined when it is a socket or unknown. */
export function namespaceAt(layout: OutputLayout, label: string): OutputLayout | undefined {
  let level: OutputLayout | undefined = layout;
  for (const key of label.split(".")) level = level?.namespaces.get(key);
  return level;
}

/**
 * What `outputs.<label>.<key>` is: the socket or namespace `<label>.<key>` (a string), or
 * `undefined` when `<label>` is a socket (then the key is a part of its value). A namespace
 * without the key that is not dynamic has no such output: `null`.
 */
export function memberOf(
  layout: OutputLayout,
  label: string,
  key: string,
): string | null | undefined {
  const level = label === "" ? layout : namespaceAt(layout, label);
  if (level === undefined) return undefined;
  const known = level.sockets.has(key) || level.namespaces.has(key) || level.dynamic;
  if (!known) return null;
  return label === "" ? key : `${label}.${key}`;
}

/** The names an output level offers, for messages. */
export function knownMembers(layout: OutputLayout, label: string): string[] {
  const level = label === "" ? layout : namespaceAt(layout, label);
  if (level === undefined) return [];
  return [...level.sockets.keys(), ...level.namespaces.keys()];
}

/** Every socket of a returned value, by dotted name: declared ones and the dynamic keys. */
export function socketsOf(layout: OutputLayout, value: unknown, prefix = ""): string[] {
  const names = [...layout.sockets.keys()].map((name) => prefix + name);
  const record = isRecord(value) ? value : {};
  for (const [name, inner] of layout.namespaces) {
    names.push(...socketsOf(inner, record[name], `${prefix}${name}.`));
  }
  if (layout.dynamic) {
    for (const key of Object.keys(record)) {
      if (!layout.sockets.has(key) && !layout.namespaces.has(key)) names.push(prefix + key);
    }
  }
  return names;
}

/**
 * Checks a returned value against a layout: an object, every declared socket present and valid,
 * dynamic keys without dots and valid. The problem found first: the output and what is wrong.
 */
export function checkLayout(
  task: string,
  layout: OutputLayout,
  value: unknown,
  prefix = "",
): { readonly output: string; readonly message: string } | undefined {
  const where = prefix === "" ? "(all)" : prefix.slice(0, -1);
  if (!isRecord(value)) {
    return { output: where, message: messages.outputsNotObject(task, where, shown(value)) };
  }
  for (const [name, schema] of layout.sockets) {
    const label = prefix + name;
    if (!(name in value)) return { output: label, message: messages.missingOutput(task, label) };
    const problem = schema === undefined ? undefined : violation(task, label, schema, value[name]);
    if (problem !== undefined) return problem;
  }
  for (const [name, inner] of layout.namespaces) {
    const label = prefix + name;
    if (!(name in value)) return { output: label, message: messages.missingOutput(task, label) };
    const problem = checkLayout(task, inner, value[name], `${label}.`);
    if (problem !== undefined) return problem;
  }
  if (!layout.dynamic) return undefined;
  for (const [key, member] of Object.entries(value)) {
    if (layout.sockets.has(key) || layout.namespaces.has(key)) continue;
    const label = prefix + key;
    if (key.includes(".")) return { output: label, message: messages.dottedOutputKey(task, label) };
    const schema = layout.dynamicSchema;
    const problem = schema === undefined ? undefined : violation(task, label, schema, member);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function violation(task: string, label: string, schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  const issue = result.error.issues[0]?.message ?? "invalid";
  return { output: label, message: messages.outputSchemaViolation(task, label, issue) };
}

function shown(value: unknown): string {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof value} ${value}`;
    case "string":
      return "a string";
    case "undefined":
      return "undefined";
    default:
      return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a socket's dotted name (an own key of that name first). */
export function valueAt(
  value: unknown,
  label: string,
): { readonly found: boolean; readonly value?: unknown } {
  if (isRecord(value) && Object.hasOwn(value, label)) return { found: true, value: value[label] };
  let at: unknown = value;
  for (const key of label.split(".")) {
    if (!isRecord(at) || !Object.hasOwn(at, key)) return { found: false };
    at = at[key];
  }
  return { found: true, value: at };
}

/** The object a set of sockets by dotted name stands for (stored outputs taken over). */
export function valueFromSockets(
  entries: Iterable<readonly [string, unknown]>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [label, value] of entries) {
    const keys = label.split(".");
    let level = out;
    for (const key of keys.slice(0, -1)) level = (level[key] ??= {}) as Record<string, unknown>;
    level[keys[keys.length - 1] as string] = value;
  }
  return out;
}
