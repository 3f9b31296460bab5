/**
 * The parameter names of a function, read from its source, so run inputs and task inputs can
 * be bound and labelled by name as keyword arguments are in Python.
 */
import { parseExpressionAt, type Node, type Pattern } from "acorn";

/** What a function's parameter list looks like. */
export interface ParameterList {
  /** One name per positional parameter (`arg0`… for destructured ones). */
  readonly names: readonly string[];
  /** Whether each parameter has a default value. */
  readonly optional: readonly boolean[];
  /** True when the only parameter is a destructured object: `({ x, y }) => …`. */
  readonly objectParameter: boolean;
  /** True when the last parameter is `...rest`. */
  readonly rest: boolean;
}

const cache = new WeakMap<object, ParameterList>();

/** Declares the parameter list of a generated function, whose source says nothing useful. */
export function declareParameters(fn: (...args: never[]) => unknown, list: ParameterList): void {
  cache.set(fn, list);
}

/** Reads the parameter list of a function from its source; falls back to `arg0…` names. */
export function parameterList(fn: (...args: never[]) => unknown): ParameterList {
  let list = cache.get(fn);
  if (list === undefined) {
    list = parse(fn) ?? fallback(fn.length);
    cache.set(fn, list);
  }
  return list;
}

type FunctionNode = Node & { params: Pattern[] };

/** Parses a function's source as an expression; method shorthand is rewritten to a function. */
export function parseFunctionSource(source: string): FunctionNode | undefined {
  for (const text of [source, `function ${source}`]) {
    try {
      const node = parseExpressionAt(`(${text})`, 0, { ecmaVersion: "latest" }) as Node;
      const inner =
        node.type === "ParenthesizedExpression"
          ? (node as Node & { expression: Node }).expression
          : node;
      if (
        inner.type === "FunctionExpression" ||
        inner.type === "ArrowFunctionExpression" ||
        inner.type === "ClassExpression"
      ) {
        return inner as FunctionNode;
      }
    } catch {
      // not this shape: try the next one
    }
  }
  return undefined;
}

function parse(fn: (...args: never[]) => unknown): ParameterList | undefined {
  const node = parseFunctionSource(Function.prototype.toString.call(fn));
  if (node === undefined || node.type === "ClassExpression") return undefined;
  const names: string[] = [];
  const optional: boolean[] = [];
  let rest = false;
  node.params.forEach((param, index) => {
    let target: Pattern = param;
    let hasDefault = false;
    if (target.type === "AssignmentPattern") {
      hasDefault = true;
      target = target.left;
    }
    if (target.type === "RestElement") {
      rest = true;
      target = target.argument;
    }
    names.push(target.type === "Identifier" ? target.name : `arg${index}`);
    optional.push(hasDefault || rest);
  });
  const only = node.params[0];
  const objectParameter =
    node.params.length === 1 &&
    only !== undefined &&
    (only.type === "ObjectPattern" ||
      (only.type === "AssignmentPattern" && only.left.type === "ObjectPattern"));
  return { names, optional, objectParameter, rest };
}

function fallback(length: number): ParameterList {
  const names = Array.from({ length }, (_, i) => `arg${i}`);
  return { names, optional: names.map(() => false), objectParameter: false, rest: false };
}
