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
