#!/usr/bin/env node
/**
 * The `workgraph` command: dispatches to one command. Each command is built with
 * `defineCommand` / `defineGroup` (command.ts), which give it `--help`, argument checks and
 * usage errors; this file adds the top level (`--help`, `--version`) and how errors print.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../kernel/package-root.js";
import type { Command } from "./command.js";
import { UsageError } from "./command.js";
import { COMMAND_SUMMARIES, type CommandName } from "./command-summaries.js";
import * as messages from "./messages.js";

/**
 * Every command's module, loaded only when it runs or shows its own help: `--help`,
 * `--version` and an unknown command import none of them (nor the engine).
 */
const loaders: Record<CommandName, () => Promise<Command>> = {
  example: async () => (await import("./commands/example.js")).example,
  process: async () => (await import("./commands/process.js")).processCommand,
  submit: async () => (await import("./commands/submit.js")).submitCommand,
  daemon: async () => (await import("./commands/daemon.js")).daemonCommand,
  worker: async () => (await import("./commands/worker.js")).workerCommand,
  node: async () => (await import("./commands/node.js")).nodeCommand,
  archive: async () => (await import("./commands/archive.js")).archiveCommand,
  profile: async () => (await import("./commands/profile.js")).profileCommand,
  kernel: async () => (await import("./commands/kernel.js")).kernel,
  "run-notebook": async () => (await import("./commands/run-notebook.js")).runNotebook,
  gui: async () => (await import("./commands/gui.js")).gui,
};

/** Every command, in the order `workgraph --help` lists them. */
const commands = Object.entries(COMMAND_SUMMARIES).map(([name, summary]) => ({
  name: name as CommandName,
  summary,
}));

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: workgraph <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    'Run "workgraph <command> --help" for its options and an example; "workgraph --version" for the version.',
    "Profiles (named stores of runs) are kept in $WORKGRAPH_HOME (default: ~/.workgraph).",
  ].join("\n");
}

function version(): string {
  const manifest = join(packageRoot(import.meta.url), "package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(help());
    return 2;
  }
  if (name === "--help" || name === "-h" || (name === "help" && rest.length === 0)) {
    console.log(help());
    return 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    console.log(`workgraph ${version()}`);
    return 0;
  }
  const listed = commands.find((c) => c.name === (name === "help" ? rest[0] : name));
  if (listed === undefined) {
    console.error(
      `${messages.unknownCommand(name === "help" ? String(rest[0]) : name)}\n\n${help()}`,
    );
    return 2;
  }
  const command = await loaders[listed.name]();
  if (name === "help") {
    console.log(command.help());
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    // A sub-command's errors name it and show its usage; a group's usage (no sub-command or
    // an unknown one) lists every sub-command.
    const sub = command.subcommands?.find((c) => c.name === rest[0]);
    const prefix = `workgraph ${name}${sub !== undefined ? ` ${sub.name}` : ""}`;
    if (error instanceof UsageError) {
      console.error(
        `${prefix}: ${error.message}\nusage: ${(sub ?? command).usage}\n${messages.helpHint(prefix)}`,
      );
      return 2;
    }
    if (process.env.WORKGRAPH_DEBUG === "1") console.error(error);
    else
      console.error(
        messages.failed(prefix, error instanceof Error ? error.message : String(error)),
      );
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
