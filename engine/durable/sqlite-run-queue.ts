/**
 * The run queue in the SQLite profile: a submitted run is a run node in CREATED state with its
 * flow reference in its attributes (`durable`, `submitted`); a daemon claims it by writing
 * itself as the run's `daemon` inside one IMMEDIATE transaction, so two daemons never take the
 * same run. A run whose daemon is gone (same host, pid dead) is claimed again and continued.
 */
import { parseCanonicalJson } from "../store/canonical-json.js";
import type { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { retryWhileBusy } from "../store/sqlite/busy.js";
import { isAlive } from "../store/sqlite/orphaned-runs.js";
import type { NodeRow } from "../store/reader.js";
import {
  OPEN_RUN_STATES,
  type Claim,
  type Claimant,
  type RunQueue,
  type Submission,
} from "./run-queue.js";
import { storeSubmission } from "./store-submission.js";

interface DurableAttributes {
  readonly durable?: boolean;
  readonly daemon?: Claimant;
}

/** A {@link RunQueue} over a SQLite store's run nodes. */
export class SqliteRunQueue implements RunQueue {
  constructor(private readonly store: SqliteStore) {}

  enqueue(submission: Submission): { pk: number; uuid: string } {
    const { store } = this;
    return whenUnlocked(() => store.transaction(() => storeSubmission(store, submission)));
  }

  claim(claimant: Claimant): Claim | undefined {
    const { store } = this;
    return whenUnlocked(() =>
      store.transaction(() => {
        for (const row of this.#open()) {
          const { daemon } = attributesOf(row);
          if (daemon !== undefined && (daemon.pid === claimant.pid || runsElsewhere(daemon))) {
            continue;
          }
          store.updateProcess(row.pk, { attributes: { daemon: claimant, owner: claimant } });
          return { pk: row.pk, recovered: daemon !== undefined };
        }
        return undefined;
      }),
    );
  }

  unfinished(): { readonly queued: readonly number[]; readonly running: readonly number[] } {
    const queued: number[] = [];
    const running: number[] = [];
    for (const row of this.#open()) {
      const { daemon } = attributesOf(row);
      (daemon !== undefined && runsElsewhere(daemon) ? running : queued).push(row.pk);
    }
    return { queued, running };
  }

  /** The open durable runs, oldest first. */
  #open(): NodeRow[] {
    return this.store
      .runs({ states: OPEN_RUN_STATES })
      .filter((row) => attributesOf(row).durable === true)
      .reverse();
  }
}

/** How long a queue write waits for another process's write lock before giving up. */
const LOCK_WAIT_MS = 30_000;

/**
 * Runs a write, retrying while another process holds the file's write lock (a long run's
 * commit): a claim or a submission waits its turn rather than failing.
 */
function whenUnlocked<T>(write: () => T): T {
  return retryWhileBusy(write, LOCK_WAIT_MS, 20);
}

function attributesOf(row: NodeRow): DurableAttributes {
  return row.attributes === null ? {} : (parseCanonicalJson(row.attributes) as DurableAttributes);
}

/** Whether a daemon other than the caller still runs the run. */
function runsElsewhere(daemon: Claimant): boolean {
  return isAlive(daemon.pid);
}
