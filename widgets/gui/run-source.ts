/**
 * Where the page finds runs: those started in this process (followed live through their
 * events) or those in a provenance store (read back, followed by re-reading while they run).
 */
import type { Observable } from "rxjs";
import type { DrawableEdge, DrawableGraph, DrawableTask } from "../graph/drawable-graph.js";

/** A run as the page lists it. */
export interface RunSummary {
  /** How the source names the run: its pk for a store, a counter for this process's runs. */
  readonly id: number;
  readonly pk: number;
  readonly name: string;
  readonly state: string;
  readonly createdAt: number;
  readonly endedAt: number | null;
  readonly tasks: number;
  /** Why it did not finish (`Name: message`), once EXCEPTED or KILLED. */
  readonly error: string | null;
}

/** One state a task was in, and since when (ms since the epoch). */
export interface StateChange {
  readonly state: string;
  readonly at: number;
}

/** Everything the task panel shows about one task. Values are short previews. */
export interface TaskDetail {
  readonly id: number;
  readonly pk: number | null;
  readonly name: string;
  readonly kind: string;
  readonly state: string;
  readonly attempt: number;
  /** By input name: the value, or where it comes from (`← add.result`). */
  readonly inputs: Readonly<Record<string, string>>;
  /** By output socket. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly error: {
    readonly name: string;
    readonly message: string;
    readonly stack?: string;
  } | null;
  readonly history: readonly StateChange[];
  /** The run's report lines about this task. */
  readonly logs: readonly string[];
  /** The task function's source, when known. */
  readonly source: string | null;
}

/** What the page server reads runs from. */
export interface RunSource {
  /** The runs, newest first. */
  runs(): Promise<readonly RunSummary[]>;
  /** A run's graph now; undefined when there is no such run. */
  graph(id: number): Promise<DrawableGraph | undefined>;
  /** One task's details; undefined when there is no such task. */
  task(id: number, taskId: number): Promise<TaskDetail | undefined>;
  /**
   * The run's graph as it changes: emits (the same model each time) at once and whenever the
   * run changed; completes when it has ended. Undefined when there is no such run.
   */
  follow(id: number): Observable<FollowedGraph> | undefined;
  /** Emits when runs start or end, so the page can refresh its list. */
  readonly changes$: Observable<unknown>;
  /** Pauses, plays or kills a run; rejects saying why when it cannot. */
  control(id: number, action: RunAction): Promise<void>;
  /**
   * The child run of a flow task (a nested flow or WorkGraph), as the page lists it, so the
   * page can open it; undefined when the task has no child run (yet).
   */
  child(id: number, taskId: number): Promise<RunSummary | undefined>;
}

/** What the page's buttons do to a run. */
export const RUN_ACTIONS = ["pause", "play", "kill"] as const;

/** One of {@link RUN_ACTIONS}. */
export type RunAction = (typeof RUN_ACTIONS)[number];

/** What changed in a followed graph since it was last asked. */
export interface DrawableChanges {
  readonly state: string | undefined;
  /** Tasks that are new or changed. */
  readonly tasks: readonly DrawableTask[];
  /** Edges not reported before. */
  readonly edges: readonly DrawableEdge[];
  /** Tasks running now (their bars grow with the clock). */
  readonly running: readonly DrawableTask[];
}

/** A run's graph kept up to date by its source (the engine's `GraphModel` is one). */
export interface FollowedGraph {
  /** The graph now. */
  graph(): DrawableGraph;
  /** What changed since the last call, or since the graph was first taken. */
  takeChanges(): DrawableChanges;
}
