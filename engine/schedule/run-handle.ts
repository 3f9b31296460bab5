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
import {
  summaryLine,
  type GraphTask,
  type RunGraph,
  type TaskDetails,
} from "../model/run-graph.js";
import type { RunController } from "./run-controller.js";
import type { Resolved } from "../author/resolved.js";
import type { RunOutcome } from "./run-outcome.js";
import { runGraph, taskDetails } from "./run-graph.js";
import { drawGraph, GraphDrawing } from "../model/graph-drawing.js";

/** The data node a returned entry becomes (futures gathered in it are values). */
export type ResultNode<V> =
  V extends TaskSocket<infer T>
    ? DataNode<T>
    : V extends TaskHandle<infer T, infer _O>
      ? DataNode<T>
      : V extends DataNode<infer T>
        ? DataNode<T>
        : DataNode<Resolved<V>>;

/** The results of a flow that returned R: a plain object maps names to results. */
export type RunResults<R> = [R] extends [void | undefined]
  ? Record<string, never>
  : R extends TaskSocket<unknown> | TaskHandle<unknown, Record<string, unknown>> | DataNode
    ? { readonly result: ResultNode<R> }
    : R extends readonly unknown[] | string | number | boolean | bigint | null
      ? { readonly result: ResultNode<R> }
      : { readonly [K in keyof R]: ResultNode<R[K]> };

/** The handle of each child run asked for, so the same run is the same handle. */
const handles = new WeakMap<RunController, Run>();

/** A run, while it goes on and after: await it for its results. */
export class Run<R = unknown> implements Promise<RunResults<R>> {
  readonly #controller: RunController;

  /** @internal Runs are made by `run()`. */
  constructor(controller: RunController) {
    this.#controller = controller;
  }

  /** The run node's pk in the store. */
  get pk(): number {
    return this.#controller.pk;
  }

  /** The run node's uuid. */
  get uuid(): string {
    return this.#controller.uuid;
  }

  /** The run's name (the flow's, unless `run()` was given one). */
  get name(): string {
    return this.#controller.name;
  }

  /** CREATED, WAITING, RUNNING, then FINISHED, EXCEPTED or KILLED. */
  get state(): RunState {
    return this.#controller.state;
  }

  /** Set when the run has ended: 0 when every task finished. */
  get exitCode(): number | undefined {
    return this.#controller.exitCode;
  }

  /** Why the run did not finish, once it has ended EXCEPTED or KILLED. */
  get error(): unknown {
    return this.#controller.error;
  }

  /** Every event of the run; completes when the run ends. Subscribe before the first await. */
  get events$(): Observable<EngineEvent> {
    return this.#controller.events$;
  }

  /** The report lines so far. */
  get reports(): readonly ReportLine[] {
    return this.#controller.reports;
  }

  /** The results as data nodes, once FINISHED. */
  get results(): RunResults<R> | undefined {
    return this.#controller.results as RunResults<R> | undefined;
  }

  /** Which task socket each result came from: `{ sum: { task: "add", socket: "result" } }`. */
  get graphResults(): Readonly<Record<string, { task: string; socket: string }>> {
    return this.#controller.graphResults;
  }

  /** The tasks so far, in call order, as a snapshot. */
  get tasks(): readonly GraphTask[] {
    return runGraph(this.#controller).tasks;
  }

  /** A snapshot of the run's graph: tasks, edges, states, times, values. */
  graph(): RunGraph {
    return runGraph(this.#controller);
  }

  /** One task (by its place in call order) with its inputs, outputs and source. */
  task(id: number): TaskDetails | undefined {
    return taskDetails(this.#controller, id);
  }

  /**
   * The child run of a flow task (a nested flow or WorkGraph, by its place in call order): the
   * same handle each time; undefined for a task that is not a flow.
   */
  child(taskId: number): Run | undefined {
    const controller = this.#controller.childOf(taskId);
    if (controller === undefined) return undefined;
    let handle = handles.get(controller);
    if (handle === undefined) handles.set(controller, (handle = new Run(controller)));
    return handle;
  }

  /** When the run was created (ms since the epoch). */
  get createdAt(): number {
    return this.#controller.createdAt;
  }

  /** When the run ended (ms since the epoch), once it has. */
  get endedAt(): number | undefined {
    return this.#controller.endedAt;
  }

  /** Kills what runs (job processes included) and ends the run KILLED. */
  cancel(reason?: string): void {
    this.#controller.cancel(reason);
  }

  /** Whether the run is paused: no task starts until {@link play}. */
  get paused(): boolean {
    return this.#controller.paused;
  }

  /** No new task starts; running tasks finish and are recorded. */
  pause(): void {
    this.#controller.pause();
  }

  /** Ready tasks start again after {@link pause}. */
  play(): void {
    this.#controller.play();
  }

  /** Resolves when the run has ended, whatever the outcome, with how it ended; never rejects. */
  get done(): Promise<RunOutcome> {
    return this.#controller.done;
  }

  then<A = RunResults<R>, B = never>(
    onFulfilled?: ((value: RunResults<R>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#controller.done
      .then((outcome) => {
        if (outcome.state !== "FINISHED") throw outcome.error;
        return outcome.results as RunResults<R>;
      })
      .then(onFulfilled, onRejected);
  }

  /** Handles a run that did not finish, as `Promise.prototype.catch`. */
  catch<B = never>(
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<RunResults<R> | B> {
    return this.then(undefined, onRejected);
  }

  /** Runs `onFinally` when the run has ended, whatever the outcome, as `Promise.prototype.finally`. */
  finally(onFinally?: (() => void) | null): Promise<RunResults<R>> {
    return this.then().finally(onFinally);
  }

  /** `[object Run]`. */
  get [Symbol.toStringTag](): string {
    return "Run";
  }

  /** A one-line summary: `add_multiply (pk 3): FINISHED, 2 tasks, 2 FINISHED`. */
  summary(): string {
    return summaryLine({ name: this.name, pk: this.pk, state: this.state, tasks: this.tasks });
  }

  [inspectSymbol](): string {
    return `<Run ${this.summary()}>`;
  }

  /** Its DAG as a picture to display; the run itself displays as its DAG too. */
  dag(): GraphDrawing {
    return new GraphDrawing(() => this.graph(), "dag", this.summary());
  }

  /** Its timeline as a picture to display: `display(run.timeline())`. */
  timeline(): GraphDrawing {
    return new GraphDrawing(() => this.graph(), "timeline", this.summary());
  }

  /** Its DAG (Vega-Lite, SVG, PNG and text) where a kernel draws graphs; else its summary. */
  [displaySymbol](): MimeBundle | Promise<MimeBundle> {
    return drawGraph(this.graph(), "dag", this.summary());
  }
}
