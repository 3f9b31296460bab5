/**
 * Whether a PostgreSQL store's server is in reach and takes its writes, as the store's thread
 * reports it. A server out of reach past `unavailableAfterMs`, or a batch it refused, is told
 * to the listeners (the runs writing there end); a refused batch is also thrown once, by the
 * store's next flush.
 */
import { StoreUnavailableError, StoreWriteError } from "../store-errors.js";

/** The reach of one store's server, and who hears when it is lost for too long. */
export class PgAvailability {
  readonly #listeners = new Set<(error: Error) => void>();
  #downSince: number | undefined;
  #unavailable: StoreUnavailableError | undefined;
  #failed: StoreWriteError | undefined;

  constructor(
    /** The store, for messages. */
    private readonly file: string,
    private readonly unavailableAfterMs: number,
  ) {}

  /** Whether the server is out of reach now. */
  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** Calls `listener` when the server has been out of reach too long; returns how to stop. */
  onUnavailable(listener: (error: Error) => void): () => void {
    this.#listeners.add(listener);
    const already = this.#unavailable ?? this.#failed;
    if (already !== undefined) queueMicrotask(() => listener(already));
    return () => this.#listeners.delete(listener);
  }

  /** The thread has been out of reach of the server since `since`. */
  lost(since: number): void {
    this.#downSince ??= since;
    const waited = Date.now() - this.#downSince;
    if (this.#unavailable !== undefined || waited < this.unavailableAfterMs) return;
    this.#unavailable = new StoreUnavailableError(this.file, waited, false, "unreachable");
    this.#tell(this.#unavailable);
  }

  /** The thread reached the server again. */
  regained(): void {
    this.#downSince = undefined;
    this.#unavailable = undefined;
  }

  /** The server refused a batch of writes. */
  refused(message: string): void {
    this.#failed ??= new StoreWriteError(this.file, message);
    this.#tell(this.#failed);
  }

  /** Throws the refusal of a batch, once, if one came. */
  throwIfFailed(): void {
    const failed = this.#failed;
    if (failed === undefined) return;
    this.#failed = undefined;
    throw failed;
  }

  #tell(error: Error): void {
    for (const listener of [...this.#listeners]) listener(error);
  }
}
