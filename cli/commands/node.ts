/** `workgraph node show PK|UUID`: one stored node and what is linked to it. */
import { defineCommand, defineGroup } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import { profileOption } from "../store/store-args.js";

const show = defineCommand(
  {
    name: "show",
    summary: "show a data node, task or run with its links",
    operands: [{ name: "PK|UUID" }],
    options: profileOption,
    examples: ["workgraph node show 42", "workgraph node show 5f0c…-uuid --profile lab"],
    async run({ values, operands: [key = ""] }) {
      // The engine is loaded here, not at the top: `--help` and a usage error load none of it.
      const [{ DataNode }, { ormLoad }, { showData, showProcess }, { withProfile }] =
        await Promise.all([
          import("../../engine/index.js"),
          import("../../engine/plumbing.js"),
          import("../store/node-views.js"),
          import("../store/open-profile.js"),
        ]);
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
