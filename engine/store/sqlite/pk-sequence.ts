/**
 * Where pks come from. They are handed out at once (the engine never waits), so they cannot
 * come from the store file's write lock: another process may hold it for a long time. They
 * come from a small side file, `<store>-pks`, whose lock is only ever held for a few
 * microseconds: a process claims a block of pks, hands them out while the rows that use them
 * wait in memory (a burst of turns within one commit window draws on one block), and gives
 * back what it did not use when those rows are committed (write-group.ts), or when a turn ends
 * with nothing waiting. Groups of different processes that do not overlap thus get dense pks;
 * overlapping ones may leave a gap, never a pk taken twice. pks follow the order they are
 * handed out in within a process, not across processes (a block is held up to a commit window,
 * longer while another process holds the store's lock): the stored order of calls is never
 * taken from pks across processes (test/durable/continued-order.test.ts).
 */
import Database from "better-sqlite3";
import { switchToWal } from "./wal-mode.js";

/** The first block claimed; each further block claimed before they go back is twice as large. */
const FIRST_BLOCK = 64;
const LARGEST_BLOCK = 8192;

/** Hands out unique pks for one store. */
export class PkSequence {
  readonly #db: Database.Database | undefined;
  readonly #read: Database.Statement<[], number> | undefined;
  readonly #write: Database.Statement<[number]> | undefined;
  readonly #giveBack: Database.Statement<[number, number]> | undefined;
  /** The next pk of the claimed block, and where the block ends (exclusive). */
  #cursor = 0;
  #end = 0;
  #block = FIRST_BLOCK;
  /**
   * With no side file (`:memory:`), the next pk not yet handed out: rows handed out may still
   * wait to be committed, so the largest pk stored can lag behind them.
   */
  #unclaimed = 0;

  /**
   * A sequence beside `file` (or, for `:memory:`, in this process alone); `maxPk` reads the
   * largest pk stored, so a profile written before the side file existed goes on from it.
   */
  constructor(
    file: string,
    private readonly maxPk: () => number,
  ) {
    if (file === ":memory:") return;
    const db = new Database(`${file}-pks`);
    switchToWal(db);
    db.pragma("synchronous = NORMAL");
    // Holders keep the lock for microseconds; this only ever waits for them.
    db.pragma("busy_timeout = 10000");
    db.exec("CREATE TABLE IF NOT EXISTS sequence (next INTEGER NOT NULL)");
    db.transaction(() => {
      if (db.prepare("SELECT 1 FROM sequence").get() === undefined) {
        db.prepare("INSERT INTO sequence (next) VALUES (1)").run();
      }
    }).immediate();
    this.#db = db;
    this.#read = db.prepare<[], number>("SELECT next FROM sequence").pluck();
    this.#write = db.prepare<[number]>("UPDATE sequence SET next = ?");
    this.#giveBack = db.prepare<[number, number]>("UPDATE sequence SET next = ? WHERE next = ?");
  }

  /** The next pk. */
  next(): number {
    if (this.#cursor === this.#end) this.#claim(this.#block);
    return this.#cursor++;
  }

  /** The pk {@link next} would return, without taking it. */
  peek(): number {
    if (this.#cursor === this.#end) this.#claim(this.#block);
    return this.#cursor;
  }

  /** The first of `count` consecutive pks, all taken (an archive import's chunk). */
  take(count: number): number {
    this.settle();
    const first = this.#claim(count);
    this.#cursor = this.#end;
    this.settle();
    return first;
  }

  /** Gives back the pks claimed and not handed out, if nobody claimed after them. */
  settle(): void {
    if (this.#cursor < this.#end) {
      const cursor = this.#cursor;
      const end = this.#end;
      if (this.#db === undefined) {
        if (this.#unclaimed === end) this.#unclaimed = cursor;
      } else this.#db.transaction(() => this.#giveBack?.run(cursor, end)).immediate();
    }
    this.#cursor = this.#end = 0;
    this.#block = FIRST_BLOCK;
  }

  /** Stops using the side file. */
  close(): void {
    this.settle();
    this.#db?.close();
  }

  /** Claims `count` pks, right after the current block when nobody claimed in between. */
  #claim(count: number): number {
    const stored = this.maxPk() + 1;
    if (this.#db === undefined) {
      this.#cursor = Math.max(this.#end, this.#unclaimed, stored);
      this.#unclaimed = this.#cursor + count;
    } else {
      const read = this.#read as Database.Statement<[], number>;
      const write = this.#write as Database.Statement<[number]>;
      this.#cursor = this.#db
        .transaction(() => {
          const first = Math.max(read.get() as number, stored);
          write.run(first + count);
          return first;
        })
        .immediate();
    }
    this.#end = this.#cursor + count;
    this.#block = Math.min(this.#block * 2, LARGEST_BLOCK);
    return this.#cursor;
  }
}
