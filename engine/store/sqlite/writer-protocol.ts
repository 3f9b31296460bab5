/**
 * What SQLite stores and the process's writer thread (sqlite-writer.ts) say to each other.
 * Requests go in order over one port and are served in that order; each names its store (a
 * number this process gave it), and so does each reply about a store.
 */
import type { WriteBatch } from "./write-batch.js";

/** What a store asks of the writer thread. */
export type WriterRequest =
  /** Opens the store's connection to `file` (made and migrated); answered with `result`. */
  | { readonly op: "open"; readonly store: number; readonly id: number; readonly file: string }
  | {
      readonly op: "write";
      readonly store: number;
      readonly seq: number;
      readonly batch: WriteBatch;
      /** How long this attempt may wait for a lock another process holds, in ms. */
      readonly lockWaitMs: number;
    }
  /** Closes the store's connection, after its writes; answered with `result`. */
  | { readonly op: "close"; readonly store: number; readonly id: number };

/** What the writer thread tells a store. */
export type WriterReply =
  /** Every batch up to `seq` is committed. */
  | { readonly kind: "written"; readonly store: number; readonly seq: number }
  /** Another process has held the write lock since `since` (ms since the epoch); retrying. */
  | { readonly kind: "busy"; readonly store: number; readonly since: number }
  /** The batches up to `seq` were refused (rolled back, dropped); `seq` 0: it cannot write. */
  | {
      readonly kind: "write-failed";
      readonly store: number;
      readonly seq: number;
      readonly message: string;
    }
  | { readonly kind: "result"; readonly store: number; readonly id: number }
  | {
      readonly kind: "failed";
      readonly store: number;
      readonly id: number;
      readonly message: string;
    };
