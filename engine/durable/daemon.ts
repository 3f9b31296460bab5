/**
 * The daemon of one profile: claims submitted runs from the queue, runs each on its own node
 * with this process's job pool (a run an earlier daemon left behind is continued by replay),
 * keeps every event of the runs it runs so a follower gets the whole story, and carries out
 * pause, play and kill from other processes.
 */
import { hostname } from "node:os";
import type { EngineEvent } from "../model/events.js";
import { ExitCode, isTerminalRun, type RunState } from "../model/states.js";
import { parseCanonicalJson } from "../store/canonical-json.js";
import type { ProvenanceReader } from "../store/reader.js";
import type { ProvenanceStore } from "../store/store.js";
import type { JobExecutor } from "../execute/executor.js";
import type { Run } from "../schedule/run-handle.js";
import type { Flow } from "../schedule/run.js";
import { continueRun } from "./continue-run.js";
import { loadFlow } from "./load-flow.js";
import type { ControlAction, DaemonStatus } from "./protocol.js";
import type { Claim, Claimant, RunQueue } from "./run-queue.js";
import { submittedSchema } from "./submission.js";

/** How long the events of an ended run stay for late followers. */
const KEEP_ENDED_MS = 60_000;

/** Someone following a run: told each event, then the end. */
export interface Follower {
  event(event: EngineEvent): void;
  end(state: string): void;
}

interface LiveRun {
  readonly run: Run;
  readonly events: EngineEvent[];
}

/** What a daemon needs: its store and queue, its job pool, and the package entry for flows. */
export interface DaemonOptions {
  readonly profile: string;
  readonly store: ProvenanceStore & ProvenanceReader;
  readonly queue: RunQueue;
  readonly jobs: JobExecutor;
  readonly packageEntry: Readonly<Record<string, unknown>>;
  /** Where the daemon writes what it does (its log file). */
  readonly log: (text: string) => void;
}

/** Runs the submitted runs of one profile. */
export class Daemon {
  readonly #runs = new Map<number, LiveRun>();
  readonly #followers = new Map<number, Set<Follower>>();
  /** The events of runs that ended lately, for followers that come just after the end. */
  readonly #ended = new Map<number, { readonly events: EngineEvent[]; readonly state: string }>();
  /** Claimed runs whose flow is still loading, with the last command given meanwhile. */
  readonly #loading = new Map<number, ControlAction | undefined>();
  readonly #me: Claimant = { pid: process.pid, host: hostname() };
  readonly #startedAt = Date.now();
  #claiming = false;
  #stopped = false;

  constructor(private readonly options: DaemonOptions) {}

  /** Claims and starts every run waiting in the queue. */
  wake(): void {
    if (this.#claiming || this.#stopped) return;
    this.#claiming = true;
    try {
      for (let claim = this.options.queue.claim(this.#me); claim !== undefined;) {
        this.#start(claim);
        claim = this.#stopped ? undefined : this.options.queue.claim(this.#me);
      }
    } finally {
      this.#claiming = false;
    }
  }

  /** The daemon's pid, workers and runs. */
  status(): DaemonStatus {
    const { queued } = this.options.queue.unfinished();
    return {
      pid: process.pid,
      profile: this.options.profile,
      workers: this.options.jobs.concurrency,
      startedAt: this.#startedAt,
      queued,
      running: [...this.#loading.keys(), ...this.#runs.keys()],
    };
  }

  /** Pauses, plays or kills run `pk`; returns an error message when it cannot. */
  control(pk: number, action: ControlAction): string | undefined {
    if (this.#loading.has(pk)) {
      this.#loading.set(pk, action === "play" ? undefined : action);
      return undefined;
    }
    const live = this.#runs.get(pk);
    if (live !== undefined) {
      if (action === "pause") live.run.pause();
      else if (action === "play") live.run.play();
      else live.run.cancel("killed on request");
      return undefined;
    }
    const row = this.options.store.node(pk);
    if (row?.type !== "run") return `there is no run with pk ${pk}`;
    if (isTerminalRun(row.state as RunState)) return `run ${pk} has ended ${row.state}`;
    if (action === "kill") {
      // still waiting in the queue: it ends here, never started
      this.options.store.updateProcess(pk, {
        state: "KILLED",
        exitCode: ExitCode.KILLED,
        endedAt: Date.now(),
        error: { name: "RunCancelledError", message: "killed on request before it started" },
      });
      this.options.store.flush();
      this.#endFollowers(pk, "KILLED");
      this.options.queue.ended?.(pk, "KILLED");
      return undefined;
    }
    this.options.store.updateProcess(pk, { attributes: { paused: action === "pause" } });
    this.options.store.flush();
    return undefined;
  }

  /** Follows run `pk`: its events so far, then live ones; ended runs end the follow at once. */
  follow(pk: number, follower: Follower): () => void {
    const live = this.#runs.get(pk);
    const ended = this.#ended.get(pk);
    if (ended !== undefined) {
      for (const event of ended.events) follower.event(event);
      follower.end(ended.state);
      return () => undefined;
    }
    if (live === undefined) {
      const row = this.options.store.node(pk);
      if (row?.type !== "run" || isTerminalRun(row.state as RunState)) {
        follower.end(row?.state ?? "UNKNOWN");
        return () => undefined;
      }
    } else {
      for (const event of live.events) follower.event(event);
    }
    let set = this.#followers.get(pk);
    if (set === undefined) this.#followers.set(pk, (set = new Set()));
    set.add(follower);
    return () => set.delete(follower);
  }

  /** Whether this daemon runs (or is loading the flow of) run `pk`. */
  holds(pk: number): boolean {
    return this.#runs.has(pk) || this.#loading.has(pk);
  }

  /** The events of run `pk` kept since this daemon started it, if it runs it. */
  kept(pk: number): readonly EngineEvent[] | undefined {
    return this.#runs.get(pk)?.events;
  }

  /** Stops claiming; the runs stay in the store, and the next daemon continues them. */
  stop(): void {
    this.#stopped = true;
  }

  #start(claim: Claim): void {
    const { store } = this.options;
    const row = store.node(claim.pk);
    const attributes =
      row?.attributes != null
        ? (parseCanonicalJson(row.attributes) as Record<string, unknown>)
        : {};
    const parsed = submittedSchema.safeParse(attributes);
    const paused = attributes.paused === true;
    this.options.log(
      `${claim.recovered ? "continuing" : "starting"} run ${claim.pk} (${row?.name ?? "?"})`,
    );
    const pending: EngineEvent[] = [];
    const options = {
      store,
      jobs: this.options.jobs,
      ...(parsed.success && parsed.data.submitted.maxConcurrency !== undefined
        ? { maxConcurrency: parsed.data.submitted.maxConcurrency }
        : {}),
    };
    const begin = (flow: Flow): void => {
      let run: Run;
      try {
        run = continueRun(claim.pk, flow, options);
      } catch (error) {
        // inputs that no longer fit the flow: the run ends EXCEPTED saying so
        run = continueRun(claim.pk, failing(error), options);
      }
      const live: LiveRun = { run, events: pending };
      const action = this.#loading.get(claim.pk);
      this.#loading.delete(claim.pk);
      this.#runs.set(claim.pk, live);
      run.events$.subscribe({
        next: (event) => {
          live.events.push(event);
          for (const follower of this.#followers.get(claim.pk) ?? []) follower.event(event);
        },
        complete: () => {
          this.#runs.delete(claim.pk);
          this.#ended.set(claim.pk, { events: live.events, state: run.state });
          setTimeout(() => this.#ended.delete(claim.pk), KEEP_ENDED_MS).unref();
          this.options.log(`run ${claim.pk} ended ${run.state}`);
          this.#endFollowers(claim.pk, run.state);
          this.options.queue.ended?.(claim.pk, run.state);
        },
      });
      if (paused || action === "pause") run.pause();
      if (action === "kill") run.cancel("killed on request");
    };
    if (!parsed.success) {
      begin(failing(new Error(`run ${claim.pk} has no stored flow to run`)));
      return;
    }
    this.#loading.set(claim.pk, undefined);
    loadFlow(parsed.data.submitted.flow, this.options.packageEntry).then(begin, (error: unknown) =>
      begin(failing(error)),
    );
  }

  #endFollowers(pk: number, state: string): void {
    const set = this.#followers.get(pk);
    this.#followers.delete(pk);
    for (const follower of set ?? []) follower.end(state);
  }
}

/** A flow that takes any inputs and throws `error`: a run whose flow cannot load ends EXCEPTED. */
function failing(error: unknown): Flow {
  return function flowCannotLoad({ ..._inputs }: Record<string, unknown>) {
    throw error;
  };
}
