/**
 * The heart of a run: it runs the flow function, schedules each task call at once, starts a
 * task on its last input's completion event, and ends the run when the flow has returned and
 * every task is terminal. Everything it does is announced on `events$`.
 */
import { randomUUID } from "node:crypto";
import { Subject, type Observable } from "rxjs";
import type { DataNode } from "../model/data-node.js";
import { toDataNode } from "../model/data-node.js";
import { FlowContextError, RunCancelledError, TaskFailedError } from "../model/errors.js";
import { serialiseError } from "../model/error-serialisation.js";
import type {
  EngineEvent,
  EngineEventOf,
  EngineEvents,
  InputSource,
  ReportLine,
} from "../model/events.js";
import * as messages from "../model/messages.js";
import {
  ExitCode,
  canMoveRun,
  isTerminalRun,
  isTerminalTask,
  type RunState,
  type TaskState,
} from "../model/states.js";
import type { ProcessUpdate, ProvenanceStore } from "../store/store.js";
import type { JobExecutor } from "../execute/executor.js";
import { callInProcess } from "../execute/in-process.js";
import type { FlowScope } from "../author/flow-context.js";
import { flowStorage } from "../author/flow-storage.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { checkInputs, checkOutputs, checkSendable } from "./task-checks.js";
import { parameterName, resolveArguments, scanArguments } from "./task-inputs.js";
import { TaskRun } from "./task-run.js";
import { ReadyQueue } from "./ready-queue.js";
import { nameList, reportLine } from "./report-line.js";
import { collectResults, type ResultsOutcome } from "./run-results.js";

/** What a controller needs besides the flow. */
export interface ControllerOptions {
  readonly name: string;
  readonly store: ProvenanceStore;
  readonly jobs: () => JobExecutor;
  readonly maxConcurrency: number;
  readonly log: ((line: ReportLine) => void) | undefined;
}

/** How a run ended. */
export interface RunOutcome {
  readonly state: RunState;
  readonly exitCode: number;
  readonly results: Readonly<Record<string, DataNode>> | undefined;
  readonly error: unknown;
}

/** Runs one flow and its tasks. */
export class RunController implements FlowScope {
  readonly uuid = randomUUID();
  readonly pk: number;
  readonly tasks: TaskRun[] = [];
  readonly reports: ReportLine[] = [];
  state: RunState = "CREATED";
  exitCode: number | undefined = undefined;
  error: unknown = undefined;
  results: Readonly<Record<string, DataNode>> | undefined = undefined;
  graphResults: Readonly<Record<string, { task: string; socket: string }>> = {};
  readonly createdAt = Date.now();
  endedAt: number | undefined = undefined;
  readonly done: Promise<RunOutcome>;
  readonly #events = new Subject<EngineEvent>();
  readonly events$: Observable<EngineEvent> = this.#events.asObservable();
  readonly #names = new Map<string, number>();
  readonly #readyLocal = new ReadyQueue();
  readonly #readyJobs = new ReadyQueue();
  #drainScheduled = false;
  #draining = false;
  #running = 0;
  #runningJobs = 0;
  #unfinished = 0;
  #flowReturned = false;
  #returned: unknown = undefined;
  #cancelError: RunCancelledError | undefined = undefined;
  #resolveDone!: (outcome: RunOutcome) => void;

  constructor(
    readonly name: string,
    private readonly flow: (...args: never[]) => unknown,
    private readonly flowArgs: readonly unknown[],
    inputs: ReadonlyMap<string, DataNode>,
    private readonly options: ControllerOptions,
  ) {
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    const store = options.store;
    this.pk = store.addNode({
      type: "run",
      uuid: this.uuid,
      name,
      state: "CREATED",
      ctime: this.createdAt,
      attributes: { flow: flow.name, maxConcurrency: options.maxConcurrency },
    });
    for (const [label, node] of inputs) {
      store.addLink({ from: this.#save(node), to: this.pk, type: "INPUT", label });
    }
  }

  /** Starts the flow on the next microtask, so the caller can subscribe to `events$` first. */
  start(): void {
    queueMicrotask(() => {
      if (isTerminalRun(this.state)) return;
      this.#moveRun("RUNNING");
      let returned: unknown;
      try {
        returned = flowStorage.run({ scope: this }, this.flow, ...(this.flowArgs as never[]));
      } catch (error) {
        this.#except(error);
        return;
      }
      Promise.resolve(returned).then(
        (value) => this.#flowReturnedWith(value),
        (error: unknown) => this.#except(error),
      );
    });
  }

  /** Kills every task still running or planned and ends the run KILLED. */
  cancel(reason = "cancelled"): void {
    if (isTerminalRun(this.state)) return;
    this.#cancelError = new RunCancelledError(this.name, reason);
    this.#report("on_kill", `Run ${this.name} cancelled: ${reason}.`, "WARNING");
    this.#killTasks(this.#cancelError);
    this.#end("KILLED", ExitCode.KILLED, this.#cancelError);
  }

  schedule(definition: TaskDefinition, args: readonly unknown[]): TaskRun {
    if (isTerminalRun(this.state)) {
      throw (
        this.#cancelError ??
        new FlowContextError(
          definition.name,
          messages.calledAfterEnd(definition.name, this.name, this.state),
        )
      );
    }
    const sources: InputSource[] = [];
    const producers: TaskRun[] = [];
    const hasFutures = scanArguments(args, definition.parameters, (found) => {
      if (found.kind === "data") {
        sources.push({ from: "data", pk: this.#save(found.node), path: found.path });
        return;
      }
      const producer = found.socket.task;
      if (producer instanceof TaskRun && this.tasks[producer.id] === producer) {
        sources.push({
          from: "task",
          task: producer.id,
          socket: found.socket.name,
          path: found.path,
        });
        producers.push(producer);
      } else if (producer.state === "FINISHED") {
        const node = producer.outputNode(found.socket.name);
        sources.push({ from: "data", pk: this.#save(node), path: found.path });
      } else {
        throw new FlowContextError(
          definition.name,
          `Task ${definition.name}: input ${found.path} is a future of task ${producer.name} of another run that has not finished`,
        );
      }
    });
    if (!hasFutures) {
      const invalid = checkInputs(definition, args);
      if (invalid !== undefined) throw invalid;
    }
    const at = Date.now();
    const name = this.#uniqueName(definition.name);
    const pk = this.options.store.addNode({
      type: "task",
      uuid: randomUUID(),
      name,
      kind: definition.kind,
      state: "PLANNED",
      ctime: at,
      attributes: taskAttributes(definition),
    });
    this.options.store.addLink({ from: this.pk, to: pk, type: "CALL", label: name });
    const task = new TaskRun(
      this.tasks.length,
      name,
      pk,
      definition,
      args,
      sources,
      hasFutures,
      at,
    );
    this.tasks.push(task);
    this.#unfinished++;
    this.#emit("task.created", { task: { id: task.id, pk, name, kind: definition.kind, sources } });
    let blockedBy: TaskRun | undefined;
    for (const producer of producers) {
      if (producer.state === "FINISHED") continue;
      if (isTerminalTask(producer.state)) {
        blockedBy = producer;
        break;
      }
      task.waitingOn++;
      producer.dependents.push(task);
    }
    if (blockedBy !== undefined) this.#skip(task, blockedBy);
    else if (task.waitingOn === 0) this.#enqueue(task);
    return task;
  }

  #enqueue(task: TaskRun): void {
    (task.definition.kind === "job" ? this.#readyJobs : this.#readyLocal).push(task);
    if (!this.#draining && !this.#drainScheduled) {
      this.#drainScheduled = true;
      queueMicrotask(() => this.#drain());
    }
  }

  /** Starts ready tasks in rounds: each round is reported, then started. */
  #drain(): void {
    this.#drainScheduled = false;
    this.#draining = true;
    for (let batch = this.#takeReady(); batch.length > 0; batch = this.#takeReady()) {
      this.#report(
        "continue_workgraph",
        `tasks ready to run: ${nameList(batch.map((t) => t.name))}`,
      );
      for (const task of batch) if (task.state === "PLANNED") this.#begin(task);
    }
    this.#draining = false;
  }

  /** The ready tasks that fit the run's and the job pool's limits now. */
  #takeReady(): TaskRun[] {
    const batch: TaskRun[] = [];
    let slots = this.options.maxConcurrency - this.#running;
    slots = this.#readyLocal.take(slots, batch);
    if (this.#readyJobs.size > 0 && slots > 0) {
      const jobSlots = Math.min(slots, this.options.jobs().concurrency - this.#runningJobs);
      this.#readyJobs.take(jobSlots, batch);
    }
    return batch;
  }

  #begin(task: TaskRun): void {
    const definition = task.definition;
    const args = task.hasFutures ? resolveArguments(task.args) : task.args;
    task.resolvedArgs = args;
    this.#linkInputs(task, args);
    this.#moveTask(task, "RUNNING");
    this.#running++;
    if (definition.kind === "job") this.#runningJobs++;
    const invalid =
      (task.hasFutures ? checkInputs(definition, args) : undefined) ??
      (definition.kind === "job" ? checkSendable(definition, args) : undefined);
    if (invalid !== undefined) {
      this.#fail(task, invalid);
      return;
    }
    this.#attempt(task);
  }

  #attempt(task: TaskRun): void {
    const attempt = task.attempt;
    task.newAttempt();
    const definition = task.definition;
    const args = task.resolvedArgs ?? [];
    const settle = (ok: boolean, value: unknown) => {
      if (task.state !== "RUNNING" || task.attempt !== attempt) return;
      if (ok) this.#succeed(task, value);
      else this.#failOrRetry(task, value);
    };
    if (definition.kind === "job") {
      this.options
        .jobs()
        .run({
          taskName: task.name,
          source: definition.source ?? "",
          args,
          signal: task.signal,
          onStart: (pid) => (task.pid = pid),
          ...(definition.timeoutMs !== undefined ? { timeoutMs: definition.timeoutMs } : {}),
        })
        .then(
          (value) => settle(true, value),
          (error: unknown) => settle(false, error),
        );
      return;
    }
    const outcome = callInProcess(definition.fn, args, this, task, definition.timeoutMs);
    if (outcome.sync) settle(outcome.ok, outcome.value);
    else
      outcome.promise.then(
        (value) => settle(true, value),
        (error: unknown) => settle(false, error),
      );
  }

  #succeed(task: TaskRun, value: unknown): void {
    const invalid = checkOutputs(task.definition, value);
    if (invalid !== undefined) {
      this.#failOrRetry(task, invalid);
      return;
    }
    const nodes = new Map<string, DataNode>();
    const store = this.options.store;
    for (const socket of task.definition.outputs ?? ["result"]) {
      const output = socket === "result" ? value : (value as Record<string, unknown>)[socket];
      const node = toDataNode(output);
      nodes.set(socket, node);
      store.addLink({ from: task.pk, to: this.#save(node), type: "CREATE", label: socket });
    }
    task.finishWith(value, nodes);
    this.#release(task);
    this.#moveTask(task, "FINISHED");
    this.#report(
      "update_task_state",
      `Task: ${task.name}, type: ${task.definition.kind}, finished.`,
    );
    for (const dependent of task.dependents) {
      if (--dependent.waitingOn === 0 && dependent.state === "PLANNED") this.#enqueue(dependent);
    }
    this.#afterTerminal();
  }

  #failOrRetry(task: TaskRun, error: unknown): void {
    if (task.attempt <= task.definition.retries && !isTerminalRun(this.state)) {
      task.attempt++;
      const data = serialiseError(error);
      this.#emit("task.retry", {
        taskId: task.id,
        name: task.name,
        attempt: task.attempt,
        error: data,
      });
      this.#report(
        "update_task_state",
        `Task: ${task.name} failed (${data.name}: ${data.message}); retry ${task.attempt - 1} of ${task.definition.retries}.`,
        "WARNING",
      );
      this.#attempt(task);
      return;
    }
    this.#fail(task, error);
  }

  #fail(task: TaskRun, error: unknown): void {
    task.error = error;
    this.#release(task);
    this.#moveTask(task, "FAILED", error);
    const data = serialiseError(error);
    this.#report(
      "update_task_state",
      `Task: ${task.name}, type: ${task.definition.kind}, failed: ${data.name}: ${data.message}`,
      "ERROR",
    );
    this.#skipDependents(task);
    this.#afterTerminal();
  }

  #skipDependents(failed: TaskRun): void {
    const stack: TaskRun[] = [failed];
    for (let from = stack.pop(); from !== undefined; from = stack.pop()) {
      for (const dependent of from.dependents) {
        if (dependent.state !== "PLANNED") continue;
        this.#skip(dependent, from);
        stack.push(dependent);
      }
    }
  }

  #skip(task: TaskRun, because: TaskRun): void {
    task.error = because.failure();
    this.#unfinished--;
    this.#moveTask(task, "SKIPPED", task.error);
    this.#report(
      "update_task_state",
      `Task: ${task.name} skipped: its input from ${because.name} is ${because.state}.`,
    );
  }

  #release(task: TaskRun): void {
    this.#running--;
    this.#unfinished--;
    if (task.definition.kind === "job") this.#runningJobs--;
  }

  #afterTerminal(): void {
    if (this.#readyLocal.size > 0 || this.#readyJobs.size > 0) {
      if (!this.#draining && !this.#drainScheduled) {
        this.#drainScheduled = true;
        queueMicrotask(() => this.#drain());
      }
    }
    this.#maybeFinish();
  }

  #flowReturnedWith(value: unknown): void {
    if (isTerminalRun(this.state)) return;
    this.#flowReturned = true;
    this.#returned = value;
    if (this.#unfinished > 0) this.#moveRun("WAITING");
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (!this.#flowReturned || this.#unfinished > 0 || isTerminalRun(this.state)) return;
    let outcome: ResultsOutcome;
    try {
      outcome = collectResults(this.#returned);
    } catch (error) {
      this.#except(error);
      return;
    }
    if (outcome.failed !== undefined) {
      this.#except(outcome.failed.failure());
      return;
    }
    this.graphResults = outcome.graphResults;
    const results: Record<string, DataNode> = {};
    for (const [label, node] of Object.entries(outcome.nodes)) {
      results[label] = node;
      this.options.store.addLink({ from: this.pk, to: this.#save(node), type: "RETURN", label });
    }
    this.results = results;
    const failed = this.tasks.filter((t) => t.state === "FAILED").map((t) => t.name);
    if (failed.length > 0) {
      this.#report("finalize", `Finished, but these tasks failed: ${nameList(failed)}.`, "WARNING");
    }
    this.#report(
      "finalize",
      `Finalize ${this.name}. graph results: ${JSON.stringify(this.graphResults)}`,
    );
    this.#end("FINISHED", failed.length > 0 ? ExitCode.TASK_FAILED : ExitCode.OK, undefined);
  }

  #except(error: unknown): void {
    if (isTerminalRun(this.state)) return;
    const data = serialiseError(error);
    this.#report("on_except", `Flow ${this.name} raised ${data.name}: ${data.message}`, "ERROR");
    this.#killTasks(new RunCancelledError(this.name, `the flow raised ${data.name}`));
    this.#end(
      "EXCEPTED",
      error instanceof TaskFailedError ? ExitCode.TASK_FAILED : ExitCode.FLOW_ERROR,
      error,
    );
  }

  #killTasks(reason: Error): void {
    for (const task of this.tasks) {
      if (isTerminalTask(task.state)) continue;
      task.error = reason;
      if (task.state === "RUNNING") {
        task.stop(reason);
        this.#running--;
        if (task.definition.kind === "job") this.#runningJobs--;
      }
      this.#unfinished--;
      this.#moveTask(task, "KILLED", reason);
    }
  }

  #end(state: RunState, exitCode: number, error: unknown): void {
    this.exitCode = exitCode;
    this.error = error;
    this.endedAt = Date.now();
    this.#moveRun(state, error);
    this.options.store.flush();
    this.#events.complete();
    this.#resolveDone({ state, exitCode, results: this.results, error });
  }

  #linkInputs(task: TaskRun, args: readonly unknown[]): void {
    const store = this.options.store;
    for (const source of task.sources) {
      const pk =
        source.from === "data"
          ? source.pk
          : this.#save((this.tasks[source.task] as TaskRun).outputNode(source.socket));
      store.addLink({ from: pk, to: task.pk, type: "INPUT", label: source.path });
    }
    for (let i = 0; i < args.length; i++) {
      const label = parameterName(task.definition.parameters, i);
      const fromFutures = task.sources.some(
        (s) => s.path === label || s.path.startsWith(`${label}.`) || s.path.startsWith(`${label}[`),
      );
      if (fromFutures) continue;
      store.addLink({ from: this.#save(toDataNode(args[i])), to: task.pk, type: "INPUT", label });
    }
  }

  #save(node: DataNode): number {
    node.pk ??= this.options.store.addNode({
      type: "data",
      uuid: node.uuid,
      kind: node.kind,
      value: node.value,
      ctime: Date.now(),
    });
    return node.pk;
  }

  #uniqueName(base: string): string {
    const count = this.#names.get(base) ?? 0;
    this.#names.set(base, count + 1);
    return count === 0 ? base : `${base}${count}`;
  }

  #moveTask(task: TaskRun, state: TaskState, error?: unknown): void {
    const at = Date.now();
    const previous = task.moveTo(state, at);
    // built field by field: this runs several times per task, and spreads allocate
    const update: { -readonly [K in keyof ProcessUpdate]: ProcessUpdate[K] } = { state };
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
    if (state === "RUNNING") update.startedAt = at;
    else update.endedAt = at;
    if (error !== undefined) update.error = event.error = serialiseError(error);
    if (task.pid !== undefined) event.pid = task.pid;
    this.options.store.updateProcess(task.pk, update);
    this.#events.next(event);
  }

  #moveRun(state: RunState, error?: unknown): void {
    const previous = this.state;
    if (!canMoveRun(previous, state))
      throw new Error(`Run ${this.name}: no move from ${previous} to ${state}`);
    this.state = state;
    const data = error !== undefined ? serialiseError(error) : undefined;
    const at = Date.now();
    this.options.store.updateProcess(this.pk, {
      state,
      ...(state === "RUNNING" ? { startedAt: at } : {}),
      ...(isTerminalRun(state) ? { endedAt: at, exitCode: this.exitCode ?? 0 } : {}),
      ...(data !== undefined ? { error: data } : {}),
    });
    this.#emit("run.state", {
      runPk: this.pk,
      name: this.name,
      state,
      previous,
      ...(isTerminalRun(state) ? { exitCode: this.exitCode ?? 0 } : {}),
      ...(data !== undefined ? { error: data } : {}),
    });
  }

  #report(step: string, message: string, level: ReportLine["level"] = "REPORT"): void {
    const line = reportLine(this.pk, step, message, level);
    this.reports.push(line);
    this.options.store.addReport(this.pk, line);
    this.options.log?.(line);
    this.#events.next({ type: "report", run: this.uuid, at: line.at, line });
  }

  #emit<K extends keyof EngineEvents>(type: K, payload: EngineEvents[K], at = Date.now()): void {
    this.#events.next({ type, run: this.uuid, at, ...payload } as EngineEvent);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const attributeCache = new WeakMap<TaskDefinition, Readonly<Record<string, unknown>>>();

/** The attributes every call of a task shares, made once per task definition. */
function taskAttributes(definition: TaskDefinition): Readonly<Record<string, unknown>> {
  let attributes = attributeCache.get(definition);
  if (attributes === undefined) {
    attributes = Object.freeze(describeDefinition(definition));
    attributeCache.set(definition, attributes);
  }
  return attributes;
}

function describeDefinition(definition: TaskDefinition): Record<string, unknown> {
  return {
    function: definition.fn.name,
    ...(definition.outputs !== undefined ? { outputs: definition.outputs } : {}),
    ...(definition.timeoutMs !== undefined ? { timeout: definition.timeoutMs } : {}),
    ...(definition.retries > 0 ? { retries: definition.retries } : {}),
  };
}
