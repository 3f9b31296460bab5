#!/usr/bin/env node
/** The `workgraph` command: dispatches to one sub-command. */
import type { Command } from "./command.js";
import { UsageError } from "./command.js";
import { example } from "./commands/example.js";
import { gui } from "./commands/gui.js";
import { processCommand } from "./commands/process.js";
import { nodeCommand } from "./commands/node.js";
import { archiveCommand } from "./commands/archive.js";
import { kernel } from "./commands/kernel.js";
import { runNotebook } from "./commands/run-notebook.js";

const commands: readonly Command[] = [
  example,
  processCommand,
  nodeCommand,
  archiveCommand,
  kernel,
  runNotebook,
  gui,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "usage: workgraph <command> [options]",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`workgraph: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`workgraph ${command.name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    throw error;
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
