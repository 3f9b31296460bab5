/** `workgraph kernel install | uninstall`: the Jupyter kernelspec of the workgraph kernel. */
import { installKernel, uninstallKernel, type Scope } from "../../kernel/install.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";

/** Reads `[--user | --sys-prefix | --prefix P]`; the user's data dir by default. */
function parseScope(args: readonly string[]): Scope {
  const scopes: Scope[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--user") scopes.push({ kind: "user" });
    else if (arg === "--sys-prefix") scopes.push({ kind: "sys-prefix" });
    else if (arg === "--prefix" || arg?.startsWith("--prefix=")) {
      const prefix = arg === "--prefix" ? args[++i] : arg.slice("--prefix=".length);
      if (prefix === undefined || prefix === "") throw new UsageError("--prefix needs a folder");
      scopes.push({ kind: "prefix", prefix });
    } else throw new UsageError(`unknown option "${arg}"`);
  }
  if (scopes.length > 1) throw new UsageError("give at most one of --user, --sys-prefix, --prefix");
  return scopes[0] ?? { kind: "user" };
}

/** `workgraph kernel`: installs or removes the kernelspec. */
export const kernel: Command = {
  name: "kernel",
  summary: "install or uninstall the Jupyter kernel (TypeScript (workgraph))",
  usage: "workgraph kernel install|uninstall [--user | --sys-prefix | --prefix <folder>]",
  async run(args) {
    const [action, ...rest] = args;
    const scope = parseScope(rest);
    if (action === "install") {
      const installed = await installKernel({ scope });
      console.log(`installed kernelspec "TypeScript (workgraph)" in ${installed.dir}`);
      console.log(`it runs ${installed.main}`);
      for (const warning of installed.warnings) console.error(warning);
      return 0;
    }
    if (action === "uninstall") {
      console.log(`removed ${await uninstallKernel({ scope })}`);
      return 0;
    }
    throw new UsageError(
      action === undefined ? "install or uninstall?" : `unknown action "${action}"`,
    );
  },
};
