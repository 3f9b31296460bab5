/** `workgraph daemon start | stop | status | restart | logs`: the daemon of a profile's submitted runs. */
import { defineCommand, defineGroup } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import { jsonOption, parsePk, profileOption } from "../store/store-args.js";

// The engine is loaded by the sub-command that runs, not for `--help` or a usage error.
const plumbing = () => import("../../engine/plumbing.js");

const workersOption = {
  workers: {
    type: "string",
    short: "w",
    value: "N",
    help: "job worker processes (default: the available cores)",
  },
} as const;

async function start(
  profile: string,
  workers: string | undefined,
  restart: boolean,
): Promise<number> {
  const size = workers !== undefined ? parsePk(workers, "--workers") : undefined;
  const [{ WorkgraphError }, { startDaemon, stopDaemon }] = await Promise.all([
    import("../../engine/index.js"),
    plumbing(),
  ]);
  if (restart) {
    const stopped = await stopDaemon(profile);
    if (stopped !== undefined) {
      console.log(`Stopped the daemon of profile ${profile} (pid ${stopped}).`);
    }
  }
  try {
    const pid = await startDaemon({ profile, ...(size !== undefined ? { workers: size } : {}) });
    console.log(`Started the daemon of profile ${profile} (pid ${pid}).`);
    return 0;
  } catch (error) {
    if (!(error instanceof WorkgraphError)) throw error;
    console.error(`workgraph daemon ${restart ? "restart" : "start"}: ${error.message}`);
    return 1;
  }
}

const startCommand = defineCommand(
  {
    name: "start",
    summary: "start the profile's daemon (detached; one per profile)",
    options: { ...profileOption, ...workersOption },
    examples: ["workgraph daemon start", "workgraph daemon start --workers 4 --profile lab"],
    run: ({ values }) => start(values.profile ?? "default", values.workers, false),
  },
  "daemon",
);

const restartCommand = defineCommand(
  {
    name: "restart",
    summary: "stop the profile's daemon and start a new one (it continues the runs)",
    options: { ...profileOption, ...workersOption },
    examples: ["workgraph daemon restart"],
    run: ({ values }) => start(values.profile ?? "default", values.workers, true),
  },
  "daemon",
);

const stopCommand = defineCommand(
  {
    name: "stop",
    summary: "stop the profile's daemon; its unfinished runs wait for the next one",
    options: profileOption,
    examples: ["workgraph daemon stop"],
    async run({ values }) {
      const profile = values.profile ?? "default";
      const { stopDaemon } = await plumbing();
      const pid = await stopDaemon(profile);
      console.log(
        pid === undefined
          ? `No daemon runs for profile ${profile}.`
          : `Stopped the daemon of profile ${profile} (pid ${pid}).`,
      );
      return 0;
    },
  },
  "daemon",
);

const statusCommand = defineCommand(
  {
    name: "status",
    summary:
      "the daemon's pid, workers, and its running and queued runs (exit code 1 if none runs)",
    options: { ...profileOption, ...jsonOption },
    examples: ["workgraph daemon status", "workgraph daemon status --json"],
    async run({ values }) {
      const profile = values.profile ?? "default";
      const { daemonStatus } = await plumbing();
      const found = await daemonStatus(profile);
      if (values.json === true) {
        console.log(JSON.stringify(found ?? null));
        return found === undefined ? 1 : 0;
      }
      if (found === undefined) {
        console.log(`No daemon runs for profile ${profile}.`);
        return 1;
      }
      const list = (pks: readonly number[]): string => (pks.length > 0 ? pks.join(", ") : "none");
      console.log(
        [
          `daemon of profile ${found.profile}: pid ${found.pid}, ${found.workers} workers`,
          `  running: ${list(found.running)}`,
          `  queued:  ${list(found.queued)}`,
        ].join("\n"),
      );
      return 0;
    },
  },
  "daemon",
);

const logsCommand = defineCommand(
  {
    name: "logs",
    summary: "the last lines of the daemon's log",
    options: {
      ...profileOption,
      lines: { type: "string", short: "n", value: "K", help: "how many lines (default: 50)" },
    },
    examples: ["workgraph daemon logs", "workgraph daemon logs -n 200"],
    async run({ values }) {
      const lines = values.lines !== undefined ? parsePk(values.lines, "--lines") : 50;
      const { daemonLog } = await plumbing();
      const text = daemonLog(values.profile ?? "default", lines);
      console.log(text === "" ? "(no daemon log)" : text);
      return 0;
    },
  },
  "daemon",
);

/** `workgraph daemon`: the profile's daemon, which runs submitted flows. */
export const daemonCommand = defineGroup({
  name: "daemon",
  summary: COMMAND_SUMMARIES["daemon"],
  subcommands: [startCommand, stopCommand, statusCommand, restartCommand, logsCommand],
});
