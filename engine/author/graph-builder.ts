/**
 * The declarative side: build a graph of tasks and links first, inspect and validate it, then
 * run it as a flow the engine generates from it (`WorkGraph.run()` in schedule/).
 */
import { GraphValidationError, WorkgraphError } from "../model/errors.js";
import { checkKnownKeys } from "../model/known-keys.js";
import * as messages from "../model/messages.js";
import { isPlainObject } from "../model/data-node.js";
import { declareParameters } from "./function-params.js";
import type { GraphEdge, StaticGraph } from "../model/run-graph.js";
import { displaySymbol, inspectSymbol, type MimeBundle } from "../model/symbols.js";
import { GraphInput, GraphSocket, WorkGraphTask } from "./graph-task.js";
import type { TaskHandle } from "./task-handle.js";
import type { TaskSocket } from "./task-socket.js";
import type { TaskDefinition } from "./task-definition.js";
import { callTask, task, type TaskFunction } from "./task.js";
import { inputNode } from "./input-node.js";
import { graphOrder, inputValue, linksOf, positional, type GraphLink } from "./graph-order.js";

/** Options of `addTask`. */
export interface AddTaskOptions {
  /** The task's name in the graph; defaults to the task's own, made unique. */
  readonly name?: string;
}

/** Draws graphs before they run; set by the views (the engine does not import them). */
let drawGraph: ((graph: StaticGraph) => MimeBundle | undefined) | undefined;

/** Lets the views draw a WorkGraph displayed in a notebook (`workgraph/plumbing`). */
export function setGraphDrawer(draw: (graph: StaticGraph) => MimeBundle | undefined): void {
  drawGraph = draw;
}

/** A graph of tasks built before it runs. */
export class GraphBuilder {
  readonly #tasks: WorkGraphTask[] = [];
  readonly #inputs = new Map<string, GraphSocket>();
  readonly #outputs = new Map<string, GraphSocket>();
  #flow:
    ((inputs: Readonly<Record<string, unknown>>) => Promise<Record<string, unknown>>) | undefined;
  /** The graph's own inputs: `wg.inputs.x` names one (it is made on first use). */
  readonly inputs: Readonly<Record<string, GraphSocket>>;

  constructor(readonly name: string) {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError("new WorkGraph(name) needs a non-empty name");
    }
    this.inputs = new Proxy(
      {},
      {
        get: (_, key) => (typeof key === "string" ? this.addInput(key) : undefined),
        ownKeys: () => [...this.#inputs.keys()],
        getOwnPropertyDescriptor: (_, key) => {
          const socket = typeof key === "string" ? this.#inputs.get(key) : undefined;
          return socket && { enumerable: true, configurable: true, value: socket };
        },
      },
    );
  }

  /** Declares an input of the graph (given to `run()` by name); the socket to link from. */
  addInput(name: string): GraphSocket {
    let socket = this.#inputs.get(name);
    if (socket === undefined) {
      socket = new GraphSocket(this.name, undefined, name);
      this.#inputs.set(name, socket);
    }
    return socket;
  }

  /**
   * Adds a task (`task()`, `task.job()`, `task.flow()`) or another WorkGraph (a child run)
   * with its inputs by name: values, sockets of other tasks, or arrays and objects of them.
   */
  addTask(
    what: GraphBuilder,
    inputs?: Readonly<Record<string, unknown>>,
    options?: AddTaskOptions,
  ): WorkGraphTask;
  addTask<O extends Record<string, unknown> = Record<never, never>>(
    what: TaskFunction<never, unknown, O>,
    inputs?: Readonly<Record<string, unknown>>,
    options?: AddTaskOptions,
  ): WorkGraphTask<O>;
  addTask<O extends Record<string, unknown> = Record<never, never>>(
    what: TaskFunction<never, unknown, O> | GraphBuilder,
    inputs: Readonly<Record<string, unknown>> = {},
    options: AddTaskOptions = {},
  ): WorkGraphTask<O> {
    checkKnownKeys(`addTask of ${this.name}`, options, ["name"]);
    let definition: TaskDefinition;
    if (what instanceof GraphBuilder) {
      definition = task.flow(what.toFlow(), { name: what.name }).definition;
    } else if (typeof what === "function" && "definition" in what) {
      definition = what.definition;
    } else {
      throw new TypeError(messages.notATaskFunction(typeof what));
    }
    const group = definition.name;
    const name = options.name ?? this.#uniqueName(group);
    if (this.#tasks.some((t) => t.name === name)) {
      throw new WorkgraphError(messages.duplicateTaskName(this.name, name));
    }
    // the run calls it by its name in the graph
    if (name !== group) definition = { ...definition, name };
    const node = new WorkGraphTask<O>(this.name, this.#tasks.length, name, group, definition);
    for (const [key, value] of Object.entries(inputs)) {
      this.#checkSockets(value);
      node.given.set(node.input(key).name, value);
    }
    this.#tasks.push(node);
    return node;
  }

  /** Links an output (or a graph input) to a task's input. */
  addLink(from: GraphSocket | undefined, to: GraphInput | undefined): void {
    if (!(from instanceof GraphSocket) || !(to instanceof GraphInput)) {
      throw new TypeError("addLink(from, to) needs an output socket and a task input");
    }
    this.#checkSockets(from);
    this.#checkSockets(to.task.outputs.result);
    if (to.task.given.has(to.name)) {
      throw new WorkgraphError(messages.inputTwice(to.task.name, to.name));
    }
    to.task.given.set(to.name, from);
  }

  /** Makes an output (or a graph input) an output of the graph, named `name`. */
  addOutput(name: string, from: GraphSocket | undefined): void {
    if (!(from instanceof GraphSocket)) throw new TypeError("addOutput(name, from) needs a socket");
    this.#checkSockets(from);
    this.#outputs.set(name, from);
  }

  /** The tasks, in the order they were added. */
  get tasks(): readonly WorkGraphTask[] {
    return this.#tasks;
  }

  /** Every link: the sockets given as inputs, also inside arrays and objects. */
  get links(): readonly GraphLink[] {
    return this.#tasks.flatMap(linksOf);
  }

  /** The graph's outputs by name. */
  get outputs(): ReadonlyMap<string, GraphSocket> {
    return this.#outputs;
  }

  /** Throws a {@link GraphValidationError} naming every problem: cycles, missing inputs. */
  validate(inputs?: Readonly<Record<string, unknown>>): void {
    const problems: string[] = [];
    for (const task of this.#tasks) {
      if (task.openInputs) continue;
      task.inputNames.forEach((input, i) => {
        if (!task.given.has(input) && task.definition.parameters.optional[i] !== true) {
          problems.push(messages.missingTaskInput(task.name, input));
        }
      });
    }
    const cycle = graphOrder(this.#tasks).cycle;
    if (cycle !== undefined) problems.push(messages.graphCycle(cycle));
    if (inputs !== undefined) {
      for (const name of this.#inputs.keys()) {
        if (!(name in inputs)) problems.push(`the graph input "${name}" was not given`);
      }
      for (const name of Object.keys(inputs)) {
        if (!this.#inputs.has(name)) {
          problems.push(
            `the graph has no input "${name}"; its inputs are: ${[...this.#inputs.keys()].join(", ") || "(none)"}`,
          );
        }
      }
    }
    if (problems.length > 0) throw new GraphValidationError(this.name, problems);
  }

  /** The flow that runs this graph: each task called in order, its inputs from its links. */
  toFlow(): (inputs: Readonly<Record<string, unknown>>) => Promise<Record<string, unknown>> {
    if (this.#flow !== undefined) return this.#flow;
    const flow = async ({ ...inputs }: Readonly<Record<string, unknown>>) => {
      this.validate(inputs);
      const handles = new Map<WorkGraphTask, TaskHandle<unknown, Record<string, unknown>>>();
      const socketValue = (socket: GraphSocket): unknown => {
        // the graph's input node itself, so the link holds whatever the value
        if (socket.task === undefined) return inputNode(socket.name);
        const handle = handles.get(socket.task) as TaskHandle<unknown, Record<string, unknown>>;
        if (socket.name === "result") return handle.result;
        // a socket in a namespace: `stats.mean` is `outputs.stats.mean`
        const [first, ...rest] = socket.name.split(".");
        return (handle.outputs[first as string] as TaskSocket).part(...rest);
      };
      for (const task of graphOrder(this.#tasks).order) {
        const named = new Map<string, unknown>();
        for (const [key, value] of task.given) named.set(key, inputValue(value, socketValue));
        handles.set(task, callTask(task.definition, positional(task, named)));
      }
      const results: Record<string, unknown> = {};
      for (const [name, socket] of this.#outputs) results[name] = socketValue(socket);
      return Promise.resolve(results);
    };
    Object.defineProperty(flow, "name", { value: this.name });
    // one object of named inputs, whatever the compiler made of the destructuring
    const names = [...this.#inputs.keys()];
    declareParameters(flow, {
      names,
      optional: names.map(() => false),
      objectParameter: true,
      rest: false,
    });
    return (this.#flow = flow);
  }

  /** The graph as the views draw it: every task PLANNED. */
  graph(): StaticGraph {
    const edges: GraphEdge[] = this.links
      .filter((l) => l.from.task !== undefined)
      .map((l) => ({
        from: (l.from.task as WorkGraphTask).id,
        to: l.to.task.id,
        socket: l.from.name,
        input: l.path,
      }));
    const tasks = this.#tasks.map((t) => ({
      id: t.id,
      name: t.name,
      group: t.group,
      kind: t.definition.kind,
      state: "PLANNED" as const,
    }));
    return { name: this.name, tasks, edges };
  }

  #uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.#tasks.some((t) => t.name === name); i++) name = `${base}${i}`;
    return name;
  }

  #checkSockets(value: unknown, depth = 0): void {
    if (value instanceof GraphSocket && value.graph !== this.name) {
      throw new WorkgraphError(messages.foreignSocket(this.name, value.label));
    }
    if (depth > 32 || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) for (const v of value) this.#checkSockets(v, depth + 1);
    else if (isPlainObject(value)) {
      for (const v of Object.values(value)) this.#checkSockets(v, depth + 1);
    }
  }

  /** `WorkGraph add_multiply: 2 tasks, 1 link`. */
  summary(): string {
    const n = this.#tasks.length;
    const l = this.links.length;
    return `WorkGraph ${this.name}: ${n} task${n === 1 ? "" : "s"}, ${l} link${l === 1 ? "" : "s"}`;
  }

  [inspectSymbol](): string {
    return `<${this.summary()}>`;
  }

  [displaySymbol](): MimeBundle {
    return { "text/plain": this.summary(), ...drawGraph?.(this.graph()) };
  }
}
