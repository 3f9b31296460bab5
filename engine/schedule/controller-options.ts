/** What a run controller is given, and the attributes its run node has from it. */
import type { ProvenanceStore } from "../store/store.js";
import type { JobExecutor } from "../execute/executor.js";
import type { ReplaySource } from "../replay/replay-source.js";
import type { AdoptedRun } from "./adopted-run.js";
import type { RunLog } from "./run-log.js";

/** What a controller needs besides the flow. */
export interface ControllerOptions {
  readonly name: string;
  readonly store: ProvenanceStore;
  readonly jobs: () => JobExecutor;
  readonly maxConcurrency: number;
  /** Where report lines and what tasks print go. */
  readonly log: RunLog;
  /** Whether to key each call by code and input hashes (when the store can be searched). */
  readonly keyCalls: boolean;
  /** Where to find results to reuse (resume, cache). */
  readonly replay: ReplaySource | undefined;
  /** A stored run to continue (same pk) instead of creating one; its finished calls are kept. */
  readonly adopt?: AdoptedRun | undefined;
  /** The run and flow task that called this run, when it is a child run. */
  readonly calledBy?: { readonly run: number; readonly task: number };
  /** Extra attributes for the run node. */
  readonly attributes?: Readonly<Record<string, unknown>> | undefined;
}

/** The attributes of the run node of `flow` run with these options. */
export function runAttributes(
  flow: (...args: never[]) => unknown,
  options: ControllerOptions,
): Readonly<Record<string, unknown>> {
  return {
    flow: flow.name,
    maxConcurrency: options.maxConcurrency,
    ...(options.replay?.resumes !== undefined && options.adopt === undefined
      ? { resumes: options.replay.resumes }
      : {}),
    ...(options.calledBy !== undefined ? { parent: options.calledBy.run } : {}),
    ...options.attributes,
  };
}
