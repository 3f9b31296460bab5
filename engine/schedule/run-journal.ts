/**
 * What a run writes down: nodes and links in the provenance store, report lines
 * (`run-reports.ts`), and the events on `events$` (`run-events.ts`). The controller decides;
 * the journal keeps every trace of it consistent.
 */
import { nodeUuid } from "../model/node-uuid.js";
import { Subject, type Observable } from "rxjs";
import { toDataNode, type DataNode } from "../model/data-node.js";
import { serialiseError } from "../model/error-serialisation.js";
import type { EngineEvent, ReportLine } from "../model/events.js";
import { isTerminalRun, type RunState, type TaskState } from "../model/states.js";
import type { ProcessUpdate, ProvenanceStore } from "../store/store.js";
import type { TaskDefinition } from "../author/task-definition.js";
import type { FlowInputValues } from "../author/flow-values.js";
import type { TaskRun } from "./task-run.js";
import type { StoredSource } from "./task-sources.js";
import { nameList } from "../model/report-line.js";
import type { JobOutput } from "../execute/executor.js";
import * as messages from "../model/messages.js";
import type { RunLog } from "./run-log.js";
import type { Handled, HandlerRecord } from "./task-handling.js";
import { exitCodeOf } from "../author/task-handlers.js";
import { SharedLiterals } from "./shared-literals.js";
import { storedTaskAttributes } from "./task-source-attributes.js";
import { linkTaskInputs, type InputLinkTarget } from "./input-links.js";
import { AdoptedCalls, type AdoptedRun } from "./adopted-run.js";
import { RunReports } from "./run-reports.js";
import {
  runPausedEvent,
  runStateEvent,
  taskCreatedEvent,
  taskRetryEvent,
  taskStateEvent,
} from "./run-events.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The store, reports and events of one run. */
export class RunJournal {
  readonly uuid: string;
  readonly pk: number;
  readonly #events = new Subject<EngineEvent>();
  readonly events$: Observable<EngineEvent> = this.#events.asObservable();
  /** The calls of the stored run this journal continues, if it continues one. */
  readonly #adopted: AdoptedCalls;
  /** Handler decisions so far, by task pk. */
  readonly #handledRecords = new Map<number, readonly HandlerRecord[]>();
  readonly #reports: RunReports;
  /** The store, with the data nodes of short literal inputs (one per value). */
  readonly #inputLinks: InputLinkTarget;

  constructor(
    readonly name: string,
    private readonly store: ProvenanceStore,
    log: RunLog,
    attributes: Readonly<Record<string, unknown>>,
    inputs: ReadonlyMap<string, DataNode>,
    ctime: number,
    adopt?: AdoptedRun,
    calledBy?: { readonly task: number },
  ) {
    this.#adopted = new AdoptedCalls(adopt?.tasks);
    this.#reports = new RunReports(this, store, log, this.#events);
    this.#inputLinks = { store, literals: new SharedLiterals(), save: (node) => this.save(node) };
    if (adopt !== undefined) {
      this.uuid = adopt.uuid;
      this.pk = adopt.pk;
      store.updateProcess(this.pk, { attributes });
      return;
    }
    this.uuid = nodeUuid();
    this.pk = store.addNode({
      type: "run",
      uuid: this.uuid,
      name,
      state: "CREATED",
      ctime,
      attributes,
    });
    this.linkRunInputs(inputs);
    if (calledBy !== undefined) {
      store.addLink({ from: calledBy.task, to: this.pk, type: "CALL", label: name });
    }
  }

  /** Links the run's input nodes to it. */
  linkRunInputs(inputs: ReadonlyMap<string, DataNode>): void {
    for (const [label, node] of inputs) {
      this.store.addLink({ from: this.save(node), to: this.pk, type: "INPUT", label });
    }
  }

  /** Whether the call with this pk was FINISHED in the stored run this record continues. */
  isFinal(pk: number): boolean {
    return this.#adopted.isFinal(pk);
  }

  /** The adopted call with this pk runs again after all (its code or inputs changed). */
  reopen(pk: number): void {
    this.#adopted.reopen(pk);
  }

  /** Stores a data node once; returns its pk. */
  save(node: DataNode): number {
    node.pk ??= this.store.addNode({
      type: "data",
      uuid: node.uuid,
      kind: node.kind,
      value: node.value,
      ctime: Date.now(),
    });
    return node.pk;
  }

  /**
   * Stores a new task node called by the run; returns its pk. The tasks its inputs come from
   * are recorded with it (`sources`: producer pk, socket, input), so a graph read back from the
   * store has the edges into a task that has not started yet (the INPUT links of a call with
   * futures come at start).
   */
  addTask(
    definition: TaskDefinition,
    name: string,
    ctime: number,
    position: number,
    sources: readonly StoredSource[] = [],
  ): number {
    const adopted = this.#adopted.take(position);
    if (adopted !== undefined) return adopted;
    const uuid = nodeUuid();
    const attributes = storedTaskAttributes(this.store, definition, uuid);
    const pk = this.store.addNode({
      type: "task",
      uuid,
      name,
      kind: definition.kind,
      state: "PLANNED",
      ctime,
      attributes: sources.length > 0 ? { ...attributes, sources } : attributes,
    });
    this.store.addLink({ from: this.pk, to: pk, type: "CALL", label: name });
    return pk;
  }

  /**
   * Whether anyone listens to `events$`. Nobody does unless a view, a notebook or a caller
   * subscribed: then no event object is made (three or four per task).
   */
  get #heard(): boolean {
    return this.#events.observed;
  }

  /** Announces a task that was just created. */
  taskCreated(task: TaskRun): void {
    if (this.#heard) this.#events.next(taskCreatedEvent(this.uuid, task));
  }

  /** Adds attributes to a task or run node. */
  annotate(pk: number, attributes: Readonly<Record<string, unknown>>): void {
    this.store.updateProcess(pk, { attributes });
  }

  /** Moves a task to a state, in the store and on `events$`. */
  moveTask(task: TaskRun, state: TaskState, error?: unknown): void {
    const at = Date.now();
    const previous = task.moveTo(state, at);
    // built field by field: this runs several times per task, and spreads allocate
    const update: Mutable<ProcessUpdate> = { state };
    if (state === "RUNNING") update.startedAt = at;
    else update.endedAt = at;
    // A task may throw `undefined`: FAILED always carries an error.
    const failure = error !== undefined || state === "FAILED" ? serialiseError(error) : undefined;
    const exitCode = state === "FAILED" ? exitCodeOf(error) : undefined;
    if (failure !== undefined) update.error = failure;
    if (exitCode !== undefined) update.exitCode = exitCode;
    if (!this.#adopted.isFinal(task.pk)) this.store.updateProcess(task.pk, update);
    if (!this.#heard) return;
    this.#events.next(taskStateEvent(this.uuid, task, at, previous, failure, exitCode));
  }

  /** Announces another attempt of a task that failed. */
  retry(task: TaskRun, error: unknown): void {
    const data = serialiseError(error);
    this.#events.next(taskRetryEvent(this.uuid, task, data));
    this.report(
      "update_task_state",
      `Task: ${task.name} failed (${data.name}: ${data.message}); retry ${task.attempt - 1} of ${task.definition.retries}.`,
      "WARNING",
    );
  }

  /** Records a handler's decision: a report line, the task node's `handled` list, the new inputs. */
  handled(task: TaskRun, handled: Handled): void {
    const record = handled.record;
    const records = [...((this.#handledRecords.get(task.pk) ?? []) as HandlerRecord[]), record];
    this.#handledRecords.set(task.pk, records);
    this.annotate(task.pk, { handled: records });
    if (!handled.retry) {
      const reason = record.reason ?? record.error;
      this.report(
        "handle_failure",
        messages.handlerGivesUp(task.name, record.handler, record.exitCode, reason),
        "ERROR",
      );
      return;
    }
    task.resolvedArgs = handled.args;
    // the retried attempt's changed inputs, linked to the task beside the failed attempt's
    for (const [name, value] of Object.entries(handled.changed)) {
      const from = this.save(toDataNode(value));
      const label = `attempt${task.attempt}.${name}`;
      this.store.addLink({ from, to: task.pk, type: "INPUT", label });
    }
    this.#events.next(
      taskRetryEvent(this.uuid, task, serialiseError(handled.error), record.handler),
    );
    const inputs = Object.entries(handled.changed)
      .map(([k, v]) => `${k}=${JSON.stringify(v) ?? String(v)}`)
      .join(", ");
    this.report(
      "handle_failure",
      messages.handlerRetries(task.name, record.handler, record.exitCode, record.error, inputs),
      "WARNING",
    );
  }

  /** The report lines so far. */
  get reports(): readonly ReportLine[] {
    return this.#reports.lines;
  }

  /** Moves a task to FINISHED and says so. */
  finished(task: TaskRun, note: string): void {
    this.moveTask(task, "FINISHED");
    this.#reports.finished(task, note);
  }

  /** Moves a task to FAILED and says why. */
  failed(task: TaskRun, error: unknown): void {
    this.moveTask(task, "FAILED", error);
    const data = serialiseError(error);
    this.report(
      "update_task_state",
      `Task: ${task.name}, type: ${task.definition.kind}, failed: ${data.name}: ${data.message}`,
      "ERROR",
    );
  }

  /** Records the run's move from one state to another. */
  moveRun(
    previous: RunState,
    state: RunState,
    exitCode: number | undefined,
    error?: unknown,
  ): void {
    const at = Date.now();
    const update: Mutable<ProcessUpdate> = { state };
    if (state === "RUNNING") update.startedAt = at;
    if (isTerminalRun(state)) {
      update.endedAt = at;
      update.exitCode = exitCode ?? 0;
    }
    if (error !== undefined || state === "EXCEPTED") update.error = serialiseError(error);
    this.store.updateProcess(this.pk, update);
    this.#events.next(runStateEvent(this, at, state, previous, update.exitCode, update.error));
  }

  /** Records that the run was paused or played again. */
  paused(paused: boolean): void {
    this.store.updateProcess(this.pk, { attributes: { paused } });
    if (paused) this.report("pause", messages.runPaused(this.name));
    else this.report("play", messages.runPlayed(this.name));
    this.#events.next(runPausedEvent(this, paused));
  }

  /** Reports a FINISHED run's results, warning about tasks that failed unused. */
  finalized(failed: readonly string[], results: Readonly<Record<string, unknown>>): void {
    if (failed.length > 0) {
      this.report("finalize", `Finished, but these tasks failed: ${nameList(failed)}.`, "WARNING");
    }
    this.report("finalize", `Finalize ${this.name}. graph results: ${JSON.stringify(results)}`);
  }

  /** Writes a report line: to the store, the log, and `events$`. */
  report(step: string, message: string, level: ReportLine["level"] = "REPORT"): void {
    this.#reports.report(step, message, level);
  }

  /**
   * Keeps what a task printed: one line per line of text, stored with the task (its report
   * lines), sent to the log and on `events$` as report lines that name the task.
   */
  taskOutput(task: TaskRun, output: JobOutput): void {
    this.#reports.taskOutput(task, output);
  }

  /**
   * Links what a task received as it starts: outputs of other tasks, data nodes, and plain
   * values (a primitive part that one input of the run holds is linked to that input's node, as
   * whole arguments are by their sources: `flow-values.ts`). Not a call linked as it was made
   * ({@link linkCall}), nor a stored call taken over whose inputs are stored already.
   */
  linkInputs(
    task: TaskRun,
    args: readonly unknown[],
    tasks: readonly TaskRun[],
    inputs: FlowInputValues,
  ): void {
    if (this.#linksAtCall(task) || this.#adopted.isLinked(task.pk)) return;
    linkTaskInputs(this.#inputLinks, task, args, tasks, inputs);
  }

  /**
   * Links the inputs of a call of plain values as it is made: its rows reach the file while
   * the flow is still calling, and a task that never starts still shows what it was called
   * with.
   */
  linkCall(task: TaskRun, tasks: readonly TaskRun[], inputs: FlowInputValues): void {
    if (this.#linksAtCall(task)) linkTaskInputs(this.#inputLinks, task, task.args, tasks, inputs);
  }

  /**
   * Whether a call is linked as it is made: its arguments are plain values (a future's value
   * is known once the task starts), and it is not a stored call taken over (linked as its
   * stored state says).
   */
  #linksAtCall(task: TaskRun): boolean {
    return !task.hasFutures && !this.#adopted.isTaken(task.pk);
  }

  /** Links a task to the data it created. */
  linkOutputs(
    task: TaskRun,
    nodes: ReadonlyMap<string, DataNode>,
    type: "CREATE" | "RETURN" = "CREATE",
  ): void {
    if (this.#adopted.isFinal(task.pk)) return;
    for (const [label, node] of nodes) {
      this.store.addLink({ from: task.pk, to: this.save(node), type, label });
    }
  }

  /** Links a task to one output node it created (the lone `result` of most tasks). */
  linkOutput(task: TaskRun, label: string, node: DataNode, type: "CREATE" | "RETURN"): void {
    if (this.#adopted.isFinal(task.pk)) return;
    this.store.addLink({ from: task.pk, to: this.save(node), type, label });
  }

  /** Links the run to the results it returned. */
  linkResults(results: Readonly<Record<string, DataNode>>): void {
    for (const [label, node] of Object.entries(results)) {
      this.store.addLink({ from: this.pk, to: this.save(node), type: "RETURN", label });
    }
  }

  /** Makes the record durable and completes `events$`. */
  close(): void {
    this.store.flush();
    this.#events.complete();
  }

  /** Completes `events$` without the store (it refuses writes): the run ended unrecorded. */
  abandon(): void {
    this.#events.complete();
  }
}
