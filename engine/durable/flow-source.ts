/**
 * A flow written in a notebook cell travels to the daemon as source: the flow's text and, for
 * each free identifier it (or a task or helper it uses) reads, what that name stands for: a
 * task (rebuilt there with its function's source and options), a helper function, plain
 * JSON data, or the `workgraph` module. Anything else (a socket, a live object, a closure
 * over cell state that is not data) is refused here, naming the identifier.
 */
import { parse, type Node } from "acorn";
import { analyze } from "periscopic";
import { TSLIB_HELPER_NAMES } from "../model/job-scope.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { UnsendableFlowError } from "./errors.js";
import * as messages from "./messages.js";
import type { FlowReference, SourceDefinition } from "./submission.js";

/** Looks a name up where the flow was defined (a notebook's cell variables). */
export type ScopeLookup = (name: string) => { readonly value: unknown } | undefined;

/**
 * Whether a value is the workgraph package (`""`) or one of its exports (its name): those are
 * taken from the package where the flow runs.
 */
export type PackageMember = (value: unknown) => string | undefined;

/** The object through which compiled cells read earlier cells' variables (`exports.add`). */
const CELL_SCOPE = "exports";

const GLOBALS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  ...TSLIB_HELPER_NAMES,
  "arguments",
  "require",
  "new",
]);

/** The source reference of `flow`, with every definition it uses; throws UnsendableFlowError. */
export function captureFlowSource(
  flow: (...args: never[]) => unknown,
  lookup: ScopeLookup,
  packageMember: PackageMember,
): FlowReference {
  return captureSource(
    flow.name || "flow",
    Function.prototype.toString.call(flow),
    lookup,
    packageMember,
  );
}

/** The source reference of a flow given as text (a generated flow), with what it uses. */
export function captureSource(
  flowName: string,
  text: string,
  lookup: ScopeLookup,
  packageMember: PackageMember,
): FlowReference {
  const definitions = new Map<string, SourceDefinition>();
  const pending: string[] = [];
  const readText = (name: string, fnText: string): string => {
    const { source, free } = rewrite(fnText, flowName, name);
    pending.push(...free);
    return source;
  };
  const read = (name: string, fn: (...args: never[]) => unknown): string =>
    readText(name, Function.prototype.toString.call(fn));
  const source = readText(flowName, text);
  for (let name = pending.shift(); name !== undefined; name = pending.shift()) {
    if (definitions.has(name) || name === flowName) continue;
    const found = lookup(name);
    if (found === undefined) {
      const module = /^(\w+?)_\d+$/.exec(name)?.[1];
      if (module !== undefined) {
        definitions.set(name, { name, kind: "module", source: module });
        continue;
      }
      throw new UnsendableFlowError(flowName, name, messages.unknownIdentifier(flowName, name));
    }
    definitions.set(name, describe(name, found.value, flowName, packageMember, read));
  }
  return { kind: "source", name: flowName, source, definitions: [...definitions.values()] };
}

function describe(
  name: string,
  value: unknown,
  flowName: string,
  packageMember: PackageMember,
  read: (name: string, fn: (...args: never[]) => unknown) => string,
): SourceDefinition {
  const member = packageMember(value);
  if (member !== undefined) {
    return { name, kind: "module", source: member === "" ? "workgraph" : `workgraph:${member}` };
  }
  if (typeof value === "function") {
    const definition = (value as { definition?: TaskDefinition }).definition;
    if (definition !== undefined && typeof definition.fn === "function") {
      if (definition.outputSchemas !== undefined || definition.inputSchema !== undefined) {
        throw new UnsendableFlowError(flowName, name, messages.taskWithSchemas(flowName, name));
      }
      if (definition.handlers !== undefined) {
        throw new UnsendableFlowError(flowName, name, messages.taskWithHandlers(flowName, name));
      }
      const shell = definition.shell;
      if (definition.kind === "shell" && shell !== undefined) {
        // a command travels as data: its name and the options it was made with
        const options = {
          name: definition.name,
          args: shell.args,
          okExitCodes: shell.okExitCodes,
          outputFiles: shell.outputFiles,
          env: shell.env,
          ...(definition.timeoutMs !== undefined ? { timeout: definition.timeoutMs } : {}),
          ...(definition.retries > 0 ? { retries: definition.retries } : {}),
        };
        return { name, kind: "shell", source: shell.command, options };
      }
      const options = {
        name: definition.name,
        ...(definition.outputSpec !== undefined ? { outputs: definition.outputSpec } : {}),
        ...(definition.timeoutMs !== undefined ? { timeout: definition.timeoutMs } : {}),
        ...(definition.retries > 0 ? { retries: definition.retries } : {}),
      };
      const kind = definition.kind === "job" ? "job" : "task";
      return { name, kind, source: read(name, definition.fn), options };
    }
    return { name, kind: "flow", source: read(name, value as (...args: never[]) => unknown) };
  }
  const json = jsonOf(value);
  if (json === undefined) {
    throw new UnsendableFlowError(
      flowName,
      name,
      messages.unsendableValue(flowName, name, whatIs(value)),
    );
  }
  return { name, kind: "value", source: json };
}

/** `value` as JSON when it survives the trip unchanged (plain data only), else undefined. */
function jsonOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value !== null && typeof value === "object") {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) {
      return undefined;
    }
  }
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return undefined;
    return JSON.stringify(JSON.parse(text)) === text && isPlain(value) ? text : undefined;
  } catch {
    return undefined;
  }
}

function isPlain(value: unknown): boolean {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return true;
  if (typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every(isPlain);
}

function whatIs(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value !== "object" || value === null) return typeof value;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name !== undefined && name !== "" ? `a ${name}` : "an object that is not plain data";
}

/**
 * Parses a function's text, turns `exports.X` (how a compiled cell reads an earlier cell's X)
 * into `X`, and returns the new text with the free identifiers it reads.
 */
function rewrite(text: string, flowName: string, name: string): { source: string; free: string[] } {
  const wrapped = `(${text}\n)`;
  let program: Node;
  try {
    program = parse(wrapped, { ecmaVersion: "latest", sourceType: "script" });
  } catch (error) {
    throw new UnsendableFlowError(
      flowName,
      name,
      messages.unparsableSource(name, error instanceof Error ? error.message : String(error)),
    );
  }
  const edits: { start: number; end: number; name: string }[] = [];
  visit(program, (node) => {
    const member = node as unknown as MemberLike;
    if (
      member.type === "MemberExpression" &&
      !member.computed &&
      member.object.type === "Identifier" &&
      member.object.name === CELL_SCOPE &&
      member.property.type === "Identifier"
    ) {
      edits.push({ start: member.start, end: member.end, name: member.property.name });
    }
  });
  let rewritten = wrapped;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    rewritten = rewritten.slice(0, edit.start) + edit.name + rewritten.slice(edit.end);
  }
  const source = rewritten.slice(1, -2);
  const reparsed = parse(`(${source}\n)`, { ecmaVersion: "latest", sourceType: "script" });
  const globals = analyze(reparsed as unknown as Parameters<typeof analyze>[0]).globals;
  const free = [...globals.keys()].filter((n) => !GLOBALS.has(n) || n === CELL_SCOPE);
  return { source, free: free.filter((n) => n !== CELL_SCOPE) };
}

interface MemberLike {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly computed: boolean;
  readonly object: { readonly type: string; readonly name?: string };
  readonly property: { readonly type: string; readonly name: string };
}

function visit(node: unknown, onNode: (node: Node) => void): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const child of node) visit(child, onNode);
    return;
  }
  if (typeof (node as { type?: unknown }).type === "string") onNode(node as Node);
  for (const [key, child] of Object.entries(node)) {
    if (key !== "type" && typeof child === "object") visit(child, onNode);
  }
}
