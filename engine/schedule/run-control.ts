/**
 * What stops or holds a run's tasks: pause and play (ready tasks wait, and so do the child
 * runs of its flow tasks), killing them when the run is cancelled or its flow raised, and
 * skipping the dependents of a task that failed. It also makes the child run of each flow
 * task, paused when the run is.
 */
import type { DataNode } from "../model/data-node.js";
import { isTerminalTask } from "../model/states.js";
import { ChildRuns, type ChildRun } from "./child-runs.js";
import type { ControllerOptions } from "./controller-options.js";
import type { Dispatcher } from "./dispatcher.js";
import type { RunJournal } from "./run-journal.js";
import type { TaskRun } from "./task-run.js";

/** Makes the run a flow task calls, with the options it is given (a `RunController`). */
export type NewChildRun = (task: TaskRun, options: ControllerOptions) => ChildRun;

/** Pause, play, kill and the child runs of one run. */
export class RunControl {
  /** The child run of each flow task of the run. */
  readonly children: ChildRuns;

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly journal: RunJournal,
    private readonly options: ControllerOptions,
    private readonly newChild: NewChildRun,
    /** The run's input node a value its flow received stands for. */
    inputNodeOf: (value: unknown) => DataNode | undefined,
    /** A task is about to end without finishing (killed or skipped). */
    private readonly stopped: () => void,
  ) {
    this.children = new ChildRuns((task) => this.#makeChild(task), inputNodeOf);
  }

  /** Whether ready tasks wait instead of starting. */
  get paused(): boolean {
    return this.dispatcher.paused;
  }

  /** No task starts, here or in a child run, until {@link play}; running tasks go on. */
  pause(): void {
    if (this.dispatcher.paused) return;
    this.dispatcher.pause();
    this.children.each((child) => child.pause());
    this.journal.paused(true);
  }

  /** Ready tasks start again after {@link pause}. */
  play(): void {
    if (!this.dispatcher.paused) return;
    this.dispatcher.play();
    this.children.each((child) => child.play());
    this.journal.paused(false);
  }

  /** Kills every task still running or planned: stops the running ones, cancels child runs. */
  killTasks(tasks: readonly TaskRun[], reason: Error): void {
    for (const task of tasks) {
      if (isTerminalTask(task.state)) continue;
      task.error = reason;
      if (task.state === "RUNNING") {
        task.stop(reason);
        this.dispatcher.release(task);
      }
      this.stopped();
      this.journal.moveTask(task, "KILLED", reason);
      this.children.cancel(task, reason.message);
    }
  }

  /** Skips the planned tasks that wait, directly or not, on a task that failed. */
  skipDependents(failed: TaskRun): void {
    const stack: TaskRun[] = [failed];
    for (let from = stack.pop(); from !== undefined; from = stack.pop()) {
      for (const dependent of from.dependents) {
        if (dependent.state !== "PLANNED") continue;
        this.skip(dependent, from);
        stack.push(dependent);
      }
    }
  }

  /** Skips a task: its input from `because` will never come. */
  skip(task: TaskRun, because: TaskRun): void {
    task.error = because.failure();
    this.children.cancel(task, `its input from ${because.name} is ${because.state}`);
    this.stopped();
    this.journal.moveTask(task, "SKIPPED", task.error);
    this.journal.report(
      "update_task_state",
      `Task: ${task.name} skipped: its input from ${because.name} is ${because.state}.`,
    );
  }

  #makeChild(task: TaskRun): ChildRun {
    const calledBy = { run: this.journal.pk, task: task.pk };
    const options = { ...this.options, name: task.name, replay: undefined, calledBy };
    const child = this.newChild(task, options);
    this.journal.annotate(task.pk, { childRun: child.pk });
    if (this.paused) child.pause();
    return child;
  }
}
