/**
 * A ready task's life in its run: its start (inputs resolved, a flow task's child run, a
 * reused result, or an attempt on its executor), then its success (outputs linked, dependents
 * made ready) or its failure (dependents skipped).
 */
import { toDataNode, type DataNode } from "../model/data-node.js";
import type { FlowScope } from "../author/flow-context.js";
import type { FlowInputValues } from "../author/flow-values.js";
import type { ControllerOptions } from "./controller-options.js";
import type { Dispatcher } from "./dispatcher.js";
import type { RunControl } from "./run-control.js";
import type { RunJournal } from "./run-journal.js";
import { TaskAttempts } from "./task-attempts.js";
import { checkOutputs, outputNodes } from "./task-checks.js";
import { findReuse } from "./task-reuse.js";
import type { TaskRun } from "./task-run.js";
import { startTask } from "./task-start.js";

/** What a task's life needs of its run. */
export interface LifecycleRun {
  /** The run the tasks' code runs in. */
  readonly scope: FlowScope;
  /** Every task of the run, by id. */
  readonly tasks: readonly TaskRun[];
  /** The values the flow received (a child run is given them after it was made). */
  inputs(): FlowInputValues;
  /** Whether the run has ended (a failure then is final). */
  ended(): boolean;
  /** A task has ended: the run counts one fewer unfinished. */
  released(): void;
  /** A task's end has been recorded: the run ends if it was the last. */
  maybeFinish(): void;
  /** Runs what a promise or a microtask calls for: what throws ends the run. */
  guarded(action: () => void): void;
  /** Taking an attempt's end into account threw (the store refused a write): the run ends. */
  broken(error: unknown): void;
}

/** Starts a run's ready tasks and takes their ends into account. */
export class TaskLifecycle {
  readonly #attempts: TaskAttempts;
  readonly #ready = (task: TaskRun): void => this.dispatcher.ready(task);

  constructor(
    private readonly run: LifecycleRun,
    private readonly journal: RunJournal,
    private readonly dispatcher: Dispatcher,
    private readonly control: RunControl,
    private readonly options: ControllerOptions,
  ) {
    this.#attempts = new TaskAttempts(journal, run.scope, options.jobs, {
      ended: () => run.ended(),
      succeeded: (task, value) => this.succeed(task, value),
      failed: (task, error) => this.fail(task, error),
      broken: (error) => run.broken(error),
    });
  }

  /** Starts a task whose inputs are all finished. */
  begin(task: TaskRun): void {
    const run = this.run;
    const started = startTask(task, run.tasks, this.journal, run.inputs());
    if (!started.ok) {
      this.fail(task, started.error);
      return;
    }
    const args = started.args;
    if (task.definition.kind === "flow") {
      this.control.children.start(task, args, (ok, value, nodes) =>
        run.guarded(() => {
          if (task.state !== "RUNNING") return;
          if (ok) this.succeed(task, value, "", undefined, nodes);
          else this.#attempts.failOrRetry(task, value);
        }),
      );
      return;
    }
    const reuse = this.options.keyCalls
      ? findReuse(task, args, this.options.replay, this.journal)
      : undefined;
    if (reuse !== undefined) {
      this.succeed(task, reuse.value, reuse.note, reuse.storedPks);
      return;
    }
    this.#attempts.attempt(task);
  }

  /** The task returned `value`: its outputs are checked and linked, its dependents readied. */
  succeed(
    task: TaskRun,
    value: unknown,
    note = "",
    stored?: ReadonlyMap<string, number>,
    returned?: ReadonlyMap<string, DataNode>, // a child run's results, made by its tasks
  ): void {
    if (
      returned === undefined &&
      stored === undefined &&
      task.definition.outputLayout === undefined
    ) {
      // one `result` output and nothing to check (most calls): no map of nodes is made
      const node = toDataNode(value);
      this.journal.linkOutput(task, "result", node, "CREATE");
      task.finishWith(value, undefined, node);
    } else {
      const invalid = checkOutputs(task.definition, value);
      if (invalid !== undefined) {
        this.#attempts.failOrRetry(task, invalid);
        return;
      }
      const nodes =
        returned !== undefined ? new Map(returned) : outputNodes(task.definition, value);
      if (stored !== undefined) for (const [label, node] of nodes) node.pk ??= stored.get(label);
      this.journal.linkOutputs(task, nodes, returned !== undefined ? "RETURN" : "CREATE");
      task.finishWith(value, nodes);
    }
    this.#release(task);
    this.journal.finished(task, note);
    task.readyDependents(this.#ready);
    this.run.maybeFinish();
  }

  /** The task failed for good: its dependents are skipped. */
  fail(task: TaskRun, error: unknown): void {
    task.error = error;
    this.#release(task);
    this.journal.failed(task, error);
    this.control.skipDependents(task);
    this.run.maybeFinish();
  }

  /** Stops every job of the run still waiting or running (their tasks were killed). */
  stopJobs(reason: Error): void {
    this.#attempts.stopJobs(reason);
  }

  #release(task: TaskRun): void {
    this.run.released();
    this.dispatcher.release(task);
  }
}
