/** `workgraph submit MODULE#EXPORT [--input name=value …]`: queues a flow for the daemon. */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defineCommand, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import { profileOption } from "../store/store-args.js";

const options = {
  ...profileOption,
  input: {
    type: "string",
    short: "i",
    multiple: true,
    value: "NAME=VALUE",
    help: "a flow input; VALUE is read as JSON when it parses, else as text",
  },
  name: { type: "string", short: "n", value: "NAME", help: "the run's name (default: EXPORT)" },
} as const;

/** A value given on the command line: JSON when it parses as JSON, else the text itself. */
function inputValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function parseInputs(pairs: readonly string[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals < 1) throw new UsageError(`--input ${pair}: expected name=value`);
    inputs[pair.slice(0, equals)] = inputValue(pair.slice(equals + 1));
  }
  return inputs;
}

async function submitRun(
  values: { readonly input?: string[]; readonly name?: string; readonly profile?: string },
  target: string,
): Promise<number> {
  const hash = target.lastIndexOf("#");
  if (hash < 1 || hash === target.length - 1) {
    throw new UsageError(`${target}: expected MODULE#EXPORT, such as ./flows.js#addThenBranch`);
  }
  const specifier = target.slice(0, hash);
  const exportName = target.slice(hash + 1);
  const module =
    isAbsolute(specifier) || specifier.startsWith(".") || existsSync(specifier)
      ? resolve(specifier)
      : specifier;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(isAbsolute(module) ? pathToFileURL(module).href : module)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new UsageError(
      `cannot import ${specifier}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const flow = namespace[exportName];
  if (typeof flow !== "function") {
    throw new UsageError(`${specifier} has no exported flow function ${exportName}`);
  }
  const inputs = parseInputs(values.input ?? []);
  const profile = values.profile ?? "default";
  const name = values.name ?? exportName;
  // The engine is loaded here, not at the top: `--help` and a usage error load none of it.
  const { submitReference } = await import("../../engine/index.js");
  let handle;
  try {
    handle = submitReference(
      { kind: "module", module, export: exportName },
      name,
      inputs,
      flow as (...args: never[]) => unknown,
      { profile, log: (text) => console.error(text) },
    );
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  console.log(handle.pk);
  await handle.queued;
  return 0;
}

/** `workgraph submit`: stores a run of a module's exported flow and queues it for the daemon. */
export const submitCommand = defineCommand({
  name: "submit",
  summary: COMMAND_SUMMARIES["submit"],
  operands: [{ name: "MODULE#EXPORT" }],
  options,
  examples: [
    "workgraph submit ./flows.js#addThenBranch --input x=3 --input y=4",
    "workgraph submit ./flows.js#addThenBranch -i x=3 -i y=4 --profile lab",
  ],
  run: ({ values, operands: [target] }) => submitRun(values, target as string),
});
