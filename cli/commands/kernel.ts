/** `workgraph kernel install | uninstall`: the Jupyter kernelspec of the workgraph kernel. */
import { installKernel, uninstallKernel, type Scope } from "../../kernel/install.js";
import { defineCommand, defineGroup, UsageError, type OptionValues } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";

const scopeOptions = {
  user: { type: "boolean", help: "the user's Jupyter data folder (the default)" },
  "sys-prefix": { type: "boolean", help: "the Python environment's prefix (sys.prefix)" },
  prefix: { type: "string", value: "FOLDER", help: "FOLDER/share/jupyter/kernels" },
} as const;

/** Reads `[--user | --sys-prefix | --prefix P]`; the user's data dir by default. */
function parseScope(values: OptionValues<typeof scopeOptions>): Scope {
  const scopes: Scope[] = [];
  if (values.user === true) scopes.push({ kind: "user" });
  if (values["sys-prefix"] === true) scopes.push({ kind: "sys-prefix" });
  if (values.prefix !== undefined) {
    if (values.prefix === "") throw new UsageError("--prefix needs a folder");
    scopes.push({ kind: "prefix", prefix: values.prefix });
  }
  if (scopes.length > 1) throw new UsageError("give at most one of --user, --sys-prefix, --prefix");
  return scopes[0] ?? { kind: "user" };
}

const install = defineCommand(
  {
    name: "install",
    summary: 'install the kernelspec "TypeScript (workgraph)"',
    options: scopeOptions,
    examples: ["workgraph kernel install --user", "workgraph kernel install --prefix /opt/jupyter"],
    async run({ values }) {
      const installed = await installKernel({ scope: parseScope(values) });
      console.log(`installed kernelspec "TypeScript (workgraph)" in ${installed.dir}`);
      console.log(`it runs ${installed.main}`);
      for (const warning of installed.warnings) console.error(warning);
      return 0;
    },
  },
  "kernel",
);

const uninstall = defineCommand(
  {
    name: "uninstall",
    summary: "remove the kernelspec",
    options: scopeOptions,
    examples: ["workgraph kernel uninstall --user"],
    async run({ values }) {
      console.log(`removed ${await uninstallKernel({ scope: parseScope(values) })}`);
      return 0;
    },
  },
  "kernel",
);

/** `workgraph kernel`: installs or removes the kernelspec. */
export const kernel = defineGroup({
  name: "kernel",
  summary: COMMAND_SUMMARIES["kernel"],
  subcommands: [install, uninstall],
});
