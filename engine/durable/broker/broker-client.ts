/**
 * What a process that submits, follows or commands runs of a broker profile holds on the
 * broker: the `runs` queue and the bus, opened on first use and shared by every handle of the
 * process, closed when the last user lets go (so a script or a command exits by itself).
 */
import type { Queue } from "bullmq";
import { QUEUE_NAMES, openBroker, type Broker } from "./broker-connection.js";
import type { RunJobData } from "./broker-run-queue.js";
import { Bus } from "./bus.js";

/** The broker, its `runs` queue and its bus, for one process. */
export interface BrokerClient {
  readonly broker: Broker;
  readonly bus: Bus;
  readonly runs: Queue<RunJobData>;
}

interface Shared {
  readonly client: BrokerClient;
  users: number;
}

const shared = new Map<string, Shared>();
const closing = new Map<string, Promise<void>>();

/** Runs `body` with the client of broker `url`, opened if no one in this process holds it. */
export async function withBrokerClient<T>(
  url: string,
  body: (client: BrokerClient) => Promise<T>,
): Promise<T> {
  await closing.get(url);
  let entry: Shared | undefined = shared.get(url);
  if (entry === undefined) {
    const broker = openBroker({ url });
    const runs: Queue<RunJobData> = new broker.classes.Queue<RunJobData>(
      QUEUE_NAMES.runs,
      broker.options,
    );
    runs.on("error", () => undefined); // the connection retries by itself
    entry = { client: { broker, bus: new Bus(broker), runs }, users: 0 };
    shared.set(url, entry);
  }
  const held = entry;
  held.users++;
  try {
    return await body(held.client);
  } finally {
    if (--held.users === 0) {
      shared.delete(url);
      const { bus, runs } = held.client;
      const closed = Promise.all([bus.close(), runs.close()]).then(
        () => undefined,
        () => undefined,
      );
      closing.set(url, closed);
      void closed.then(() => {
        if (closing.get(url) === closed) closing.delete(url);
      });
    }
  }
}

/** Puts stored run `pk` on the broker's `runs` queue (once: its job id is `run-<pk>`). */
export function queueRun(url: string, pk: number): Promise<void> {
  return withBrokerClient(url, async ({ runs }) => {
    await runs.add("run", { pk }, { jobId: `run-${pk}`, removeOnComplete: true });
  });
}
