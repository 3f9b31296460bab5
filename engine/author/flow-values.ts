/**
 * What a flow's parameters receive: the values of the run's input nodes, as their types say
 * (arrays, objects, numbers, strings), and the side table that links tasks fed from them back
 * to those nodes.
 *
 * The rule, exactly:
 * - An array or plain object input reaches the flow as a read-only (deeply frozen) copy of its
 *   value. That very object, passed to a task (whole or inside an array or object argument),
 *   is linked to the input node: identity, so a copy (`[...items]`, `items.map(…)`) is a new
 *   value and stored as one. Other objects (a `Date`, a `Map`) reach the flow as themselves and
 *   are linked the same way.
 * - A number, string, boolean or bigint input reaches the flow as that primitive, which has no
 *   identity. Where the run stores such a value as a task input (a whole argument, or a part of
 *   one that holds futures), it links the input node holding the same value instead, when
 *   exactly one input of the run holds it; otherwise (none, or two inputs with that value) it
 *   stores a new node. A constant that happens to equal an input is thus linked to it.
 * - Where lineage must not depend on values, the flow passes the node itself:
 *   `inputNode("x")` gives the run's `DataNode` of input `x`, which tasks receive as its value.
 */
import { DataNode, isPlainObject } from "../model/data-node.js";

type Primitive = number | string | boolean | bigint;

function isLinkablePrimitive(value: unknown): value is Primitive {
  const type = typeof value;
  return type === "number" || type === "string" || type === "boolean" || type === "bigint";
}

/** The flow's values of a run's input nodes, and which node each came from. */
export class FlowInputValues {
  readonly #byObject = new WeakMap<object, DataNode>();
  /** A primitive's node; `null` when several inputs hold it. */
  readonly #byPrimitive = new Map<Primitive, DataNode | null>();
  readonly #values = new Map<string, unknown>();

  constructor(readonly nodes: ReadonlyMap<string, DataNode> = new Map()) {
    for (const [name, node] of nodes) this.#values.set(name, this.#valueOf(node));
  }

  /** The value the flow's parameter `name` receives. */
  value(name: string): unknown {
    return this.#values.get(name);
  }

  /** The input node of an object the flow received (by identity). */
  nodeOfObject(value: object): DataNode | undefined {
    return this.#byObject.get(value);
  }

  /** The one input node holding this primitive value, if exactly one does. */
  nodeOfPrimitive(value: unknown): DataNode | undefined {
    if (!isLinkablePrimitive(value)) return undefined;
    return this.#byPrimitive.get(value) ?? undefined;
  }

  /** The input node a value stands for: an input object, or a primitive one input holds. */
  nodeOf(value: unknown): DataNode | undefined {
    if (value instanceof DataNode) return value;
    if (typeof value === "object" && value !== null) return this.#byObject.get(value);
    return this.nodeOfPrimitive(value);
  }

  #valueOf(node: DataNode): unknown {
    const value: unknown = node.value;
    if (isLinkablePrimitive(value)) {
      this.#byPrimitive.set(value, this.#byPrimitive.has(value) ? null : node);
      return value;
    }
    if (typeof value !== "object" || value === null) return value;
    const copy =
      Array.isArray(value) || isPlainObject(value) ? (frozenCopy(value, 0) as object) : value;
    this.#byObject.set(copy, node);
    return copy;
  }
}

/** A deep copy of arrays and plain objects, frozen, with data nodes inside replaced by values. */
function frozenCopy(value: unknown, depth: number): unknown {
  if (value instanceof DataNode) return frozenCopy(value.value, depth);
  if (typeof value !== "object" || value === null || depth > 64) return value;
  if (Array.isArray(value)) {
    return Object.freeze(value.map((v: unknown) => frozenCopy(v, depth + 1)));
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = frozenCopy(v, depth + 1);
  return Object.freeze(out);
}
