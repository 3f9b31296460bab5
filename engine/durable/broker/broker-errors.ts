/** The errors of running on a broker (BullMQ on Redis or PostgreSQL), with their context. */
import { WorkgraphError } from "../../model/errors.js";

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
