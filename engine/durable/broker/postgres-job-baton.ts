/**
 * The baton among the idle workers of one PostgreSQL queue: a session advisory lock, so that
 * only one idle worker claims on each job's `NOTIFY` (`postgres-job-waits.ts`). A worker asks
 * for it when it starts to wait, on a connection of its own taken from its pool, and blocks
 * there (`pg_advisory_lock`); PostgreSQL grants it to one waiter at a time. The holder gives it
 * back when it stays busy with a job (`postgres-job-waits.ts` says when), so the next idle
 * worker claims while it runs, and when it pauses or closes. A killed holder's
 * session ends and PostgreSQL gives the lock to the next. A baton that cannot be had (its
 * connection failed) leaves the worker claiming on every `NOTIFY`, as without a baton, until a
 * later wait takes it.
 */

/** The parts of a `pg` pool client the baton uses. */
interface BatonClient {
  query(text: string, values?: readonly unknown[]): Promise<unknown>;
  release(destroy?: boolean): void;
  on(event: "error", listener: (error: Error) => void): unknown;
}

export interface BatonPool {
  connect(): Promise<BatonClient>;
}

const LOCK = "SELECT pg_advisory_lock(hashtext($1), hashtext($2))";
const UNLOCK = "SELECT pg_advisory_unlock(hashtext($1), hashtext($2))";

export class JobBaton {
  readonly #pool: BatonPool;
  readonly #key: readonly [string, string];
  readonly #claimable: () => void;
  #client: BatonClient | undefined;
  #asking = false;
  #held = false;
  #failed = false;
  #closed = false;

  /** `claimable` runs each time this worker gets the baton, or its baton fails. */
  constructor(pool: BatonPool, queue: string, claimable: () => void) {
    this.#pool = pool;
    this.#key = ["workgraph:idle-claimer", queue];
    this.#claimable = claimable;
  }

  get holding(): boolean {
    return this.#held;
  }

  /** Whether this worker claims on a `NOTIFY`: it holds the baton, or the baton failed. */
  get mayClaim(): boolean {
    return this.#held || this.#failed;
  }

  /** Asks for the baton, unless held or asked for already; `claimable` runs when it comes. */
  ask(): void {
    if (this.#closed || this.#held || this.#asking) return;
    this.#asking = true;
    void this.#take().finally(() => {
      this.#asking = false;
    });
  }

  /** Gives the baton back (a no-op when not held): the next waiting worker gets it. */
  giveBack(): void {
    if (!this.#held) return;
    this.#held = false;
    const client = this.#client;
    client?.query(UNLOCK, this.#key).catch(() => this.#drop(client));
  }

  /** Ends the baton's connection, which releases the lock or a wait for it. */
  close(): void {
    this.#closed = true;
    this.#held = false;
    this.#drop(this.#client);
  }

  async #take(): Promise<void> {
    let client = this.#client;
    try {
      if (client === undefined) {
        client = await this.#pool.connect();
        if (this.#closed) {
          client.release(true);
          return;
        }
        this.#client = client;
        const mine = client;
        mine.on("error", () => this.#drop(mine));
      }
      await client.query(LOCK, this.#key);
    } catch {
      if (client === undefined) this.#fail();
      else this.#drop(client);
      return;
    }
    if (this.#closed || client !== this.#client) return;
    this.#held = true;
    this.#failed = false;
    this.#claimable();
  }

  /** Forgets a failed or closed connection; the server ends its session and its lock. */
  #drop(client: BatonClient | undefined): void {
    if (client === undefined || client !== this.#client) return;
    this.#client = undefined;
    client.release(true);
    this.#fail();
  }

  /** Claims on every `NOTIFY` from now on; claims once now when that is new. */
  #fail(): void {
    this.#held = false;
    if (this.#closed || this.#failed) return;
    this.#failed = true;
    this.#claimable();
  }
}
