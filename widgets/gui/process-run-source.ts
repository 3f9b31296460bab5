/** The runs started in this process, followed live through their events. */
import { defer, filter, startWith, Subject, map, type Observable, type Subscription } from "rxjs";
import { runStarted$, type Run } from "../../engine/index.js";
import { GraphModel } from "../../engine/plumbing.js";
import type { DrawableGraph } from "../graph/drawable-graph.js";
import { liveTaskDetail } from "./live-task-detail.js";
import type { RunAction, RunSource, RunSummary, TaskDetail } from "./run-source.js";
import { KILLED_FROM_PAGE, noSuchRun } from "./texts.js";
import { TaskHistory } from "./task-history.js";

interface Entry {
  readonly id: number;
  readonly run: Run;
  readonly history: TaskHistory;
}

/** Options of {@link ProcessRunSource}. */
export interface ProcessRunSourceOptions {
  /** Keep at most this many runs; the oldest ended ones are forgotten first (default 100). */
  readonly limit?: number;
}

/** A {@link RunSource} over runs registered by hand or seen starting (see `watch`). */
export class ProcessRunSource implements RunSource {
  readonly #entries = new Map<number, Entry>();
  readonly #changes = new Subject<void>();
  readonly #limit: number;
  #nextId = 1;

  /** Emits when a run is registered or ends. */
  readonly changes$: Observable<unknown> = this.#changes.asObservable();

  constructor(options: ProcessRunSourceOptions = {}) {
    this.#limit = options.limit ?? 100;
  }

  /** Adds a run (once); registered as it starts, its every state change is in the panel. */
  register(run: Run): number {
    for (const entry of this.#entries.values()) if (entry.run === run) return entry.id;
    const id = this.#nextId++;
    this.#entries.set(id, { id, run, history: new TaskHistory(run.events$) });
    void run.done.then(() => this.#changes.next());
    this.#forgetOldRuns();
    this.#changes.next();
    return id;
  }

  /** Pauses, plays or kills a run of this process. */
  control(id: number, action: RunAction): Promise<void> {
    const run = this.#entries.get(id)?.run;
    if (run === undefined) return Promise.reject(new Error(noSuchRun(id)));
    if (action === "pause") run.pause();
    else if (action === "play") run.play();
    else run.cancel(KILLED_FROM_PAGE);
    return Promise.resolve();
  }

  /** The child run of a flow task, registered here so the page can open and follow it. */
  async child(id: number, taskId: number): Promise<RunSummary | undefined> {
    const child = this.#entries.get(id)?.run.child(taskId);
    if (child === undefined) return undefined;
    const childId = this.register(child);
    const entry = this.#entries.get(childId);
    return entry && summary(entry);
  }

  /** Registers every run this process starts from now on, until the subscription ends. */
  watch(): Subscription {
    return runStarted$.subscribe((run) => this.register(run));
  }

  async runs(): Promise<readonly RunSummary[]> {
    return [...this.#entries.values()].reverse().map(summary);
  }

  async graph(id: number): Promise<DrawableGraph | undefined> {
    return this.#entries.get(id)?.run.graph();
  }

  async task(id: number, taskId: number): Promise<TaskDetail | undefined> {
    const entry = this.#entries.get(id);
    return entry && liveTaskDetail(entry.run, taskId, entry.history);
  }

  follow(id: number): Observable<GraphModel> | undefined {
    const run = this.#entries.get(id)?.run;
    if (run === undefined) return undefined;
    // A run's events complete when it ends; a completed Subject completes new subscribers.
    return defer(() => {
      const model = new GraphModel(run.graph());
      return run.events$.pipe(
        filter((event) => model.apply(event)),
        startWith(undefined),
        map(() => model),
      );
    });
  }

  #forgetOldRuns(): void {
    for (const entry of this.#entries.values()) {
      if (this.#entries.size <= this.#limit) return;
      if (entry.run.endedAt === undefined) continue;
      entry.history.stop();
      this.#entries.delete(entry.id);
    }
  }
}

function summary(entry: Entry): RunSummary {
  return {
    id: entry.id,
    pk: entry.run.pk,
    name: entry.run.name,
    state: entry.run.state,
    createdAt: entry.run.createdAt,
    endedAt: entry.run.endedAt ?? null,
    tasks: entry.run.tasks.length,
    error: errorText(entry.run.error),
  };
}

/** `Name: message` of what a run ended with, if anything. */
function errorText(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === "string" ? error : (JSON.stringify(error) ?? "unknown error");
}
