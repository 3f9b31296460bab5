/**
 * What a run writes down: nodes and links in the provenance store, report lines, and the
 * events on `events$`. The controller decides; the journal keeps every trace of it consistent.
 */
import { nodeUuid } from "../model/node-uuid.js";
import { Subject, type Observable } from "rxjs";
import { toDataNode, type DataNode } from "../model/data-node.js";
import { serialiseError } from "../model/error-serialisation.js";
import type { EngineEvent, EngineEventOf, ReportLine } from "../model/events.js";
import { isTerminalRun, type RunState, type TaskState } from "../model/states.js";
import type { ProcessUpdate, ProvenanceStore } from "../store/store.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { taskAttributes } from "./task-attributes.js";
import type { FlowInputValues } from "../author/flow-values.js";
import { literalParts, parameterName } from "./task-inputs.js";
import type { TaskRun } from "./task-run.js";
import { nameList, reportLine, taskOutputLine } from "../model/report-line.js";
import type { JobOutput } from "../execute/executor.js";
import * as messages from "../model/messages.js";
import type { RunLog } from "./run-log.js";
import type { Handled, HandlerRecord } from "./task-handling.js";
import { exitCodeOf } from "../author/task-handlers.js";
import { FinishedLine, finishedMessage, STEP_FINISHED } from "./finished-line.js";
import { SharedLiterals } from "./shared-literals.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A stored run a journal continues instead of creating one: its node and its calls so far. */
export interface AdoptedRun {
  readonly pk: number;
  readonly uuid: string;
  /** The stored task nodes of its calls, in call order. */
  readonly tasks: readonly { readonly pk: number; readonly state: string | null }[];
}

/** The store, reports and events of one run. */
export class RunJournal {
  readonly uuid: string;
  readonly pk: number;
  /** Report lines so far; a task's "finished" line is kept as its task until asked for. */
  readonly #lines: (ReportLine | FinishedLine)[] = [];
  readonly #events = new Subject<EngineEvent>();
  readonly events$: Observable<EngineEvent> = this.#events.asObservable();
  readonly #adopted: AdoptedRun["tasks"];
  /** Adopted calls whose stored rows are final (FINISHED): moves show on events$ only. */
  readonly #final = new Set<number>();
  /** Handler decisions so far, by task pk. */
  readonly #handledRecords = new Map<number, readonly HandlerRecord[]>();
  /** Adopted calls whose inputs are linked already. */
  readonly #linked = new Set<number>();
  /** The data nodes of short literal inputs, one per value. */
  readonly #literals = new SharedLiterals();

  constructor(
    readonly name: string,
    private readonly store: ProvenanceStore,
    private readonly log: RunLog,
    attributes: Readonly<Record<string, unknown>>,
    inputs: ReadonlyMap<string, DataNode>,
    ctime: number,
    adopt?: AdoptedRun,
    calledBy?: { readonly task: number },
  ) {
    this.#adopted = adopt?.tasks ?? [];
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
    return this.#final.has(pk);
  }

  /** The adopted call with this pk runs again after all (its code or inputs changed). */
  reopen(pk: number): void {
    this.#final.delete(pk);
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
   * store has the edges into a task that has not started yet (its INPUT links come at start).
   */
  addTask(
    definition: TaskDefinition,
    name: string,
    ctime: number,
    position: number,
    sources: readonly StoredSource[] = [],
  ): number {
    const adopted = this.#adopted[position];
    if (adopted !== undefined) {
      if (adopted.state === "FINISHED") this.#final.add(adopted.pk);
      if (adopted.state !== "PLANNED") this.#linked.add(adopted.pk);
      return adopted.pk;
    }
    const uuid = nodeUuid();
    const attributes = this.#taskAttributes(definition, uuid);
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

  /**
   * The attributes a new call of `definition` stores. Its function's source is stored once per
   * distinct source in this store (from this process): on the first task that has it
   * (`source`), and named by that task's uuid on the others (`sourceIn`).
   */
  #taskAttributes(definition: TaskDefinition, uuid: string): Readonly<Record<string, unknown>> {
    let byDefinition = storeAttributes.get(this.store);
    if (byDefinition === undefined) storeAttributes.set(this.store, (byDefinition = new WeakMap()));
    const cached = byDefinition.get(definition);
    if (cached !== undefined) return cached;
    const base = taskAttributes(definition);
    const text = definition.source ?? String(definition.fn);
    let holders = sourceHolders.get(this.store);
    if (holders === undefined) sourceHolders.set(this.store, (holders = new Map<string, string>()));
    const holder = holders.get(text);
    if (holder === undefined) holders.set(text, uuid);
    const shared = Object.freeze({ ...base, sourceIn: holder ?? uuid });
    byDefinition.set(definition, shared);
    return holder === undefined ? { ...base, source: text } : shared;
  }

  /** Announces a task that was just created. */
  taskCreated(task: TaskRun): void {
    if (!this.#heard) return;
    this.#events.next({
      type: "task.created",
      run: this.uuid,
      at: task.createdAt,
      task: {
        id: task.id,
        pk: task.pk,
        name: task.name,
        group: task.definition.name,
        kind: task.definition.kind,
        sources: task.sources,
      },
    });
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
    if (!this.#final.has(task.pk)) this.store.updateProcess(task.pk, update);
    if (!this.#heard) return;
    const event: Mutable<EngineEventOf<"task.state">> = {
      type: "task.state",
      run: this.uuid,
      at,
      taskId: task.id,
      name: task.name,
      state,
      previous,
      attempt: task.attempt,
    };
    if (failure !== undefined) event.error = failure;
    if (exitCode !== undefined) event.exitCode = exitCode;
    if (task.pid !== undefined) event.pid = task.pid;
    if (state === "FINISHED") event.value = task.value;
    this.#events.next(event);
  }

  /** Announces another attempt of a task that failed. */
  retry(task: TaskRun, error: unknown): void {
    const data = serialiseError(error);
    this.#events.next({
      type: "task.retry",
      run: this.uuid,
      at: Date.now(),
      taskId: task.id,
      name: task.name,
      attempt: task.attempt,
      error: data,
    });
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
    this.#events.next({
      type: "task.retry",
      run: this.uuid,
      at: Date.now(),
      taskId: task.id,
      name: task.name,
      attempt: task.attempt,
      error: serialiseError(handled.error),
      handler: record.handler,
    });
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
    const lines = this.#lines;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as ReportLine | FinishedLine;
      if (line instanceof FinishedLine) lines[i] = line.line(this.pk);
    }
    return lines as ReportLine[];
  }

  /** Moves a task to FINISHED and says so. */
  finished(task: TaskRun, note: string): void {
    this.moveTask(task, "FINISHED");
    const at = Date.now();
    const line = reportLine(this.pk, STEP_FINISHED, finishedMessage(task, note), "REPORT", at);
    this.store.addReport(this.pk, line);
    this.log.report?.(line);
    if (this.#heard) this.#events.next({ type: "report", run: this.uuid, at, line });
    // One line per task: kept as the task and its note, not as text, while nobody reads it.
    this.#lines.push(new FinishedLine(task, note, at));
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
    const terminal = isTerminalRun(state);
    const update: Mutable<ProcessUpdate> = { state };
    const event: Mutable<EngineEventOf<"run.state">> = {
      type: "run.state",
      run: this.uuid,
      at,
      runPk: this.pk,
      name: this.name,
      state,
      previous,
    };
    if (state === "RUNNING") update.startedAt = at;
    if (terminal) {
      update.endedAt = at;
      update.exitCode = event.exitCode = exitCode ?? 0;
    }
    if (error !== undefined || state === "EXCEPTED") {
      update.error = event.error = serialiseError(error);
    }
    this.store.updateProcess(this.pk, update);
    this.#events.next(event);
  }

  /** Records that the run was paused or played again. */
  paused(paused: boolean): void {
    this.store.updateProcess(this.pk, { attributes: { paused } });
    if (paused) this.report("pause", messages.runPaused(this.name));
    else this.report("play", messages.runPlayed(this.name));
    this.#events.next({
      type: "run.paused",
      run: this.uuid,
      at: Date.now(),
      runPk: this.pk,
      paused,
    });
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
    const line = reportLine(this.pk, step, message, level);
    this.#lines.push(line);
    this.store.addReport(this.pk, line);
    this.log.report?.(line);
    if (this.#heard) this.#events.next({ type: "report", run: this.uuid, at: line.at, line });
  }

  /**
   * Keeps what a task printed: one line per line of text, stored with the task (its report
   * lines), sent to the log and on `events$` as report lines that name the task.
   */
  taskOutput(task: TaskRun, output: JobOutput): void {
    const at = Date.now();
    const text = output.text.endsWith("\n") ? output.text.slice(0, -1) : output.text;
    for (const message of text.split("\n")) {
      const line = taskOutputLine(this.pk, task, output.method, message, at);
      this.#lines.push(line);
      this.store.addReport(task.pk, line);
      this.log.print(line);
      if (this.#heard) this.#events.next({ type: "report", run: this.uuid, at, line });
    }
  }

  /**
   * Links what a task received: outputs of other tasks, data nodes, and plain values (a
   * primitive part that one input of the run holds is linked to that input's node, as whole
   * arguments are by their sources: `flow-values.ts`).
   */
  linkInputs(
    task: TaskRun,
    args: readonly unknown[],
    tasks: readonly TaskRun[],
    inputs: FlowInputValues,
  ): void {
    if (this.#linked.has(task.pk)) return;
    for (const source of task.sources) {
      const pk =
        source.from === "data"
          ? source.pk
          : this.save((tasks[source.task] as TaskRun).outputNode(source.socket));
      this.store.addLink({ from: pk, to: task.pk, type: "INPUT", label: source.path });
    }
    for (let i = 0; i < args.length; i++) {
      const label = parameterName(task.definition.parameters, i);
      // linked above as a whole: a future, a node, or an input's value
      if (task.sources.some((s) => s.path === label)) continue;
      const fromFutures = task.sources.some(
        (s) => s.path.startsWith(`${label}.`) || s.path.startsWith(`${label}[`),
      );
      if (fromFutures) {
        // the literal values beside the futures are inputs too: `sum([a.result, 1000, 5])`
        literalParts(
          task.args[i],
          label,
          (value, path) => {
            const from = this.save(inputs.nodeOfPrimitive(value) ?? this.#literals.node(value));
            this.store.addLink({ from, to: task.pk, type: "INPUT", label: path });
          },
          (value) => inputs.nodeOfObject(value),
        );
        continue;
      }
      this.store.addLink({
        from: this.save(this.#literals.node(args[i])),
        to: task.pk,
        type: "INPUT",
        label,
      });
    }
  }

  /** Links a task to the data it created. */
  linkOutputs(
    task: TaskRun,
    nodes: ReadonlyMap<string, DataNode>,
    type: "CREATE" | "RETURN" = "CREATE",
  ): void {
    if (this.#final.has(task.pk)) return;
    for (const [label, node] of nodes) {
      this.store.addLink({ from: task.pk, to: this.save(node), type, label });
    }
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
}

/** The attributes every later call of a task shares, made once per store and task definition. */
const storeAttributes = new WeakMap<
  ProvenanceStore,
  WeakMap<TaskDefinition, Readonly<Record<string, unknown>>>
>();
/** The uuid of the task that holds each task source stored, per store. */
const sourceHolders = new WeakMap<ProvenanceStore, Map<string, string>>();

/** A task an input of a new task comes from, as stored on the new task's node. */
export interface StoredSource {
  /** The producing task's pk. */
  readonly task: number;
  readonly socket: string;
  /** The input's path (`x`, `values[2]`). */
  readonly input: string;
}
