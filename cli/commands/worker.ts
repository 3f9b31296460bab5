/** `workgraph worker`: take submitted flows and job tasks from a profile's broker, on any machine. */
import { availableParallelism } from "node:os";
import { UsageError, defineCommand } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import * as messages from "../messages.js";
import { parsePk, profileOption } from "../store/store-args.js";

/** The `worker` command. */
export const workerCommand = defineCommand({
  name: "worker",
  summary: COMMAND_SUMMARIES["worker"],
  options: {
    ...profileOption,
    concurrency: {
      type: "string",
      short: "c",
      value: "N",
      help: "how many job tasks run at once, each in a process (default: the available cores)",
    },
    "jobs-only": { type: "boolean", help: "take job tasks only, no flows" },
    broker: {
      type: "string",
      value: "URL",
      help: "the broker, instead of the profile's: redis://host:port or postgresql://…",
    },
    "broker-prefix": {
      type: "string",
      value: "NAME",
      help: "the namespace of the profile's queues on the broker (default: workgraph)",
    },
    store: {
      type: "string",
      value: "FILE",
      help: "a shared SQLite store file, instead of the profile's store",
    },
  },
  examples: [
    "workgraph worker --profile farm --concurrency 4",
    "workgraph worker --profile farm --jobs-only",
    "workgraph worker --broker redis://127.0.0.1:6379 --store /shared/workgraph.sqlite",
  ],
  async run({ values }) {
    const profile = values.profile ?? "default";
    const concurrency =
      values.concurrency !== undefined
        ? parsePk(values.concurrency, "--concurrency")
        : availableParallelism();
    // The engine is loaded here, not at the top: `--help` and a usage error load none of it.
    const [{ profileConfig, runWorker }, { existingProfilePath }] = await Promise.all([
      import("../../engine/plumbing.js"),
      import("../store/open-profile.js"),
    ]);
    // a named profile must exist: a typo must not make a worker on an empty one
    if (values.profile !== undefined) existingProfilePath(profile);
    let config;
    try {
      config = profileConfig(profile);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const broker = values.broker ?? config.broker ?? process.env.WORKGRAPH_BROKER;
    if (broker === undefined) throw new UsageError(messages.workerNeedsBroker(profile));
    try {
      await runWorker({
        profile,
        broker,
        concurrency,
        jobsOnly: values["jobs-only"] === true,
        ...(values["broker-prefix"] !== undefined ? { brokerPrefix: values["broker-prefix"] } : {}),
        ...(values.store !== undefined ? { store: values.store } : {}),
      });
    } catch (error) {
      if (error instanceof Error && error.name === "BrokerUrlError")
        throw new UsageError(error.message);
      throw error;
    }
    // the worker runs until SIGTERM/SIGINT
    return new Promise<number>(() => undefined);
  },
});
