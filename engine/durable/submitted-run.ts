/**
 * What `submit()` returns: a handle on a run that executes in the profile's daemon, or on a
 * worker of the profile's broker. Its `events$` is fed through the run's link (every event of
 * the run so far, then live ones; after a restart or another worker taking over, those of the
 * continued run), its results are read from the store, and `pause()`, `play()`, `kill()` go
 * through the link. Awaitable for the results, like a `Run`.
 */
import { ReplaySubject, defer, type Observable } from "rxjs";
import type { DataNode } from "../model/data-node.js";
import type { EngineEvent } from "../model/events.js";
import { GraphModel } from "../model/graph-model.js";
import { RunCancelledError, WorkgraphError } from "../model/errors.js";
import type { RunState } from "../model/states.js";
import { inspectSymbol, displaySymbol, type MimeBundle } from "../model/symbols.js";
import { storedDataNode } from "../store/queries/stored-data-node.js";
import { parseCanonicalJson } from "../store/canonical-json.js";
import type { ProvenanceReader } from "../store/reader.js";
import type { RunResults } from "../schedule/run-handle.js";
import type { RunGraph } from "../model/run-graph.js";
import type { ControlAction } from "./protocol.js";
import type { RunLink } from "./run-link.js";
import { catchUp } from "./stored-catch-up.js";

/** How a submitted run ended. */
export interface SubmittedOutcome {
  readonly state: RunState;
  readonly exitCode: number | undefined;
}

/** A run submitted to a daemon, followed from this process. */
export class SubmittedRun<R = unknown> implements PromiseLike<RunResults<R>> {
  readonly #events = new ReplaySubject<EngineEvent>();
  /** Every event of the run (replayed to late subscribers); completes when the run ends. */
  readonly events$: Observable<EngineEvent> = defer(() => this.follow().#events);
  readonly #done: Promise<SubmittedOutcome>;
  /** When the run was stored (ms since the epoch). */
  readonly createdAt: number;
  #state: RunState;
  #resolveDone!: (outcome: SubmittedOutcome) => void;
  #following = false;

  /** @internal */
  constructor(
    readonly pk: number,
    readonly uuid: string,
    readonly name: string,
    private readonly store: ProvenanceReader,
    private readonly link: RunLink,
    /** Resolves once the run is queued (the daemon told, started first if none ran). */
    readonly queued: Promise<void> = Promise.resolve(),
  ) {
    const row = store.node(pk);
    this.#state = (row?.state ?? "CREATED") as RunState;
    this.createdAt = row?.ctime ?? Date.now();
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
  }

  /** Resolves when the run has ended, with how it ended; never rejects. */
  get done(): Promise<SubmittedOutcome> {
    return this.follow().#done;
  }

  /** The run's state, as last heard from its link or read from the store. */
  get state(): RunState {
    return this.#state;
  }

  /** Starts following the run (once; awaiting it or subscribing does), through its link. */
  follow(): this {
    if (this.#following) return this;
    this.#following = true;
    void this.#followLoop();
    return this;
  }

  /**
   * The graph as this handle starts from: the run with no tasks yet, since `events$` replays
   * every event of the run from its start (what live views fold into their model).
   */
  graph(): RunGraph {
    return { name: this.name, pk: this.pk, state: "CREATED", tasks: [], edges: [] };
  }

  /** The results as data nodes, once the run has FINISHED; rejects if it ended otherwise. */
  async result(): Promise<RunResults<R>> {
    const outcome = await this.follow().done;
    if (outcome.state !== "FINISHED") throw this.#failure(outcome.state);
    const results: Record<string, DataNode> = {};
    for (const link of this.store.links({ from: this.pk, type: "RETURN" })) {
      const row = this.store.node(link.to);
      if (row !== undefined) results[link.label] = storedDataNode(row);
    }
    return results as RunResults<R>;
  }

  /** No new task starts; running tasks finish and are recorded. */
  pause(): Promise<void> {
    return this.#control("pause");
  }

  /** Ready tasks start again. */
  play(): Promise<void> {
    return this.#control("play");
  }

  /** Ends the run KILLED: every task terminal, its job processes stopped. */
  kill(): Promise<void> {
    return this.#control("kill");
  }

  then<A = RunResults<R>, B = never>(
    onFulfilled?: ((value: RunResults<R>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.result().then(onFulfilled, onRejected);
  }

  /** A one-line summary: `add_multiply (pk 3): RUNNING, in the daemon of profile default`. */
  summary(): string {
    return `${this.name} (pk ${this.pk}): ${this.#state}, in ${this.link.where}`;
  }

  [inspectSymbol](): string {
    return `<SubmittedRun ${this.summary()}>`;
  }

  [displaySymbol](): MimeBundle {
    return { "text/plain": this.summary() };
  }

  #control(action: ControlAction): Promise<void> {
    return this.link.control(this.pk, action);
  }

  async #followLoop(): Promise<void> {
    // what was passed on, so that what the link missed (the run ended before it was
    // followed, a daemon gone mid-run) is passed on from the store at the end
    const passed = new GraphModel(this.graph());
    const pass = (event: EngineEvent): void => {
      if (event.type === "run.state") this.#state = event.state;
      passed.apply(event);
      this.#events.next(event);
    };
    await this.link.follow(this, pass);
    catchUp(this.store, this, passed, pass);
    const row = this.store.node(this.pk);
    this.#end((row?.state ?? "KILLED") as RunState, row?.exitCode ?? undefined);
  }

  #end(state: RunState, exitCode: number | undefined): void {
    this.#state = state;
    this.#events.complete();
    this.#resolveDone({ state, exitCode });
  }

  #failure(state: RunState): Error {
    const row = this.store.node(this.pk);
    const attributes =
      row?.attributes != null
        ? (parseCanonicalJson(row.attributes) as Record<string, unknown>)
        : {};
    const error = attributes.error as { name?: string; message?: string } | undefined;
    const reason = error?.message ?? `it ended ${state}`;
    return state === "KILLED"
      ? new RunCancelledError(this.name, reason)
      : new WorkgraphError(`Run ${this.name} (pk ${this.pk}) ended ${state}: ${reason}`);
  }
}
