/** The types of what futures become once their tasks have finished. */
import type { DataNode } from "../model/data-node.js";
import type { TaskHandle } from "./task-handle.js";
import type { TaskSocket } from "./task-socket.js";

/** A value with every future in it (socket, handle, data node) replaced by its value. */
export type Resolved<V> =
  V extends TaskSocket<infer T>
    ? T
    : V extends TaskHandle<infer T, infer _O>
      ? T
      : V extends DataNode<infer T>
        ? T
        : V extends readonly unknown[]
          ? { -readonly [I in keyof V]: Resolved<V[I]> }
          : V extends Record<string, unknown>
            ? { [K in keyof V]: Resolved<V[K]> }
            : V;

/** The outputs of a flow called as a task: one per key of the object it returns. */
export type FlowOutputs<R> = R extends
  TaskSocket<unknown> | TaskHandle<unknown, Record<string, unknown>> | DataNode | readonly unknown[]
  ? Record<never, never>
  : R extends Record<string, unknown>
    ? { [K in keyof R]: Resolved<R[K]> }
    : Record<never, never>;
