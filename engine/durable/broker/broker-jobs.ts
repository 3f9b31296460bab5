/**
 * Job tasks of runs in this process sent to the workers of a broker:
 * `run(flow, inputs, { jobs: await createBrokerJobs({ url }) })`. BullMQ loads on first use.
 */
import type { JobExecutor } from "../../execute/executor.js";
import type { BrokerOptions } from "./broker-connection.js";

/** Where the jobs go, how many a run keeps queued at once, how long the broker may be away. */
export interface BrokerJobsOptions extends BrokerOptions {
  readonly inFlight?: number;
  /** Jobs that cannot be sent for this long fail, naming the broker; default 60 s. */
  readonly unavailableAfterMs?: number;
}

/** A job executor whose jobs run on the broker's workers (`workgraph worker`). */
export async function createBrokerJobs(options: BrokerJobsOptions): Promise<JobExecutor> {
  const { openBroker } = await import("./broker-connection.js");
  const { Bus } = await import("./bus.js");
  const { BrokerJobExecutor } = await import("./broker-job-executor.js");
  const broker = openBroker(options);
  const bus = new Bus(broker);
  const executor = new BrokerJobExecutor(broker, bus, {
    ...(options.inFlight !== undefined ? { inFlight: options.inFlight } : {}),
    ...(options.unavailableAfterMs !== undefined
      ? { unavailableAfterMs: options.unavailableAfterMs }
      : {}),
  });
  return {
    concurrency: executor.concurrency,
    run: (request) => executor.run(request),
    pids: () => executor.pids(),
    async close() {
      await executor.close();
      await bus.close();
    },
  };
}
