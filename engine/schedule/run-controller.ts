/**
 * The heart of a run: it runs the flow function, schedules each task call at once, starts a
 * task on its last input's completion event, and ends the run when the flow has returned and
 * every task is terminal. Everything it does is announced on `events$`.
 */
import type { RunOutcome } from "./run-outcome.js";
import type { Observable } from "rxjs";
import type { DataNode } from "../model/data-node.js";
import { FlowContextError, RunCancelledError, TaskFailedError } from "../model/errors.js";
import { serialiseError } from "../model/error-serialisation.js";
import type { EngineEvent, ReportLine } from "../model/events.js";
import * as messages from "../model/messages.js";
import { ExitCode, canMoveRun, isTerminalRun, type RunState } from "../model/states.js";
import type { FlowScope } from "../author/flow-context.js";
import { callFlow } from "./flow-call.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { checkInputs } from "./task-checks.js";
import { TaskNames, taskName } from "./task-names.js";
import { findSources, storedSources } from "./task-sources.js";
import { TaskRun } from "./task-run.js";
import { TaskLifecycle } from "./task-lifecycle.js";
import { flowArguments } from "../author/flow-inputs.js";
import { FlowInputValues } from "../author/flow-values.js";
import { RunJournal } from "./run-journal.js";
import { runAttributes, type ControllerOptions } from "./controller-options.js";
import { Dispatcher } from "./dispatcher.js";
import { RunControl } from "./run-control.js";
import { nameList } from "../model/report-line.js";
import { finalResults } from "./run-results.js";
import { gatherResults } from "./gather-results.js";
import { TaskSocket } from "../author/task-socket.js";

/** How many names of a batch of ready tasks its report line shows. */
const NAMES_SHOWN = 12;

/** Runs one flow and its tasks. */
export class RunController implements FlowScope {
  readonly tasks: TaskRun[] = [];
  state: RunState = "CREATED";
  exitCode: number | undefined = undefined;
  error: unknown = undefined;
  results: Readonly<Record<string, DataNode>> | undefined = undefined;
  graphResults: Readonly<Record<string, { task: string; socket: string }>> = {};
  readonly createdAt = Date.now();
  endedAt: number | undefined = undefined;
  readonly done: Promise<RunOutcome>;
  readonly #journal: RunJournal;
  readonly #names = new TaskNames();
  readonly #dispatcher: Dispatcher;
  /** Pause, play, kill, and the child run of each flow task. */
  readonly #control: RunControl;
  /** Starts the ready tasks and takes their ends into account. */
  readonly #lifecycle: TaskLifecycle;
  #unfinished = 0;
  #flowReturned = false;
  #returned: unknown = undefined;
  #cancelError: RunCancelledError | undefined = undefined;
  #stopWatchingStore: (() => void) | undefined = undefined;
  #resolveDone!: (outcome: RunOutcome) => void;
  /** Whether `done` has settled. */
  #settled = false;
  #flowArgs: readonly unknown[];
  /** The values the flow received, and the input node each came from. */
  #inputs: FlowInputValues;
  /** Stores a data node once (the journal's), made once for every call's sources. */
  readonly #save = (node: DataNode): number => this.#journal.save(node);
  /** How the flow returned: an object of results, a single `result`, or nothing. */
  resultShape: "object" | "single" | "none" = "none";

  constructor(
    readonly name: string,
    private readonly flow: (...args: never[]) => unknown,
    inputs: ReadonlyMap<string, DataNode>,
    private readonly options: ControllerOptions,
  ) {
    this.#inputs = new FlowInputValues(inputs);
    this.#flowArgs = flowArguments(flow, this.#inputs);
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    this.#journal = new RunJournal(
      name,
      options.store,
      options.log,
      runAttributes(flow, options),
      inputs,
      this.createdAt,
      options.adopt,
      options.calledBy,
    );
    this.#dispatcher = new Dispatcher(options.maxConcurrency, options.jobs, {
      announce: (batch) =>
        this.#journal.report(
          "continue_workgraph",
          `tasks ready to run: ${nameList(
            batch.slice(0, NAMES_SHOWN).map((t) => t.name),
            NAMES_SHOWN,
            batch.length,
          )}`,
        ),
      // #guarded's work without a closure per task
      begin: (task) => {
        try {
          this.#lifecycle.begin(task);
        } catch (error) {
          this.#broken(error);
        }
      },
    });
    this.#control = new RunControl(
      this.#dispatcher,
      this.#journal,
      options,
      (task, childOptions) =>
        new RunController(task.name, task.definition.fn, new Map(), childOptions),
      (value) => this.#inputs.nodeOf(value),
      () => this.#unfinished--,
    );
    this.#lifecycle = new TaskLifecycle(
      {
        scope: this,
        tasks: this.tasks,
        inputs: () => this.#inputs,
        ended: () => isTerminalRun(this.state),
        released: () => this.#unfinished--,
        maybeFinish: () => this.#maybeFinish(),
        guarded: (action) => this.#guarded(action),
        broken: (error) => this.#broken(error),
      },
      this.#journal,
      this.#dispatcher,
      this.#control,
      options,
    );
  }

  get uuid(): string {
    return this.#journal.uuid;
  }

  /** The run node's pk. */
  get pk(): number {
    return this.#journal.pk;
  }

  /** The report lines so far. */
  get reports(): readonly ReportLine[] {
    return this.#journal.reports;
  }

  /** Every event of the run; completes when the run ends. */
  get events$(): Observable<EngineEvent> {
    return this.#journal.events$;
  }

  /** Starts the flow on the next microtask, so the caller can subscribe to `events$` first. */
  start(): void {
    queueMicrotask(() => {
      if (isTerminalRun(this.state)) return;
      // A store out of reach for too long ends the run; what it wrote waits to be stored.
      this.#stopWatchingStore = this.options.store.onUnavailable?.((error) =>
        this.#guarded(() => this.#except(error)),
      );
      callFlow(this, this.flow, this.#flowArgs, {
        starting: () => this.#moveRun("RUNNING"),
        returned: (value) => this.#guarded(() => this.#flowReturnedWith(value)),
        raised: (error) => this.#guarded(() => this.#except(error)),
      });
    });
  }

  /** Whether ready tasks wait instead of starting. */
  get paused(): boolean {
    return this.#control.paused;
  }

  /** No task starts until {@link play}; tasks already running finish and are recorded. */
  pause(): void {
    if (!isTerminalRun(this.state)) this.#control.pause();
  }

  /** Ready tasks start again after {@link pause}. */
  play(): void {
    if (!isTerminalRun(this.state)) this.#control.play();
  }

  /** Writes a report line of the run (store, log, events$). */
  report(step: string, message: string, level: ReportLine["level"] = "REPORT"): void {
    this.#journal.report(step, message, level);
  }

  /** The run's input nodes by name. */
  get inputNodes(): ReadonlyMap<string, DataNode> {
    return this.#inputs.nodes;
  }

  /** Gives a child run, made before its inputs were known, its input nodes. */
  bind(inputs: ReadonlyMap<string, DataNode>): void {
    this.#inputs = new FlowInputValues(inputs);
    this.#flowArgs = flowArguments(this.flow, this.#inputs);
    this.#journal.linkRunInputs(inputs);
  }

  /** Runs a flow as a child of this run (a flow task); the child's run. */
  callFlow(definition: TaskDefinition, args: readonly unknown[]): RunController {
    return this.#control.children.of(this.schedule(definition, args)) as RunController;
  }

  /** The child run of the flow task with this id, if it is one. */
  childOf(taskId: number): RunController | undefined {
    const task = this.tasks[taskId];
    return task === undefined
      ? undefined
      : (this.#control.children.of(task) as RunController | undefined);
  }

  /** Kills every task still running or planned and ends the run KILLED. */
  cancel(reason = "cancelled"): void {
    if (isTerminalRun(this.state)) return;
    this.#cancelError = new RunCancelledError(this.name, reason);
    this.#journal.report("on_kill", `Run ${this.name} cancelled: ${reason}.`, "WARNING");
    this.#stopTasks(this.#cancelError);
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
    const { sources, producers, hasFutures } = findSources(
      definition,
      args,
      this.tasks,
      this.#save,
      this.#inputs,
    );
    if (!hasFutures) {
      const invalid = checkInputs(definition, args);
      if (invalid !== undefined) throw invalid;
    }
    const at = Date.now();
    const copy = this.#names.next(definition.name);
    const name = taskName(definition.name, copy);
    const id = this.tasks.length;
    const pk = this.#journal.addTask(definition, name, at, id, storedSources(sources, this.tasks));
    const task = new TaskRun(id, copy, pk, definition, args, sources, hasFutures, at);
    this.tasks.push(task);
    this.#unfinished++;
    this.#journal.linkCall(task, this.tasks, this.#inputs);
    this.#journal.taskCreated(task);
    this.#control.children.created(task);
    const blockedBy = task.dependOn(producers);
    if (blockedBy !== undefined) this.#control.skip(task, blockedBy);
    else if (task.waitingOn === 0) this.#dispatcher.ready(task);
    return task;
  }

  /** Stops the jobs still running (first) and kills every task not ended, with `error`. */
  #stopTasks(error: RunCancelledError): void {
    this.#lifecycle.stopJobs(error);
    this.#control.killTasks(this.tasks, error);
  }

  #flowReturnedWith(value: unknown): void {
    if (isTerminalRun(this.state)) return;
    try {
      // results that gather futures are made by a task of the run, so their lineage is stored
      this.#returned = gatherResults(
        value,
        this.#inputs,
        (definition, args) => new TaskSocket(this.schedule(definition, args), "result"),
      );
    } catch (error) {
      this.#except(error);
      return;
    }
    this.#flowReturned = true;
    if (this.#unfinished > 0) this.#moveRun("WAITING");
    this.#maybeFinish();
  }

  #maybeFinish(): void {
    if (!this.#flowReturned || this.#unfinished > 0 || isTerminalRun(this.state)) return;
    const final = finalResults(this.#returned);
    if (!final.ok) {
      this.#except(final.error);
      return;
    }
    const outcome = final.outcome;
    this.graphResults = outcome.graphResults;
    this.resultShape = outcome.shape;
    this.#journal.linkResults(outcome.nodes);
    this.results = outcome.nodes;
    const failed = this.tasks.filter((t) => t.state === "FAILED").map((t) => t.name);
    this.#journal.finalized(failed, this.graphResults);
    this.#end("FINISHED", failed.length > 0 ? ExitCode.TASK_FAILED : ExitCode.OK, undefined);
  }

  #except(error: unknown): void {
    if (isTerminalRun(this.state)) return;
    const data = serialiseError(error);
    this.#journal.report(
      "on_except",
      `Flow ${this.name} raised ${data.name}: ${data.message}`,
      "ERROR",
    );
    this.#stopTasks(new RunCancelledError(this.name, `the flow raised ${data.name}`));
    this.#end(
      "EXCEPTED",
      error instanceof TaskFailedError ? ExitCode.TASK_FAILED : ExitCode.FLOW_ERROR,
      error,
    );
  }

  #end(state: RunState, exitCode: number, error: unknown): void {
    this.exitCode = exitCode;
    this.error = error;
    this.endedAt = Date.now();
    this.#stopWatchingStore?.();
    this.#moveRun(state, error);
    this.#journal.close();
    this.#settle(state, exitCode, error);
  }

  #settle(state: RunState, exitCode: number, error: unknown): void {
    this.#settled = true;
    this.#resolveDone({ state, exitCode, results: this.results, error });
  }

  /**
   * Runs what a task's end, the flow's return or a ready task calls for. These come from
   * promises and microtasks: an error thrown there (the store closed under the run, say) would
   * be nobody's, so it ends the run instead.
   */
  #guarded(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#broken(error);
    }
  }

  /**
   * The run cannot go on (its store refuses writes): it ends EXCEPTED with `error`, recorded
   * as far as the store still takes it; `done` settles either way.
   */
  #broken(error: unknown): void {
    if (this.#settled) return;
    try {
      this.#except(error);
    } catch {
      // the store refuses the end too: `done` still says how the run ended
    }
    if (this.#settled) return;
    this.#stopWatchingStore?.();
    if (!isTerminalRun(this.state)) this.state = "EXCEPTED";
    this.exitCode ??= ExitCode.FLOW_ERROR;
    this.error = error;
    this.endedAt ??= Date.now();
    this.#journal.abandon();
    this.#settle(this.state, this.exitCode, error);
  }

  #moveRun(state: RunState, error?: unknown): void {
    const previous = this.state;
    if (!canMoveRun(previous, state)) {
      throw new Error(`Run ${this.name}: no move from ${previous} to ${state}`);
    }
    this.state = state;
    this.#journal.moveRun(previous, state, this.exitCode, error);
  }
}
