/** Errors of the provenance store, its queries and its archives. */
import { WorkgraphError } from "../model/errors.js";
import * as messages from "./messages.js";

/** A store file could not be opened: not SQLite, another application's, or too new. */
export class StoreOpenError extends WorkgraphError {
  override name = "StoreOpenError";
  constructor(
    readonly file: string,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No node has this pk or uuid. */
export class NodeNotFoundError extends WorkgraphError {
  override name = "NodeNotFoundError";
  constructor(readonly key: number | string) {
    super(messages.noNode(key));
  }
}

/** An archive could not be read or imported; the store was left as it was. */
export class ArchiveError extends WorkgraphError {
  override name = "ArchiveError";
  constructor(
    readonly file: string,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Another process has held the store's write lock for too long, or the store's server has been
 * out of reach for too long; writes wait in memory.
 */
export class StoreUnavailableError extends WorkgraphError {
  override name = "StoreUnavailableError";
  constructor(
    readonly file: string,
    readonly waitedMs: number,
    /** True when the store was closed and the rows still waiting were dropped. */
    readonly dropped = false,
    /** Why: another process holds the lock (SQLite), or the server cannot be reached. */
    readonly reason: "locked" | "unreachable" = "locked",
  ) {
    super(
      reason === "unreachable"
        ? dropped
          ? messages.serverClosedWithRowsLost(file, waitedMs)
          : messages.serverUnreachable(file, waitedMs)
        : dropped
          ? messages.storeClosedWithRowsLost(file, waitedMs)
          : messages.storeUnavailable(file, waitedMs),
    );
  }
}

/** The store's server refused a write (not a lost connection): the batch was not stored. */
export class StoreWriteError extends WorkgraphError {
  override name = "StoreWriteError";
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(messages.writeRefused(file, detail));
  }
}

/** A node was written with a uuid another stored node has: its batch was not stored. */
export class DuplicateUuidError extends WorkgraphError {
  override name = "DuplicateUuidError";
  constructor(readonly uuid: string) {
    super(messages.duplicateUuid(uuid));
  }
}
