/**
 * `workgraph process list | show | report | pause | play | kill | watch`: the runs and tasks
 * of a profile, and commands to submitted runs.
 */
import type { ProcessNode, RunState } from "../../engine/index.js";
import type { ProvenanceReader } from "../../engine/plumbing.js";
import { defineCommand, defineGroup, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import * as messages from "../messages.js";
import { jsonOption, parsePk, profileOption } from "../store/store-args.js";
import { kill, pause, play, watch } from "./process-control.js";

// The engine is loaded by the subcommand that runs, not for `--help` or a usage error: the
// run states are listed here (each of the engine's, once: a type error otherwise), the rest
// loaded in `run`.
const STATES: Readonly<Record<RunState, true>> = {
  CREATED: true,
  RUNNING: true,
  WAITING: true,
  FINISHED: true,
  EXCEPTED: true,
  KILLED: true,
};
const RUN_STATES = Object.keys(STATES) as RunState[];

const listOptions = {
  ...profileOption,
  state: {
    type: "string",
    short: "s",
    multiple: true,
    value: "S[,S…]",
    help: `only runs in these states (${RUN_STATES.join(", ")}; any case)`,
  },
  name: { type: "string", short: "n", value: "NAME", help: "only runs with this name" },
  limit: { type: "string", short: "l", value: "K", help: "at most K runs, newest first" },
  ...jsonOption,
} as const;

const list = defineCommand(
  {
    name: "list",
    summary: "a table of runs, newest first",
    options: listOptions,
    examples: ["workgraph process list", "workgraph process list --state excepted,killed -l 10"],
    async run({ values }) {
      const states = (values.state ?? []).flatMap((s) => s.split(",")).map(parseState);
      const limit = values.limit !== undefined ? parsePk(values.limit, "--limit") : undefined;
      const [{ queryRuns }, { withProfile }, { formatTime, table }, { processJson }] =
        await Promise.all([
          import("../../engine/index.js"),
          import("../store/open-profile.js"),
          import("../store/table.js"),
          import("../store/process-json.js"),
        ]);
      return withProfile("process list", values.profile, ({ store }) => {
        const runs = queryRuns({
          store,
          ...(states.length > 0 ? { state: states } : {}),
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        if (values.json === true) {
          console.log(JSON.stringify(runs.map((r) => processJson(r))));
          return 0;
        }
        const rows = runs.map((r) => [
          r.pk,
          r.name,
          r.state,
          r.exitCode ?? "-",
          formatTime(r.ctime),
          r.taskCount(),
        ]);
        console.log(table(["PK", "NAME", "STATE", "EXIT", "CREATED", "TASKS"], rows));
        console.log(`\n${runs.length} run${runs.length === 1 ? "" : "s"}`);
        return 0;
      });
    },
  },
  "process",
);

function parseState(text: string): RunState {
  const state = text.trim().toUpperCase();
  if (!(RUN_STATES as readonly string[]).includes(state)) {
    throw new UsageError(`unknown state ${JSON.stringify(text)}; one of ${RUN_STATES.join(", ")}`);
  }
  return state as RunState;
}

/** Opens the profile and runs `body` on the run or task `pk` (an error names what it is instead). */
async function withProcess(
  command: string,
  profile: string | undefined,
  pk: number,
  body: (node: ProcessNode) => void,
): Promise<number> {
  const [{ NodeNotFoundError, ProcessNode, WorkgraphError }, { withProfile }] = await Promise.all([
    import("../../engine/index.js"),
    import("../store/open-profile.js"),
  ]);
  const load = (store: ProvenanceReader): ProcessNode => {
    const row = store.node(pk);
    if (row === undefined) throw new NodeNotFoundError(pk);
    if (row.type === "data") throw new WorkgraphError(messages.notAProcess(pk));
    return new ProcessNode(row, store);
  };
  return withProfile(command, profile, ({ store }) => {
    body(load(store));
    return 0;
  });
}

const show = defineCommand(
  {
    name: "show",
    summary: "a run or task: state, inputs, tasks, outputs, error",
    operands: [{ name: "PK" }],
    options: { ...profileOption, ...jsonOption },
    examples: ["workgraph process show 42", "workgraph process show 42 --json"],
    async run({ values, operands: [pk] }) {
      const key = parsePk(pk);
      const [{ showJson }, { showProcess }] = await Promise.all([
        import("../store/process-json.js"),
        import("../store/node-views.js"),
      ]);
      return withProcess("process show", values.profile, key, (node) => {
        console.log(values.json === true ? JSON.stringify(showJson(node)) : showProcess(node));
      });
    },
  },
  "process",
);

const report = defineCommand(
  {
    name: "report",
    summary: "a run's report lines",
    operands: [{ name: "PK" }],
    options: profileOption,
    examples: ["workgraph process report 42 --profile lab"],
    run({ values, operands: [pk] }) {
      const key = parsePk(pk);
      return withProcess("process report", values.profile, key, (node) => {
        const lines = node.reports();
        console.log(lines.length > 0 ? lines.map((l) => l.text).join("\n") : "(no report lines)");
      });
    },
  },
  "process",
);

/** `workgraph process`: list, show, report, and pause, play, kill or watch submitted runs. */
export const processCommand = defineGroup({
  name: "process",
  summary: COMMAND_SUMMARIES["process"],
  subcommands: [list, show, report, pause, play, kill, watch],
});
