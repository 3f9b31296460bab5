/**
 * How a submitted run's handle reaches the process that runs it: the profile's local daemon
 * (its socket), or the workers of the profile's broker (the bus). A handle follows the run's
 * events and sends it pause, play and kill through its link, whatever the link is.
 */
import type { EngineEvent } from "../model/events.js";
import type { ControlAction } from "./protocol.js";

/** The run a link follows. */
export interface LinkedRun {
  readonly pk: number;
  readonly uuid: string;
  readonly name: string;
}

/** A way to follow and command submitted runs of one profile. */
export interface RunLink {
  /** Where the runs execute, for summaries: `the daemon of profile lab`. */
  readonly where: string;
  /**
   * Passes on every event of `run` (from its start, then live) and resolves once the run has
   * ended and the store holds its end. Never rejects: a lost connection is taken up again.
   */
  follow(run: LinkedRun, emit: (event: EngineEvent) => void): Promise<void>;
  /** Pauses, plays or kills the run; rejects with a WorkgraphError saying why it cannot. */
  control(pk: number, action: ControlAction): Promise<void>;
}
