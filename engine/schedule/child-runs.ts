/**
 * The child runs of a run: each call of a flow task is a run of its own, made when the task is
 * scheduled (so it can be cancelled before it starts), started with the task's inputs as its
 * input nodes, and ended with the parent's task.
 */
import { toDataNode, type DataNode } from "../model/data-node.js";
import type { RunState } from "../model/states.js";
import { namedArguments } from "../author/flow-task.js";
import { TaskSocket } from "../author/task-socket.js";
import type { RunOutcome } from "./run-outcome.js";
import type { TaskRun } from "./task-run.js";

/** What a parent needs of a child run (a `RunController`). */
export interface ChildRun {
  readonly pk: number;
  readonly state: RunState;
  readonly done: Promise<RunOutcome>;
  /** How the flow returned: an object of results, a single `result`, or nothing. */
  readonly resultShape: "object" | "single" | "none";
  /** Gives a child made before its inputs were known its input nodes. */
  bind(inputs: ReadonlyMap<string, DataNode>): void;
  start(): void;
  cancel(reason?: string): void;
  pause(): void;
  play(): void;
}

/** How a child ended, for its task: the value and output nodes, or the error. */
export type ChildSettle = (
  ok: boolean,
  value: unknown,
  nodes?: ReadonlyMap<string, DataNode>,
) => void;

/** The child run of each flow task of a run. */
export class ChildRuns {
  readonly #children = new Map<TaskRun, ChildRun>();

  constructor(
    private readonly make: (task: TaskRun) => ChildRun,
    /** The parent's input node a value the parent's flow received stands for. */
    private readonly parentInput: (value: unknown) => DataNode | undefined,
  ) {}

  /** Makes the child run of a flow task as it is scheduled; other tasks have none. */
  created(task: TaskRun): ChildRun | undefined {
    if (task.definition.kind !== "flow") return undefined;
    const child = this.make(task);
    this.#children.set(task, child);
    return child;
  }

  /** The child run of a flow task. */
  of(task: TaskRun): ChildRun | undefined {
    return this.#children.get(task);
  }

  /** Starts a flow task's child with its resolved arguments; settles when the child ends. */
  start(task: TaskRun, args: readonly unknown[], settle: ChildSettle): void {
    const child = this.#children.get(task);
    if (child === undefined) throw new Error(`Task ${task.name} has no child run`);
    const inputs = new Map<string, DataNode>();
    const given = namedArguments(task.definition, task.args);
    const bound = namedArguments(task.definition, args);
    bound.forEach(([name, value], i) => inputs.set(name, this.#inputNode(given[i]?.[1], value)));
    child.bind(inputs);
    child.start();
    void child.done.then((outcome) => {
      if (outcome.state !== "FINISHED" || outcome.results === undefined) {
        settle(false, outcome.error);
        return;
      }
      const nodes = new Map(Object.entries(outcome.results));
      if (child.resultShape === "object") {
        const value = Object.fromEntries([...nodes].map(([label, node]) => [label, node.value]));
        settle(true, value, nodes);
      } else {
        settle(true, nodes.get("result")?.value, nodes);
      }
    });
  }

  /** The node a child's input is: the parent's own node when one was passed, so lineage holds. */
  #inputNode(given: unknown, value: unknown): DataNode {
    if (given instanceof TaskSocket && given.path.length === 0 && given.state === "FINISHED") {
      return given.task.outputNode(given.name);
    }
    return this.parentInput(given) ?? toDataNode(value);
  }

  /** Does something to every child run (pause, play). */
  each(act: (child: ChildRun) => void): void {
    for (const child of this.#children.values()) act(child);
  }

  /** Cancels the child of a task that was stopped, skipped or killed. */
  cancel(task: TaskRun, reason: string): void {
    this.#children.get(task)?.cancel(reason);
  }
}
