/**
 * The link to a profile's local daemon: follows a run over the daemon's socket (every event
 * the daemon kept, then live ones) and sends it commands there. A follower that loses the
 * daemon reads the run's state from the store and follows the next daemon.
 */
import type { EngineEvent } from "../model/events.js";
import { WorkgraphError } from "../model/errors.js";
import { isTerminalRun, type RunState } from "../model/states.js";
import type { ProvenanceReader } from "../store/reader.js";
import { connectDaemon } from "./daemon-control.js";
import { DaemonConnection } from "./daemon-client.js";
import { daemonPaths } from "./daemon-paths.js";
import type { ControlAction } from "./protocol.js";
import type { LinkedRun, RunLink } from "./run-link.js";

const RECONNECT_MS = 200;

/** A {@link RunLink} to the daemon of `profile`. */
export function daemonLink(profile: string, store: ProvenanceReader): RunLink {
  const ended = (pk: number): boolean =>
    isTerminalRun((store.node(pk)?.state ?? "CREATED") as RunState);

  /** Follows the run on one connection; resolves true when the run ended. */
  const followOn = (
    connection: DaemonConnection,
    pk: number,
    emit: (event: EngineEvent) => void,
  ): Promise<boolean> =>
    new Promise((resolve) => {
      connection.follow(pk, { event: emit, end: () => resolve(ended(pk)) });
      void connection.closed.then(() => resolve(false));
    });

  return {
    where: `the daemon of profile ${profile}`,
    async follow(run: LinkedRun, emit: (event: EngineEvent) => void): Promise<void> {
      const socket = daemonPaths(profile).socket;
      for (;;) {
        if (ended(run.pk)) return;
        let connection: DaemonConnection | undefined;
        try {
          connection = await DaemonConnection.open(socket);
        } catch {
          connection = undefined;
        }
        if (connection !== undefined) {
          const done = await followOn(connection, run.pk, emit);
          connection.close();
          if (done) return;
        }
        // no daemon (yet), or it went away: the next one continues the run
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
      }
    },
    async control(pk: number, action: ControlAction): Promise<void> {
      const { connection } = await connectDaemon({ profile });
      try {
        const reply = await connection.request({ op: "control", pk, action });
        if ("ok" in reply && !reply.ok) throw new WorkgraphError(reply.error);
      } finally {
        connection.close();
      }
    },
  };
}
