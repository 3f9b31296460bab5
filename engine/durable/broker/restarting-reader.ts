/**
 * A stream's read loop (BullMQ's `QueueEvents`) run here rather than by BullMQ: BullMQ's loop
 * ends for good when its first connection fails (on PostgreSQL it connects before reading; a
 * reader made while the broker is out of reach), with no restart. This starts the loop, and
 * starts it again after a growing pause, from the last entry read, until closed. Once reading,
 * BullMQ's loop rides out lost connections by itself.
 */

/**
 * The first pause before a read loop is started again (or a worker publishes again after the
 * broker refused); it doubles up to the last.
 */
export const RETRY_FIRST_MS = 50;
export const RETRY_MAX_MS = 2_000;

/** The part of a `QueueEvents` made with `autorun: false` that the reader drives. */
export interface ReadLoop {
  readonly opts: unknown;
  waitUntilReady(): Promise<unknown>;
  run(): Promise<void>;
  close(): Promise<void>;
}

/** Runs `events`' read loop, starting it again while open. */
export class RestartingReader {
  readonly #events: ReadLoop;
  readonly #onError: (error: unknown) => void;
  readonly #onReading: () => void;
  readonly #ready: Promise<void>;
  #readyNow: () => void = () => undefined;
  /** The last stream entry read: a loop started again goes on from there. */
  #lastId: string | undefined;
  #lastError: unknown;
  #closed = false;
  #retry: { timer: NodeJS.Timeout; wake: () => void } | undefined;

  /**
   * `onError` hears why a start failed; `onReading` is told each time the loop reads (again).
   * Call {@link read} with each entry's id as it is handled.
   */
  constructor(
    events: ReadLoop,
    options: { onError?: (error: unknown) => void; onReading?: () => void } = {},
  ) {
    this.#events = events;
    this.#onError = options.onError ?? (() => undefined);
    this.#onReading = options.onReading ?? (() => undefined);
    this.#ready = new Promise((resolve) => (this.#readyNow = resolve));
    void this.#run();
  }

  /** Notes entry `entryId` as read. */
  read(entryId: string): void {
    this.#lastId = entryId;
  }

  /** Resolves once the stream is being read (a broker out of reach: once it answers). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Why the loop could not start last, if it could not. */
  get lastError(): unknown {
    return this.#lastError;
  }

  async #run(): Promise<void> {
    for (let wait = RETRY_FIRST_MS; !this.#closed; wait = Math.min(wait * 2, RETRY_MAX_MS)) {
      try {
        await this.#events.waitUntilReady();
        if (this.#closed) return;
        this.#lastError = undefined;
        this.#readyNow();
        this.#onReading();
        if (this.#lastId !== undefined) {
          (this.#events.opts as { lastEventId?: string }).lastEventId = this.#lastId;
        }
        await this.#events.run(); // returns once closed
      } catch (error) {
        this.#lastError = error;
        this.#onError(error);
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => {
        this.#retry = { timer: setTimeout(resolve, wait), wake: resolve };
      });
      this.#retry = undefined;
    }
  }

  /** Stops reading and closes the loop's connection. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry !== undefined) {
      clearTimeout(this.#retry.timer);
      this.#retry.wake();
    }
    await this.#events.close();
  }
}
