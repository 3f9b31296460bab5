/** The errors of running on a broker (BullMQ on Redis or PostgreSQL), with their context. */
import { WorkgraphError } from "../../model/errors.js";
import { maskUrl } from "../../store/postgres/connection-url.js";

/** A broker URL or prefix that cannot be used. */
export class BrokerUrlError extends WorkgraphError {
  override name = "BrokerUrlError";
  constructor(
    readonly url: string,
    readonly detail: string,
  ) {
    super(`Cannot use broker ${url}: ${detail}`);
  }
}

/** A job task whose broker job was lost (removed, or failed past its stalled limit). */
export class BrokerJobLostError extends WorkgraphError {
  override name = "BrokerJobLostError";
  constructor(
    readonly taskName: string,
    readonly jobId: string,
    readonly detail: string,
  ) {
    super(`Job ${taskName} (broker job ${jobId}) was lost: ${detail}`);
  }
}

/** A broker that stayed out of reach while jobs were sent to it. */
export class BrokerUnavailableError extends WorkgraphError {
  override name = "BrokerUnavailableError";
  /** The broker's URL, its password masked. */
  readonly url: string;
  constructor(
    readonly kind: "redis" | "postgresql",
    url: string,
    cause: unknown,
  ) {
    const shown = maskUrl(url);
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `The ${kind === "redis" ? "Redis" : "PostgreSQL"} broker at ${shown} is out of reach: ${detail}`,
      {
        cause,
      },
    );
    this.url = shown;
  }
}

/**
 * A BullMQ whose PostgreSQL backend is not the one the broker's changes to it were written
 * against (6.x: `postgres-entry-notify.ts`, `postgres-event-reads.ts`, `postgres-job-waits.ts`).
 * Refused rather than run half-changed: a producer and a reader must agree on where entries go.
 */
export class BrokerBackendShapeError extends WorkgraphError {
  override name = "BrokerBackendShapeError";
  constructor(readonly missing: string) {
    super(
      `This BullMQ's PostgreSQL backend has no ${missing}: workgraph's PostgreSQL broker is written against BullMQ 6.x; install the BullMQ version in workgraph's package-lock.json`,
    );
  }
}
