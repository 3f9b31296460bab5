/** The errors of submitted runs and their daemon, with the context they name. */
import { WorkgraphError } from "../model/errors.js";

/** No daemon answers on a profile's socket. */
export class DaemonNotRunningError extends WorkgraphError {
  override name = "DaemonNotRunningError";
  constructor(readonly socket: string) {
    super(`No daemon answers on ${socket}`);
  }
}

/** A daemon already runs for the profile. */
export class DaemonRunningError extends WorkgraphError {
  override name = "DaemonRunningError";
  constructor(
    readonly profile: string,
    readonly pid: number,
  ) {
    super(`A daemon already runs for profile ${profile} (pid ${pid})`);
  }
}

/** The daemon did not come up. */
export class DaemonStartError extends WorkgraphError {
  override name = "DaemonStartError";
  constructor(
    readonly profile: string,
    readonly detail: string,
  ) {
    super(`The daemon of profile ${profile} did not start: ${detail}`);
  }
}

/** A flow that cannot travel to the daemon: it captures a value that cannot be sent. */
export class UnsendableFlowError extends WorkgraphError {
  override name = "UnsendableFlowError";
  constructor(
    readonly flow: string,
    readonly identifier: string,
    message: string,
  ) {
    super(message);
  }
}

/** Submitted runs of a PostgreSQL profile travel on a broker; this profile names none. */
export class QueueNeedsSqliteError extends WorkgraphError {
  override name = "QueueNeedsSqliteError";
  constructor(
    readonly profile: string,
    readonly storage: string,
  ) {
    super(
      `Profile ${profile} stores its runs in ${storage} but names no broker: submitted runs of a PostgreSQL profile go to workers through a broker (workgraph profile create NAME --storage postgresql://… --broker redis://… or postgresql://…)`,
    );
  }
}
