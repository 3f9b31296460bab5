/** `workgraph node show PK|UUID`: one stored node and what is linked to it. */
import { DataNode } from "../../engine/model/data-node.js";
import { ormLoad } from "../../engine/store/queries/orm-load.js";
import { UsageError, type Command } from "../command.js";
import { showData, showProcess } from "../store/node-views.js";
import {
  parseCommandArgs,
  profileOption,
  runSubcommand,
  withProfile,
} from "../store/store-args.js";

function show(args: readonly string[]): number {
  const { values, positionals } = parseCommandArgs(args, profileOption);
  const [key, extra] = positionals;
  if (key === undefined) throw new UsageError("missing PK or UUID");
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  return withProfile("node show", values.profile, ({ store }) => {
    const node = ormLoad(key, { store });
    console.log(node instanceof DataNode ? showData(node, store) : showProcess(node));
    return 0;
  });
}

/** `workgraph node`: show a data node, task or run by pk or uuid. */
export const nodeCommand: Command = {
  name: "node",
  summary: "show a stored node (data, task or run) by pk or uuid",
  usage: "workgraph node show PK|UUID [--profile P]",
  run: (args) => runSubcommand({ show }, args),
};
