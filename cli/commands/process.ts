/** `workgraph process list | show | report`: the runs and tasks of a profile. */
import { RUN_STATES, type RunState } from "../../engine/model/states.js";
import { ProcessNode } from "../../engine/store/queries/process-node.js";
import { queryRuns } from "../../engine/store/queries/query-runs.js";
import { WorkgraphError } from "../../engine/model/errors.js";
import * as messages from "../../engine/store/messages.js";
import { NodeNotFoundError } from "../../engine/store/store-errors.js";
import type { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { UsageError, type Command } from "../command.js";
import { showProcess } from "../store/node-views.js";
import {
  parseCommandArgs,
  parsePk,
  profileOption,
  runSubcommand,
  withProfile,
} from "../store/store-args.js";
import { formatTime, table } from "../store/table.js";

const usage = [
  "workgraph process list [--state S[,S…]] [--name N] [--limit K] [--profile P]",
  "       workgraph process show PK [--profile P]",
  "       workgraph process report PK [--profile P]",
].join("\n");

const listOptions = {
  ...profileOption,
  state: { type: "string", short: "s", multiple: true },
  name: { type: "string", short: "n" },
  limit: { type: "string", short: "l" },
} as const;

function list(args: readonly string[]): number {
  const { values, positionals } = parseCommandArgs(args, listOptions);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const states = (values.state ?? []).flatMap((s) => s.split(",")).map(parseState);
  const limit = values.limit !== undefined ? parsePk(values.limit, "--limit") : undefined;
  return withProfile("process list", values.profile, ({ store }) => {
    const runs = queryRuns({
      store,
      ...(states.length > 0 ? { state: states } : {}),
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
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
}

function parseState(text: string): RunState {
  const state = text.trim().toUpperCase();
  if (!(RUN_STATES as readonly string[]).includes(state)) {
    throw new UsageError(`unknown state ${JSON.stringify(text)}; one of ${RUN_STATES.join(", ")}`);
  }
  return state as RunState;
}

/** The run or task with this pk, or an error naming what it is instead. */
function loadProcess(store: SqliteStore, pk: number): ProcessNode {
  const row = store.node(pk);
  if (row === undefined) throw new NodeNotFoundError(pk);
  if (row.type === "data") throw new WorkgraphError(messages.notAProcess(pk));
  return new ProcessNode(row, store);
}

function onePk(args: readonly string[]): { pk: number; profile: string | undefined } {
  const { values, positionals } = parseCommandArgs(args, profileOption);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
  return { pk: parsePk(positionals[0]), profile: values.profile };
}

function show(args: readonly string[]): number {
  const { pk, profile } = onePk(args);
  return withProfile("process show", profile, ({ store }) => {
    console.log(showProcess(loadProcess(store, pk)));
    return 0;
  });
}

function report(args: readonly string[]): number {
  const { pk, profile } = onePk(args);
  return withProfile("process report", profile, ({ store }) => {
    const lines = loadProcess(store, pk).reports();
    console.log(lines.length > 0 ? lines.map((l) => l.text).join("\n") : "(no report lines)");
    return 0;
  });
}

const subcommands: Readonly<Record<string, (args: readonly string[]) => number>> = {
  list,
  show,
  report,
};

/** `workgraph process`: list runs, show a run or task, print a run's report. */
export const processCommand: Command = {
  name: "process",
  summary: "list runs, show a run or task, print a run's report lines",
  usage,
  run: (args) => runSubcommand(subcommands, args),
};
