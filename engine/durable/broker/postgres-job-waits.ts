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
 *
 * Of the idle workers of the queue, only the one holding the baton (`postgres-job-baton.ts`)
 * claims on a `NOTIFY`; the others wait for it in PostgreSQL. The holder keeps it while it runs
 * a job for up to {@link PASS_ON_MS}, then hands it on if it has not waited again by then (a
 * job added while it was busy, or a job it claimed); whoever gets it claims once, since a job
 * added while another held it may have been heard before.
 *
 * Only the holder listens while idle: a worker that waits for the baton leaves the channel
 * (`UNLISTEN`) after {@link UNLISTEN_AFTER_MS}, and joins it again when the baton comes, before its claim, so a job added
 * meanwhile is found by that claim or heard after it. (A worker busy with a job keeps
 * listening: it waits again soon, and as holder if the baton is free.) PostgreSQL (15 at
 * least) wakes every backend of the database that listens on any channel on each commit that
 * notified, and each job's commits notify (`add_job`, `move_to_active`, `move_to_completed`
 * call BullMQ's `publish_event`); a backend that listens on nothing is not woken.
 */
import { BrokerBackendShapeError } from "./broker-errors.js";
import { JobBaton, type BatonPool } from "./postgres-job-baton.js";

/** How long a holder busy when a job is added may take to wait again before passing the baton. */
const PASS_ON_MS = 20;

/**
 * How long a worker waits for the baton before it stops listening: a lone worker whose baton
 * went while it was busy gets it back at once, and keeps its connection listening.
 */
const UNLISTEN_AFTER_MS = 20;

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
  query(text: string): Promise<unknown>;
}

/** The parts of BullMQ's `PostgresQueueBackend` (6.x) this replaces or reads. */
interface WaitingBackend {
  readonly queueName: string;
  readonly schema: string;
  readonly connection: { readonly pool: BatonPool };
  readonly closing?: unknown;
  readonly blockingDisconnected: boolean;
  listening: boolean;
  cancelWait?: (() => void) | undefined;
  ensureListening(): Promise<ListenClient>;
  waitForJob(blockTimeout: number): Promise<Marker | null>;
  buildNextJobResult(rows: readonly unknown[], limiterMax: unknown, now: number): Promise<unknown>;
  disconnectBlocking(wait?: boolean): Promise<void>;
  close(force?: boolean): Promise<void>;
  disconnect(): Promise<void>;
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
  if (typeof backend.disconnectBlocking !== "function") {
    throw new BrokerBackendShapeError("disconnectBlocking()");
  }
  if (typeof backend.connection?.pool?.connect !== "function") {
    throw new BrokerBackendShapeError("connection.pool");
  }
  const claimNow = (): Marker => ({ member: backend.queueName, score: 0 });
  /** The connection our listener is on; a `NOTIFY` heard since the last wait ended. */
  let heardOn: ListenClient | undefined;
  let notified = true;
  let wake: (() => void) | undefined;
  /** Passes the baton on unless this worker waits again first: a `NOTIFY` heard while busy. */
  let passOn: ReturnType<typeof setTimeout> | undefined;
  /** Leaves the channel: a worker without the baton has no use for its notifications. */
  const stopListening = (): void => {
    if (!backend.listening || heardOn === undefined) return;
    backend.listening = false;
    // a failed UNLISTEN leaves the connection to BullMQ, which rebuilds a broken one
    heardOn.query(`UNLISTEN "${channel}"`).catch(() => undefined);
  };
  const keepBaton = (): void => {
    clearTimeout(passOn);
    passOn = undefined;
  };
  // busy with a job: the baton goes to the next idle worker unless this one waits again
  // within PASS_ON_MS (a short job: a lone job's round trip then moves no baton)
  const passOnSoon = (): void => {
    if (!baton.holding || passOn !== undefined) return;
    passOn = setTimeout(() => {
      passOn = undefined;
      baton.giveBack();
    }, PASS_ON_MS);
  };
  // got the baton (or it failed): claim once, for what was added while another held it; got
  // it while not waiting (busy with a job): pass it on at once
  const baton = new JobBaton(
    backend.connection.pool,
    `${backend.schema}.${backend.queueName}`,
    () => {
      notified = true;
      if (wake !== undefined) wake();
      else baton.giveBack();
    },
  );

  /** Listens on the channel, noting each `NOTIFY` for the queue from then on. */
  const listen = async (): Promise<void> => {
    // not listening yet, or again (a lost connection, the baton had by another meanwhile):
    // what was added meanwhile is unknown
    if (!backend.listening) notified = true;
    const client = await backend.ensureListening();
    if (client === heardOn) return;
    heardOn = client;
    notified = true;
    client.on("notification", (message) => {
      if (client !== heardOn) return;
      if (message.channel !== channel || message.payload !== backend.queueName) return;
      notified = true;
      if (wake !== undefined) wake();
      else passOnSoon();
    });
  };

  backend.waitForJob = async (blockTimeout: number): Promise<Marker | null> => {
    keepBaton();
    if (backend.closing || backend.blockingDisconnected) return null;
    if (baton.mayClaim) {
      await listen();
      if (backend.closing || backend.blockingDisconnected) return null;
    }
    // asked for after the last await: a baton that comes from now on finds this wait
    baton.ask();
    const waitsForBaton = !baton.mayClaim;
    if (!waitsForBaton && notified) {
      notified = false;
      return claimNow();
    }
    const woken = await new Promise<boolean>((resolve) => {
      const unlisten = waitsForBaton ? setTimeout(stopListening, UNLISTEN_AFTER_MS) : undefined;
      const finish = (claim: boolean): void => {
        clearTimeout(unlisten);
        clearTimeout(timer);
        wake = undefined;
        backend.cancelWait = undefined;
        resolve(claim);
      };
      const timer = setTimeout(() => finish(false), Math.max(blockTimeout, 0) * 1000);
      wake = () => {
        if (notified && baton.mayClaim) finish(true);
      };
      backend.cancelWait = () => finish(false);
    });
    if (!woken || backend.closing || backend.blockingDisconnected) return null;
    // woken by the baton: listen before the claim, so a job added after it is heard
    await listen();
    if (backend.closing || backend.blockingDisconnected) return null;
    notified = false;
    return claimNow();
  };

  // a claim that found nothing: no rate limit nor delayed job to ask about on this queue
  const buildNextJobResult = backend.buildNextJobResult.bind(backend);
  backend.buildNextJobResult = (rows, limiterMax, now) => {
    if (rows.length === 0) return Promise.resolve([null, "", 0, 0]);
    passOnSoon();
    return buildNextJobResult(rows, limiterMax, now);
  };
  const close = backend.close.bind(backend);
  backend.close = (force) => {
    keepBaton();
    baton.close();
    return close(force);
  };
  // a worker pausing or closing stops waiting: the baton goes to another
  const disconnectBlocking = backend.disconnectBlocking.bind(backend);
  backend.disconnectBlocking = (wait) => {
    keepBaton();
    baton.giveBack();
    return disconnectBlocking(wait);
  };
  const disconnect = backend.disconnect.bind(backend);
  backend.disconnect = () => {
    keepBaton();
    baton.close();
    return disconnect();
  };
}
