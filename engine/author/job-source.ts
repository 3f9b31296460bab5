/**
 * A job runs in another process, which receives only the function's source text and its
 * inputs. A function that reads a variable from around it would fail there with a confusing
 * ReferenceError, so we read its source here and refuse it early, naming the variables.
 */
import { parse } from "acorn";
import { analyze } from "periscopic";
import * as messages from "../model/messages.js";
import { JobSourceError } from "../model/errors.js";
import { TSLIB_HELPER_NAMES, WORKER_SCOPE_NAMES } from "../model/job-scope.js";

type Reading =
  | { readonly source: string }
  | { readonly captured: readonly string[] }
  | { readonly refused: "native" | "class" }
  | { readonly unparsable: string };

/**
 * Names a worker knows without being told: its globals (a worker is a Node process like this
 * one, so ours stand for its) and what it injects into each job.
 */
const KNOWN_GLOBALS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  ...WORKER_SCOPE_NAMES,
  ...TSLIB_HELPER_NAMES,
  "arguments",
]);

// Per function object: a task's function is checked on every call, and parsing is not free.
const readings = new WeakMap<object, Reading>();

/** The source text a worker can compile for `fn`; throws JobSourceError if it has none or captures. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any callable may be handed in, bound and native ones included
export function checkJobSource(fn: Function, taskName: string): string {
  let reading = readings.get(fn);
  if (reading === undefined) {
    reading = read(Function.prototype.toString.call(fn));
    readings.set(fn, reading);
  }
  if ("source" in reading) return reading.source;
  if ("captured" in reading) {
    throw new JobSourceError(
      taskName,
      reading.captured,
      messages.capturesOuterVariables(taskName, reading.captured),
    );
  }
  if ("unparsable" in reading) {
    throw new JobSourceError(
      taskName,
      [],
      messages.unparsableJobSource(taskName, reading.unparsable),
    );
  }
  const message =
    reading.refused === "native"
      ? messages.nativeFunction(taskName)
      : messages.notAFunction("a class");
  throw new JobSourceError(taskName, [], message);
}

function read(text: string): Reading {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) return { refused: "native" };
  let source: string;
  let fn: FunctionNode | "class";
  try {
    ({ source, fn } = asFunctionExpression(text));
  } catch (error) {
    return { unparsable: error instanceof Error ? error.message : String(error) };
  }
  if (fn === "class") return { refused: "class" };
  // periscopic leaves two kinds of names unbound: `class Foo {}` used as an expression (its
  // name is in scope inside its body), and `new` of `new.target`.
  const classNames = /\bclass\b/.test(source) ? classExpressionNames(fn) : new Set<string>();
  const captured = [...analyze(fn as unknown as Parameters<typeof analyze>[0]).globals]
    .filter(([name]) => !KNOWN_GLOBALS.has(name) && !classNames.has(name) && name !== "new")
    .sort(([, a], [, b]) => startOf(a) - startOf(b))
    .map(([name]) => name);
  captured.push(...globalReads(fn));
  return captured.length > 0 ? { captured } : { source };
}

const GLOBAL_OBJECTS: ReadonlySet<string> = new Set(["globalThis", "global"]);

/**
 * `globalThis.x` (or `global["x"]`) where `x` is no global a worker has: in the caller's
 * process the function may have set it, in the worker it is undefined. Named like a capture.
 */
function globalReads(fn: object): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as Record<string, unknown> & { type?: unknown };
    if (n.type === "MemberExpression") {
      const object = n.object as { type?: string; name?: string } | undefined;
      const property = n.property as { type?: string; name?: string; value?: unknown } | undefined;
      const name =
        n.computed === true
          ? typeof property?.value === "string"
            ? property.value
            : undefined
          : property?.name;
      if (
        object?.type === "Identifier" &&
        GLOBAL_OBJECTS.has(object.name ?? "") &&
        name !== undefined &&
        !KNOWN_GLOBALS.has(name)
      ) {
        found.add(`${object.name}.${name}`);
      }
    }
    for (const key in n) if (key !== "type") visit(n[key]);
  };
  visit(fn);
  return [...found];
}

interface FunctionNode {
  readonly type: "FunctionExpression" | "ArrowFunctionExpression";
  readonly start: number;
  readonly end: number;
  readonly async: boolean;
  readonly generator: boolean;
}

/**
 * `fn.toString()` of a function or arrow is already an expression; that of a method
 * (`foo(x) {}`, `async *foo() {}`, `get foo() {}`, `#foo() {}`) is not, and becomes
 * `function foo(x) {}` so the worker can compile it like any other.
 */
function asFunctionExpression(text: string): { source: string; fn: FunctionNode | "class" } {
  const direct = tryParse(`(${text}\n)`);
  if (direct !== undefined) {
    const fn = soleExpression(direct);
    if (fn !== undefined) return { source: text, fn };
  }
  const method = methodParts(text);
  const prefix = `${method.async ? "async " : ""}function${method.generator ? "*" : ""}`;
  const named = `${prefix} ${method.name}${method.rest}`;
  const source = method.name !== "" && tryParse(`(${named}\n)`) ? named : `${prefix}${method.rest}`;
  const fn = soleExpression(parseOrThrow(`(${source}\n)`));
  if (fn === undefined || fn === "class") throw new Error("not a function");
  return { source, fn };
}

/** A method's name (empty when it is not a plain identifier), flags, and `(params) { body }`. */
function methodParts(text: string): {
  name: string;
  async: boolean;
  generator: boolean;
  rest: string;
} {
  for (const [open, close] of [
    ["({", "})"],
    ["(class {", "})"],
  ] as const) {
    const program = tryParse(`${open}${text}\n${close}`);
    const member = program === undefined ? undefined : firstMember(program);
    if (member === undefined) continue;
    const offset = open.length;
    const { key, value } = member;
    return {
      name: !member.computed && key.type === "Identifier" ? (key.name ?? "") : "",
      async: value.async,
      generator: value.generator,
      rest: text.slice(value.start - offset, value.end - offset),
    };
  }
  // Reparse the text as it came, for acorn's own description of what is wrong with it.
  parseOrThrow(`(${text}\n)`);
  throw new Error("not a function");
}

interface MemberNode {
  readonly computed: boolean;
  readonly key: { readonly type: string; readonly name?: string };
  readonly value: FunctionNode;
}

interface LooseNode {
  readonly type: string;
  readonly [field: string]: unknown;
}

function firstMember(program: LooseNode): MemberNode | undefined {
  const expression = soleStatementExpression(program);
  const members =
    expression?.type === "ObjectExpression"
      ? expression["properties"]
      : expression?.type === "ClassExpression"
        ? (expression["body"] as LooseNode)["body"]
        : undefined;
  if (!Array.isArray(members) || members.length !== 1) return undefined;
  const member = members[0] as LooseNode & Partial<MemberNode>;
  return member.value?.type === "FunctionExpression" ? (member as MemberNode) : undefined;
}

function soleExpression(program: LooseNode): FunctionNode | "class" | undefined {
  const expression = soleStatementExpression(program);
  if (expression?.type === "ClassExpression") return "class";
  if (expression?.type === "FunctionExpression" || expression?.type === "ArrowFunctionExpression") {
    return expression as unknown as FunctionNode;
  }
  return undefined;
}

function soleStatementExpression(program: LooseNode): LooseNode | undefined {
  const body = program["body"] as LooseNode[];
  const [statement] = body;
  if (body.length !== 1 || statement?.type !== "ExpressionStatement") return undefined;
  return statement["expression"] as LooseNode;
}

function tryParse(code: string): LooseNode | undefined {
  try {
    return parseOrThrow(code);
  } catch {
    return undefined;
  }
}

function parseOrThrow(code: string): LooseNode {
  return parse(code, { ecmaVersion: "latest" }) as unknown as LooseNode;
}

function classExpressionNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) classExpressionNames(child, names);
  } else if (typeof node === "object" && node !== null && "type" in node) {
    const { type, id } = node as LooseNode;
    if (type === "ClassExpression" && typeof id === "object" && id !== null) {
      names.add(String((id as { name?: unknown }).name));
    }
    for (const child of Object.values(node)) {
      if (typeof child === "object") classExpressionNames(child, names);
    }
  }
  return names;
}

function startOf(node: unknown): number {
  return (node as { start?: number }).start ?? 0;
}
