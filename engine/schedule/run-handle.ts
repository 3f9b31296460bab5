/**
 * What `run()` returns: awaitable for the results, and a window on the run while it goes on
 * (`events$`, its tasks, `cancel()`).
 */
import { inspectSymbol, displaySymbol, type MimeBundle } from "../model/symbols.js";
import type { Observable } from "rxjs";
import type { DataNode } from "../model/data-node.js";
import type { EngineEvent, ReportLine } from "../model/events.js";
import type { RunState } from "../model/states.js";
import type { TaskHandle } from "../author/task-handle.js";
import type { TaskSocket } from "../author/task-socket.js";
import type { RunController, RunOutcome } from "./run-controller.js";
import { runGraph, type GraphTask, type RunGraph } from "./run-graph.js";

/** The data node a returned entry becomes. */
export type ResultNode<V> =
  V extends TaskSocket<infer T>
    ? DataNode<T>
    : V extends TaskHandle<infer T, infer _O>
      ? DataNode<T>
      : V extends DataNode<infer T>
        ? DataNode<T>
        : DataNode<V>;

/** The results of a flow that returned R: a plain object maps names to results. */
export type RunResults<R> = [R] extends [void | undefined]
  ? Record<string, never>
  : R extends TaskSocket<unknown> | TaskHandle<unknown, Record<string, unknown>> | DataNode
    ? { readonly result: ResultNode<R> }
    : R extends readonly unknown[] | string | number | boolean | bigint | null
      ? { readonly result: ResultNode<R> }
      : { readonly [K in keyof R]: ResultNode<R[K]> };

/** A run, while it goes on and after: await it for its results. */
export class Run<R = unknown> implements PromiseLike<RunResults<R>> {
  /** @internal */
  constructor(readonly controller: RunController) {}

  /** The run node's pk in the store. */
  get pk(): number {
    return this.controller.pk;
  }

  get uuid(): string {
    return this.controller.uuid;
  }

  get name(): string {
    return this.controller.name;
  }

  get state(): RunState {
    return this.controller.state;
  }

  /** Set when the run has ended: 0 when every task finished. */
  get exitCode(): number | undefined {
    return this.controller.exitCode;
  }

  /** Why the run did not finish, once it has ended EXCEPTED or KILLED. */
  get error(): unknown {
    return this.controller.error;
  }

  /** Every event of the run; completes when the run ends. Subscribe before the first await. */
  get events$(): Observable<EngineEvent> {
    return this.controller.events$;
  }

  /** The report lines so far. */
  get reports(): readonly ReportLine[] {
    return this.controller.reports;
  }

  /** The results as data nodes, once FINISHED. */
  get results(): RunResults<R> | undefined {
    return this.controller.results as RunResults<R> | undefined;
  }

  /** Which task socket each result came from: `{ sum: { task: "add", socket: "result" } }`. */
  get graphResults(): Readonly<Record<string, { task: string; socket: string }>> {
    return this.controller.graphResults;
  }

  /** The tasks so far, in call order, as a snapshot. */
  get tasks(): readonly GraphTask[] {
    return runGraph(this.controller).tasks;
  }

  /** A snapshot of the run's graph: tasks, edges, states, times, values. */
  graph(): RunGraph {
    return runGraph(this.controller);
  }

  /** Kills what runs (job processes included) and ends the run KILLED. */
  cancel(reason?: string): void {
    this.controller.cancel(reason);
  }

  /** Resolves when the run has ended, whatever the outcome, with how it ended; never rejects. */
  get done(): Promise<RunOutcome> {
    return this.controller.done;
  }

  then<A = RunResults<R>, B = never>(
    onFulfilled?: ((value: RunResults<R>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.controller.done
      .then((outcome) => {
        if (outcome.state !== "FINISHED") throw outcome.error;
        return outcome.results as RunResults<R>;
      })
      .then(onFulfilled, onRejected);
  }

  /** A one-line summary: `add_multiply (pk 3): FINISHED, 2 tasks, 2 FINISHED`. */
  summary(): string {
    const counts = new Map<string, number>();
    for (const task of this.controller.tasks)
      counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    const parts = [...counts].map(([state, n]) => `${n} ${state}`);
    const tasks = this.controller.tasks.length;
    return `${this.name} (pk ${this.pk}): ${this.state}, ${tasks} task${tasks === 1 ? "" : "s"}${parts.length > 0 ? `, ${parts.join(", ")}` : ""}`;
  }

  [inspectSymbol](): string {
    return `<Run ${this.summary()}>`;
  }

  [displaySymbol](): MimeBundle {
    return { "text/plain": this.summary() };
  }
}
