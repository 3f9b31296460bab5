/**
 * The lock keeper's thread (lock-keeper.ts): renews the locks of the jobs its worker holds,
 * read from their shared slots (held-locks.ts), on a connection of its own, whatever the
 * worker's own thread is doing. A renewal that fails (the broker out of reach, a job that has
 * just ended) is left to the next round and to BullMQ's own renewal. Nothing is renewed while
 * the worker's thread has not beaten for longer than `maxStallMs` (stuck for good).
 */
import { parentPort, workerData } from "node:worker_threads";
import { openBroker } from "./broker-connection.js";
import { HeldLocks } from "./held-locks.js";

/** What the thread is started with. */
export interface LockKeeperData {
  readonly url: string;
  readonly prefix: string;
  readonly queues: readonly string[];
  readonly buffer: SharedArrayBuffer;
  /** The worker thread's last beat, ms since the epoch (one BigInt64). */
  readonly beat: SharedArrayBuffer;
  readonly lockDuration: number;
  readonly renewEveryMs: number;
  readonly maxStallMs: number;
}

const data = workerData as LockKeeperData;
const held = new HeldLocks(data.buffer);
const beat = new BigInt64Array(data.beat);
const broker = openBroker({ url: data.url, prefix: data.prefix });
const queues = data.queues.map((name) => {
  const queue = new broker.classes.Queue(name, broker.options);
  queue.on("error", () => undefined);
  return queue;
});
let timer: NodeJS.Timeout | undefined;
let closed = false;

async function renew(): Promise<void> {
  if (Date.now() - Number(Atomics.load(beat, 0)) > data.maxStallMs) return;
  const ids = queues.map((): string[] => []);
  const tokens = queues.map((): string[] => []);
  for (const lock of held.read()) {
    ids[lock.queue]?.push(lock.id);
    tokens[lock.queue]?.push(lock.token);
  }
  const renewals: Promise<unknown>[] = [];
  queues.forEach((queue, i) => {
    const queueIds = ids[i]!;
    if (queueIds.length === 0) return;
    // a lock not renewed (a job just ended, or taken back) is no longer this worker's
    const renewal = queue.getBackend().extendLocks(queueIds, tokens[i]!, data.lockDuration);
    renewals.push(renewal.catch(() => undefined));
  });
  await Promise.all(renewals);
}

function schedule(): void {
  if (closed) return;
  timer = setTimeout(() => void renew().finally(schedule), data.renewEveryMs);
}

parentPort?.on("message", (message: unknown) => {
  if (message !== "close") return;
  closed = true;
  clearTimeout(timer);
  void Promise.all(queues.map((queue) => queue.close().catch(() => undefined))).finally(() =>
    parentPort?.close(),
  );
});
// the worker hears when this thread can renew (or has tried to reach the broker and failed)
void Promise.all(queues.map((queue) => queue.waitUntilReady()))
  .catch(() => undefined)
  .finally(() => parentPort?.postMessage("ready"));
schedule();
