/**
 * How a worker on the PostgreSQL broker waits for job tasks: on the `NOTIFY` of a new job and on
 * nothing else. BullMQ's PostgreSQL backend wakes every idle worker on each job added; each one
 * claims (`move_to_active`), and on finding the job taken asks what to wait for (`next_signal`:
 * a rate limit, the next delayed job), then, to wait again, whether a job waits after all
 * (`has_waiting_job`, against a `NOTIFY` missed while not listening) and when the next delayed
 * job is due (`next_delay`): four calls per idle worker per job, which on a lone job's round
 * trip compete with the worker that runs it. The `jobs` queue has no rate limit and no delayed
 * jobs (no retries, no delays: a stalled job goes back to waiting), so this worker's waits skip
 * the last three. A listener that stays on the connection notes each `NOTIFY` for the queue, so
 * a job added while the worker was busy or between two waits wakes the next wait at once
 * (a claim, as the probe would have led to) instead of being asked for. When the listening
 * connection is new or was rebuilt, what was added before is unknown: the first wait claims
 * at once. The waits still end after `drainDelay`, and the worker claims then too.
 */
import { BrokerBackendShapeError } from "./broker-errors.js";

/** A waiting worker's marker, as BullMQ's backends return it: claim now. */
interface Marker {
  readonly member: string;
  readonly score: number;
}

interface Notification {
  readonly channel: string;
  readonly payload?: string | undefined;
}

interface ListenClient {
  on(event: "notification", listener: (message: Notification) => void): unknown;
}

/** The parts of BullMQ's `PostgresQueueBackend` (6.x) this replaces or reads. */
interface WaitingBackend {
  readonly queueName: string;
  readonly closing?: unknown;
  readonly blockingDisconnected: boolean;
  readonly listening: boolean;
  cancelWait?: (() => void) | undefined;
  ensureListening(): Promise<ListenClient>;
  waitForJob(blockTimeout: number): Promise<Marker | null>;
  buildNextJobResult(rows: readonly unknown[], limiterMax: unknown, now: number): Promise<unknown>;
}

/**
 * Makes the PostgreSQL backend of a `jobs` worker wait on notifications only (above). The
 * backend is BullMQ's, whose methods this replaces on the instance.
 */
export function waitOnNotifiesOnly(target: object): void {
  const backend = target as WaitingBackend;
  const channel = (target.constructor as { NOTIFY_CHANNEL?: string }).NOTIFY_CHANNEL;
  if (channel === undefined) throw new BrokerBackendShapeError("NOTIFY_CHANNEL");
  if (typeof backend.ensureListening !== "function") {
    throw new BrokerBackendShapeError("ensureListening()");
  }
  if (typeof backend.buildNextJobResult !== "function") {
    throw new BrokerBackendShapeError("buildNextJobResult()");
  }
  const claimNow = (): Marker => ({ member: backend.queueName, score: 0 });
  /** The connection our listener is on; a `NOTIFY` heard since the last wait ended. */
  let heardOn: ListenClient | undefined;
  let notified = true;
  let wake: (() => void) | undefined;

  backend.waitForJob = async (blockTimeout: number): Promise<Marker | null> => {
    if (backend.closing || backend.blockingDisconnected) return null;
    // not listening yet, or again after a lost connection: what was added meanwhile is unknown
    if (!backend.listening) notified = true;
    const client = await backend.ensureListening();
    if (backend.closing || backend.blockingDisconnected) return null;
    if (client !== heardOn) {
      heardOn = client;
      notified = true;
      client.on("notification", (message) => {
        if (client !== heardOn) return;
        if (message.channel !== channel || message.payload !== backend.queueName) return;
        notified = true;
        wake?.();
      });
    }
    if (notified) {
      notified = false;
      return claimNow();
    }
    return new Promise<Marker | null>((resolve) => {
      const finish = (marker: Marker | null): void => {
        clearTimeout(timer);
        wake = undefined;
        backend.cancelWait = undefined;
        resolve(marker);
      };
      const timer = setTimeout(() => finish(null), Math.max(blockTimeout, 0) * 1000);
      wake = () => {
        notified = false;
        finish(claimNow());
      };
      backend.cancelWait = () => finish(null);
    });
  };

  // a claim that found nothing: no rate limit nor delayed job to ask about on this queue
  const buildNextJobResult = backend.buildNextJobResult.bind(backend);
  backend.buildNextJobResult = (rows, limiterMax, now) =>
    rows.length > 0 ? buildNextJobResult(rows, limiterMax, now) : Promise.resolve([null, "", 0, 0]);
}
