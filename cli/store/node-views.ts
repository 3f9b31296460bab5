/** How `process show` and `node show` print a stored node and what is linked to it. */
import { inspect } from "node:util";
import { DataNode, type LinkedNode, type ProcessNode } from "../../engine/index.js";
import type { ProvenanceReader } from "../../engine/plumbing.js";
import { durationText, formatTime, table } from "./table.js";

/** A value on one line, cut to a sensible width. */
export function shortValue(value: unknown): string {
  return safeInspect(value, {
    depth: 2,
    breakLength: Infinity,
    maxArrayLength: 8,
    maxStringLength: 60,
  });
}

/** `inspect`, which a hostile stored value (deep, huge) must not turn into a crash. */
function safeInspect(value: unknown, options: Parameters<typeof inspect>[1]): string {
  try {
    return inspect(value, options);
  } catch (error) {
    return `(a value that cannot be shown: ${error instanceof Error ? error.message : String(error)})`;
  }
}

function fields(pairs: readonly (readonly [string, string | undefined])[]): string {
  const shown = pairs.filter((p): p is readonly [string, string] => p[1] !== undefined);
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}

function linkedTable(linked: readonly LinkedNode[]): string {
  if (linked.length === 0) return "  (none)";
  const rows = linked.map(({ label, type, node }) =>
    node instanceof DataNode
      ? [label, type, node.pk ?? 0, node.kind, shortValue(node.value)]
      : [label, type, node.pk, node.type, `${node.name} ${node.state}`],
  );
  return indent(table(["LABEL", "LINK", "PK", "TYPE", "VALUE"], rows));
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}

/** A run with its inputs, tasks and results, or a task with its inputs and outputs. */
export function showProcess(node: ProcessNode): string {
  const caller = node.type === "task" ? node.caller() : undefined;
  const title =
    node.type === "run"
      ? `Run ${node.name} (pk ${node.pk})`
      : `Task ${node.name} (pk ${node.pk})${caller !== undefined ? ` of run ${caller.name} (pk ${caller.pk})` : ""}`;
  const error = node.error;
  const parts = [
    title,
    fields([
      ["uuid", node.uuid],
      ["kind", node.kind],
      ["state", node.state],
      ["exit code", node.exitCode?.toString()],
      ["created", formatTime(node.ctime)],
      ["started", node.startedAt !== undefined ? formatTime(node.startedAt) : undefined],
      ["ended", node.endedAt !== undefined ? formatTime(node.endedAt) : undefined],
      ["duration", node.durationMs !== undefined ? durationText(node.durationMs) : undefined],
      ["error", error !== undefined ? `${error.name}: ${error.message}` : undefined],
    ]),
    "",
    "Inputs",
    linkedTable(node.inputs()),
  ];
  if (node.type === "run") {
    const tasks = node.tasks();
    parts.push(
      "",
      `Tasks (${tasks.length})`,
      tasks.length === 0 ? "  (none)" : indent(taskTable(tasks)),
    );
  }
  parts.push("", node.type === "run" ? "Results" : "Outputs", linkedTable(node.outputs()));
  const printed = node.printed();
  if (printed.length > 0) parts.push("", "Printed", indent(printed.map((l) => l.text).join("\n")));
  return parts.join("\n");
}

function taskTable(tasks: readonly ProcessNode[]): string {
  return table(
    ["PK", "NAME", "STATE", "KIND", "DURATION"],
    tasks.map((t) => [t.pk, t.name, t.state, t.kind ?? "", durationText(t.durationMs)]),
  );
}

/** A data node: its value, and which tasks and runs created, used or returned it. */
export function showData(node: DataNode, reader: ProvenanceReader): string {
  const pk = node.pk ?? 0;
  const role = (pks: readonly { pk: number; label: string }[]): string =>
    pks.length === 0
      ? "  (none)"
      : pks
          .map(({ pk: other, label }) => {
            const row = reader.node(other);
            return `  ${row?.type ?? "node"} ${row?.name ?? ""} (pk ${other}) as ${label}`;
          })
          .join("\n");
  const incoming = reader.links({ to: pk });
  const outgoing = reader.links({ from: pk });
  return [
    `${node.kind} (pk ${pk})`,
    fields([
      ["uuid", node.uuid],
      ["created", formatTime(reader.node(pk)?.ctime)],
      [
        "value",
        safeInspect(node.value, { depth: 6, breakLength: 100 }).replace(/\n/g, "\n           "),
      ],
    ]),
    "",
    "Created by",
    role(incoming.filter((l) => l.type === "CREATE").map((l) => ({ pk: l.from, label: l.label }))),
    "Used by",
    role(outgoing.filter((l) => l.type === "INPUT").map((l) => ({ pk: l.to, label: l.label }))),
    "Returned by",
    role(incoming.filter((l) => l.type === "RETURN").map((l) => ({ pk: l.from, label: l.label }))),
  ].join("\n");
}
