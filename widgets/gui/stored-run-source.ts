/**
 * Runs read back from a provenance store, such as the SQLite file of a profile. A run still
 * going on in another process is followed by reading it again every second: a store has no
 * events to subscribe to across processes.
 */
import {
  distinctUntilChanged,
  interval,
  map,
  of,
  skip,
  startWith,
  takeWhile,
  tap,
  type Observable,
} from "rxjs";
import type { DrawableGraph } from "../graph/drawable-graph.js";
import { previewValue } from "../graph/preview.js";
import { followStoredRun, submittedRunsGoTo, type NodeRow } from "../../engine/plumbing.js";
import type { FollowedGraph, RunAction, RunSource, RunSummary, TaskDetail } from "./run-source.js";
import { notSubmitted } from "./texts.js";
import { parseJson, readStoredGraph, storedSource, type StoreReader } from "./stored-graph.js";
import { StoredGraphFollower } from "./stored-graph-follower.js";
import { historyFromTimes } from "./task-history.js";
import { linesAbout } from "./task-logs.js";

/** Options of {@link StoredRunSource}. */
export interface StoredRunSourceOptions {
  /** How often a run still going on is read again, in ms (default 1000). */
  readonly pollInterval?: number;
  /** How many runs the list shows (default 200). */
  readonly limit?: number;
  /**
   * The profile whose store this is: pause, play and kill go through its link (its daemon, or
   * the workers of its broker). By default, the profile whose folder holds the store's file.
   */
  readonly profile?: string;
}

const ENDED = new Set(["FINISHED", "EXCEPTED", "KILLED"]);

/** A {@link RunSource} over a store; a run's id is its pk. */
export class StoredRunSource implements RunSource {
  readonly changes$: Observable<unknown>;
  readonly #poll: number;
  readonly #limit: number;
  readonly #profile: string | undefined;

  constructor(
    private readonly reader: StoreReader,
    options: StoredRunSourceOptions = {},
  ) {
    this.#poll = options.pollInterval ?? 1000;
    this.#limit = options.limit ?? 200;
    this.#profile = options.profile;
    this.changes$ = interval(this.#poll * 2).pipe(
      map(() => JSON.stringify(reader.runs({ limit: 20 }).map((r) => [r.pk, r.state]))),
      distinctUntilChanged(),
      skip(1),
    );
  }

  /** Pauses, plays or kills a submitted run: through the profile's daemon or its broker. */
  async control(id: number, action: RunAction): Promise<void> {
    const node = followStoredRun(id, this.reader, this.#profile);
    if (node === undefined) {
      throw new Error(notSubmitted(id, submittedRunsGoTo(this.reader, this.#profile)));
    }
    await node[action]();
  }

  async runs(): Promise<readonly RunSummary[]> {
    return this.reader.runs({ limit: this.#limit }).map((row) => this.#summary(row));
  }

  /** The child run a flow task's node names (its `childRun` attribute). */
  async child(id: number, taskId: number): Promise<RunSummary | undefined> {
    const taskPk = readStoredGraph(this.reader, id)?.tasks[taskId]?.pk;
    const task = taskPk === undefined ? undefined : this.reader.node(taskPk);
    const childPk = (parseJson(task?.attributes ?? null) as { childRun?: unknown } | undefined)
      ?.childRun;
    if (typeof childPk !== "number") return undefined;
    const row = this.reader.node(childPk);
    return row?.type === "run" ? this.#summary(row) : undefined;
  }

  #summary(row: NodeRow): RunSummary {
    return {
      id: row.pk,
      pk: row.pk,
      name: row.name ?? `run ${row.pk}`,
      state: row.state ?? "CREATED",
      createdAt: row.ctime,
      endedAt: row.endedAt,
      tasks: this.reader.taskCount(row.pk),
      error: storedError(row.attributes),
    };
  }

  async graph(id: number): Promise<DrawableGraph | undefined> {
    return readStoredGraph(this.reader, id);
  }

  async task(id: number, taskId: number): Promise<TaskDetail | undefined> {
    const graph = await this.graph(id);
    const task = graph?.tasks[taskId];
    if (graph === undefined || task === undefined) return undefined;
    const names = graph.tasks.map((t) => t.name);
    const inputs: Record<string, string> = {};
    for (const edge of graph.edges) {
      if (edge.to === taskId) inputs[edge.input ?? "?"] = `← ${names[edge.from]}.${edge.socket}`;
    }
    for (const [name, value] of Object.entries(task.inputs ?? {})) {
      inputs[name] = previewValue(value, 200);
    }
    const outputs: Record<string, string> = {};
    for (const link of this.reader.links({ from: task.pk ?? -1, type: "CREATE" })) {
      outputs[link.label] = previewValue(parseJson(this.reader.node(link.to)?.value ?? null), 200);
    }
    return {
      id: taskId,
      pk: task.pk ?? null,
      name: task.name,
      kind: task.kind ?? "",
      state: task.state ?? "PLANNED",
      attempt: task.attempt ?? 1,
      inputs,
      outputs,
      error: task.error ?? null,
      history: historyFromTimes(task),
      logs: linesAbout(
        task.name,
        [
          ...this.reader.reports(id),
          ...(task.pk !== undefined ? this.reader.reports(task.pk) : []),
        ].sort((a, b) => a.at - b.at),
      ),
      source: task.pk !== undefined ? storedSource(this.reader, task.pk) : null,
    };
  }

  follow(id: number): Observable<FollowedGraph> | undefined {
    const first = readStoredGraph(this.reader, id);
    if (first === undefined) return undefined;
    const followed = new StoredGraphFollower(() => readStoredGraph(this.reader, id), first);
    const ended = (): boolean => ENDED.has(followed.graph().state ?? "FINISHED");
    if (ended()) return of(followed);
    return interval(this.#poll).pipe(
      tap(() => followed.refresh()),
      startWith(-1),
      takeWhile(() => !ended(), true),
      map(() => followed),
    );
  }
}

/** `Name: message` of the error stored on a run, if any. */
function storedError(attributes: string | null): string | null {
  const error = (
    parseJson(attributes) as { error?: { name?: string; message?: string } } | undefined
  )?.error;
  return error === undefined ? null : `${error.name ?? "Error"}: ${error.message ?? ""}`;
}
