/**
 * Pause, play and kill of a run of a broker profile, from any process. The worker holding the
 * run carries the command out and answers on the bus. A run no worker holds is commanded
 * through the broker and the store: a queued run is taken off the `runs` queue and stored
 * KILLED, or its `paused` attribute is stored for the worker that takes it. A holder that died
 * answers no more; its run goes back to the queue once its lock lapses, so the command is sent
 * again until someone answers or the run is found queued.
 */
import { randomUUID } from "node:crypto";
import { WorkgraphError } from "../../model/errors.js";
import { ExitCode, isTerminalRun, type RunState } from "../../model/states.js";
import type { ProvenanceReader } from "../../store/reader.js";
import type { ProvenanceStore } from "../../store/store.js";
import type { ControlAction } from "../protocol.js";
import { withBrokerClient } from "./broker-client.js";
import { workerTiming } from "./broker-timing.js";

/** How long one send waits for the holder's answer. */
const ANSWER_MS = 1_500;
const QUEUED = new Set(["waiting", "delayed", "prioritized", "waiting-children"]);

/** Carries out `action` on run `pk`; rejects with a WorkgraphError saying why it cannot. */
export function controlOnBus(
  url: string,
  store: ProvenanceStore & ProvenanceReader,
  pk: number,
  action: ControlAction,
): Promise<void> {
  const endedAs = (): string | undefined => {
    const row = store.node(pk);
    if (row?.type !== "run") throw new WorkgraphError(`there is no run with pk ${pk}`);
    return isTerminalRun(row.state as RunState) ? (row.state ?? undefined) : undefined;
  };
  const refuseEnded = (): void => {
    const state = endedAs();
    if (state !== undefined) throw new WorkgraphError(`run ${pk} has ended ${state}`);
  };
  refuseEnded();
  return withBrokerClient(url, async ({ bus, runs }) => {
    const request = randomUUID();
    let answer: ((error: string | undefined) => void) | undefined;
    const off = await bus.subscribe((message) => {
      if (message.kind === "control-done" && message.request === request) answer?.(message.error);
    });
    // sent again past a dead holder's lock and the stalled check
    const timing = workerTiming();
    const giveUpMs = timing.lockDuration + 3 * timing.stalledInterval;
    try {
      const deadline = Date.now() + giveUpMs;
      while (Date.now() < deadline) {
        const answered = new Promise<{ error: string | undefined } | undefined>((resolve) => {
          answer = (error) => resolve({ error });
          setTimeout(() => resolve(undefined), ANSWER_MS);
        });
        await bus.publish({ kind: "control", pk, action, request });
        const reply = await answered;
        if (reply !== undefined) {
          if (reply.error !== undefined) throw new WorkgraphError(reply.error);
          return;
        }
        const jobId = `run-${pk}`;
        const state = await runs.getJobState(jobId);
        if (state === "active") continue; // held: by a worker loading it, or one that died
        if (QUEUED.has(state) || state === "unknown") {
          if (action === "kill") {
            // a job that a worker took meanwhile is locked, and stays
            const removed = state === "unknown" || (await runs.remove(jobId)) === 1;
            if (!removed) continue;
            refuseEnded();
            killUnstarted(store, pk);
            return;
          }
          store.updateProcess(pk, { attributes: { paused: action === "pause" } });
          store.flush();
          // taken meanwhile: the holder may have read the attribute before it was written
          if ((await runs.getJobState(jobId)) === "active") continue;
          return;
        }
        // ended since it was sent: by this very kill, when the holder's answer came late
        if (action === "kill" && endedAs() === "KILLED") return;
        refuseEnded();
      }
      throw new WorkgraphError(
        `no worker answered for run ${pk} within ${Math.round(giveUpMs / 1000)} s; is a worker running?`,
      );
    } finally {
      off();
    }
  });
}

/** Ends a run that no worker started: KILLED, as the daemon ends a queued run. */
function killUnstarted(store: ProvenanceStore, pk: number): void {
  store.updateProcess(pk, {
    state: "KILLED",
    exitCode: ExitCode.KILLED,
    endedAt: Date.now(),
    error: { name: "RunCancelledError", message: "killed on request before it started" },
  });
  store.flush();
}
