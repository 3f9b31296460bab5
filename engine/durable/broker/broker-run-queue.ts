/**
 * The run queue on a broker: a submitted run is stored (CREATED, with its flow reference) and
 * then queued as a BullMQ job `run-<pk>` on the `runs` queue. A worker's BullMQ processor hands
 * the run to the worker's daemon through {@link BrokerRunQueue.take} (the daemon then claims it
 * as from any queue) and holds the BullMQ job until the run has ended, so a worker that dies
 * leaves a stalled job that BullMQ gives to another worker, which continues the run by replay.
 */
import { isTerminalRun, type RunState } from "../../model/states.js";
import type { ProvenanceReader } from "../../store/reader.js";
import type { ProvenanceStore } from "../../store/store.js";
import { OPEN_RUN_STATES, type Claim, type RunQueue, type Submission } from "../run-queue.js";
import { storeSubmission } from "../store-submission.js";
import { QUEUE_NAMES, type Broker } from "./broker-connection.js";

type Store = ProvenanceStore & ProvenanceReader;

/** The BullMQ job data of a submitted run. */
export interface RunJobData {
  readonly pk: number;
}

/** A {@link RunQueue} whose runs travel through the broker's `runs` queue. */
export class BrokerRunQueue implements RunQueue {
  readonly #queue;
  readonly #claimable: Claim[] = [];
  readonly #ends = new Map<number, (state: string) => void>();
  #adding: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    broker: Broker,
  ) {
    this.#queue = new broker.classes.Queue<RunJobData>(QUEUE_NAMES.runs, broker.options);
    this.#queue.on("error", () => undefined);
  }

  /** Stores the run, durably, then queues it on the broker (see {@link BrokerRunQueue.queued}). */
  enqueue(submission: Submission): { pk: number; uuid: string } {
    const { pk, uuid } = storeSubmission(this.store, submission);
    // stored before any worker can see it
    this.store.flush();
    this.#adding = this.#adding.then(() =>
      this.#queue.add("run", { pk }, { jobId: `run-${pk}`, removeOnComplete: true }),
    );
    return { pk, uuid };
  }

  /** Resolves once every run enqueued so far is on the broker. */
  async queued(): Promise<void> {
    await this.#adding;
  }

  /** A run this worker's BullMQ processor has taken, for the daemon. */
  claim(): Claim | undefined {
    return this.#claimable.shift();
  }

  /** The open submitted runs: waiting on the broker, or run by some worker. */
  unfinished(): { readonly queued: readonly number[]; readonly running: readonly number[] } {
    const queued: number[] = [];
    const running: number[] = [];
    for (const row of this.store.runs({ states: OPEN_RUN_STATES })) {
      (row.state === "CREATED" ? queued : running).push(row.pk);
    }
    return { queued: queued.reverse(), running: running.reverse() };
  }

  /** Told by the daemon that run `pk` has ended: its BullMQ job completes. */
  ended(pk: number, state: string): void {
    const end = this.#ends.get(pk);
    this.#ends.delete(pk);
    end?.(state);
  }

  /**
   * The BullMQ processor's part: offers run `pk` to the daemon (`wake` makes it claim) and
   * resolves with the run's final state. A run already ended (its job's completion was lost)
   * resolves at once.
   */
  take(pk: number, wake: () => void): Promise<string> {
    const row = this.store.node(pk);
    if (row === undefined || row.type !== "run") return Promise.resolve("UNKNOWN");
    if (isTerminalRun(row.state as RunState)) return Promise.resolve(row.state ?? "UNKNOWN");
    const ended = new Promise<string>((resolve) => this.#ends.set(pk, resolve));
    this.#claimable.push({
      pk,
      recovered: this.store.taskCount(pk) > 0 || row.state !== "CREATED",
    });
    wake();
    return ended;
  }

  /** Closes the connection to the broker. */
  async close(): Promise<void> {
    await this.#adding.catch(() => undefined);
    await this.#queue.close();
  }
}
