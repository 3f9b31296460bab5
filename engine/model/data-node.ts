/**
 * Data nodes: values that entered the provenance store, each with a uuid and (once stored) a pk.
 * They behave as their values in arithmetic, comparison and string use, so a result node can
 * be used as the number or string it holds (flow parameters receive plain values).
 */
import { nodeUuid } from "./node-uuid.js";
import { inspect } from "node:util";
import { inspectSymbol, displaySymbol, type MimeBundle } from "./symbols.js";

/** The kinds of data node, after AiiDA's `orm` types. */
export type DataKind = "Int" | "Float" | "Str" | "Bool" | "List" | "Dict" | "Data";

/** A value in the store: immutable, with a uuid, and a pk once the store has taken it. */
export class DataNode<T = unknown> {
  readonly uuid: string = nodeUuid();
  /** Set by the store when the node is saved. */
  pk: number | undefined = undefined;

  constructor(
    readonly kind: DataKind,
    readonly value: T,
  ) {}

  /** The plain value, so `node + 1` and `node > 10` work. */
  valueOf(): T {
    return this.value;
  }

  [Symbol.toPrimitive](hint: string): unknown {
    const value: unknown = this.value;
    if (typeof value === "object" && value !== null) {
      return hint === "number" ? Number.NaN : JSON.stringify(value);
    }
    return hint === "string" ? String(value) : value;
  }

  toString(): string {
    return String(this[Symbol.toPrimitive]("string"));
  }

  toJSON(): T {
    return this.value;
  }

  /** `<Int: uuid: 6c2e… (pk: 12) value: 7>`, as AiiDA prints a node. */
  describe(): string {
    const pk = this.pk === undefined ? "unstored" : `pk: ${this.pk}`;
    return `<${this.kind}: uuid: ${this.uuid} (${pk}) value: ${inspect(this.value, { depth: 2, breakLength: Infinity })}>`;
  }

  [inspectSymbol](): string {
    return this.describe();
  }

  [displaySymbol](): MimeBundle {
    return { "text/plain": this.describe() };
  }
}

/** The kind a plain value is stored as. */
export function kindOf(value: unknown): DataKind {
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? "Int" : "Float";
    case "string":
      return "Str";
    case "boolean":
      return "Bool";
    case "object":
      if (Array.isArray(value)) return "List";
      if (value !== null && isPlainObject(value)) return "Dict";
      return "Data";
    default:
      return "Data";
  }
}

/** Whether a value is an object literal (not a class instance, array or null). */
export function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A data node for any value; a node is returned as it is. */
export function toDataNode<T>(value: T | DataNode<T>): DataNode<T> {
  return value instanceof DataNode ? value : new DataNode(kindOf(value), value);
}

function typed<T>(kind: DataKind, check: (v: unknown) => boolean, expected: string) {
  return (value: T): DataNode<T> => {
    if (!check(value)) {
      throw new TypeError(`orm.${kind} needs ${expected}, got ${inspect(value)}`);
    }
    return new DataNode(kind, value);
  };
}

/** Constructors of data nodes, named as in AiiDA: `orm.Int(3)`. */
export const orm = {
  Int: typed<number>("Int", (v) => Number.isInteger(v), "an integer"),
  Float: typed<number>("Float", (v) => typeof v === "number", "a number"),
  Str: typed<string>("Str", (v) => typeof v === "string", "a string"),
  Bool: typed<boolean>("Bool", (v) => typeof v === "boolean", "a boolean"),
  List: <T>(value: readonly T[]): DataNode<readonly T[]> =>
    typed<readonly T[]>("List", (v) => Array.isArray(v), "an array")(value),
  Dict: <T extends Record<string, unknown>>(value: T): DataNode<T> =>
    typed<T>(
      "Dict",
      (v) => typeof v === "object" && v !== null && isPlainObject(v),
      "a plain object",
    )(value),
} as const;
