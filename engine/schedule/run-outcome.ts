/** How a run ended: what `run.done` resolves to. */
import type { DataNode } from "../model/data-node.js";
import type { RunState } from "../model/states.js";

/** How a run ended. */
export interface RunOutcome {
  readonly state: RunState;
  readonly exitCode: number;
  readonly results: Readonly<Record<string, DataNode>> | undefined;
  readonly error: unknown;
}
