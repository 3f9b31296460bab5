/** `workgraph node show PK|UUID`: one stored node and what is linked to it. */
import { DataNode } from "../../engine/index.js";
import { ormLoad } from "../../engine/plumbing.js";
import { defineCommand, defineGroup } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import { showData, showProcess } from "../store/node-views.js";
import { withProfile } from "../store/open-profile.js";
import { profileOption } from "../store/store-args.js";

const show = defineCommand(
  {
    name: "show",
    summary: "show a data node, task or run with its links",
    operands: [{ name: "PK|UUID" }],
    options: profileOption,
    examples: ["workgraph node show 42", "workgraph node show 5f0c…-uuid --profile lab"],
    run({ values, operands: [key = ""] }) {
      return withProfile("node show", values.profile, ({ store }) => {
        const node = ormLoad(key, { store });
        console.log(node instanceof DataNode ? showData(node, store) : showProcess(node));
        return 0;
      });
    },
  },
  "node",
);

/** `workgraph node`: show a data node, task or run by pk or uuid. */
export const nodeCommand = defineGroup({
  name: "node",
  summary: COMMAND_SUMMARIES["node"],
  subcommands: [show],
});
