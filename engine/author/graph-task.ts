/** The parts of a declarative graph: its tasks, their inputs and outputs, what links join. */
import { WorkgraphError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import type { TaskDefinition } from "./task-definition.js";
import { knownMembers, memberOf, namespaceAt, type OutputLayout } from "./output-layout.js";
import { isProbed } from "./probed-names.js";

/** An output of a graph's task, or an input of the graph itself: where a link starts. */
export class GraphSocket {
  constructor(
    /** The graph it belongs to. */
    readonly graph: string,
    /** The task whose output it is; undefined for an input of the graph. */
    readonly task: WorkGraphTask | undefined,
    readonly name: string,
  ) {}

  /** `add.result`, or `inputs.x` for an input of the graph. */
  get label(): string {
    return `${this.task?.name ?? "inputs"}.${this.name}`;
  }
}

/** An input of a graph's task: where a link ends. */
export class GraphInput {
  constructor(
    readonly task: WorkGraphTask,
    readonly name: string,
  ) {}

  /** `mul.x`. */
  get label(): string {
    return `${this.task.name}.${this.name}`;
  }
}

/** Sockets by name; a name the task does not have throws, naming the ones it has. */
function named<S>(
  task: string,
  known: () => readonly string[],
  make: (name: string) => S | undefined,
  unknown: (task: string, name: string, known: readonly string[]) => string,
): Readonly<Record<string, S>> {
  const made: Record<string, S> = {};
  return new Proxy(made, {
    get(target, key, receiver) {
      if (isProbed(key)) {
        return Reflect.get(target, key, receiver) as unknown;
      }
      const found = (target[key] ??= make(key) as S);
      if (found === undefined) {
        throw new WorkgraphError(unknown(task, key, known()));
      }
      return found;
    },
    ownKeys: () => [...known()],
    getOwnPropertyDescriptor: (_, key) =>
      typeof key === "string" && known().includes(key)
        ? { enumerable: true, configurable: true, value: make(key) }
        : undefined,
  });
}

/** A socket of a graph's task; an object-valued one may be a namespace of sockets. */
export type GraphOutput<V> =
  V extends Readonly<Record<string, unknown>>
    ? GraphSocket & { readonly [K in keyof V]: GraphOutput<V[K]> }
    : GraphSocket;

/** One task of a declarative graph: a task function with its given and linked inputs. */
export class WorkGraphTask<O extends Record<string, unknown> = Record<string, unknown>> {
  /** Each input by parameter name: the end of a link (`wg.addLink(a.outputs.result, b.inputs.x)`). */
  readonly inputs: Readonly<Record<string, GraphInput>>;
  /** Each output by name (`result`, declared ones; any name for dynamic outputs). */
  readonly outputs: { readonly result: GraphSocket } & {
    readonly [K in keyof O]: GraphOutput<O[K]>;
  };
  /** What each input gets: a value, a socket, or arrays and objects of them. */
  readonly given = new Map<string, unknown>();

  constructor(
    readonly graph: string,
    readonly id: number,
    readonly name: string,
    /** The task function's own name, shared by its calls. */
    readonly group: string,
    readonly definition: TaskDefinition,
  ) {
    const inputNames = this.inputNames;
    this.inputs = named(
      name,
      () => inputNames,
      (key) =>
        this.openInputs || inputNames.includes(key) ? new GraphInput(this, key) : undefined,
      messages.unknownTaskInput,
    );
    this.outputs = this.#outputLevel("") as WorkGraphTask<O>["outputs"];
  }

  /** The sockets of one level of outputs: the task's own (`result` too), or a namespace's. */
  #outputLevel(prefix: string): Readonly<Record<string, unknown>> {
    const layout = this.definition.outputLayout;
    const label = prefix === "" ? "" : prefix.slice(0, -1);
    const own = layout === undefined ? [] : knownMembers(layout, label);
    const known = prefix === "" ? ["result", ...own] : own;
    return named<unknown>(
      this.name,
      () => known,
      (key) => {
        if (prefix === "" && key === "result") return new GraphSocket(this.graph, this, key);
        const member = layout === undefined ? null : memberOf(layout, label, key);
        if (member === null || member === undefined) return undefined;
        const inner = namespaceAt(layout as OutputLayout, member);
        return inner !== undefined
          ? this.#outputLevel(`${member}.`)
          : new GraphSocket(this.graph, this, member);
      },
      (task, output, names) =>
        messages.unknownTaskOutput(
          task,
          prefix + output,
          names.map((n) => prefix + n),
        ),
    );
  }

  /** The names its inputs are given by: the parameters (a destructured object's keys are free). */
  get inputNames(): readonly string[] {
    const parameters = this.definition.parameters;
    return parameters.rest ? parameters.names.slice(0, -1) : parameters.names;
  }

  /** Whether any name is accepted as an input (a flow or task taking one destructured object). */
  get openInputs(): boolean {
    return this.definition.parameters.objectParameter;
  }

  /** The input named `name`, checked. */
  input(name: string): GraphInput {
    if (this.openInputs) return new GraphInput(this, name);
    const input = this.inputs[name];
    if (input === undefined) {
      throw new WorkgraphError(messages.unknownTaskInput(this.name, name, this.inputNames));
    }
    return input;
  }
}
