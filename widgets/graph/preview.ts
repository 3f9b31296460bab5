/** Short, one-line previews of values, inputs and errors, for tooltips and the task panel. */
import { inspect } from "node:util";
import type { DrawableEdge, DrawableTask } from "./drawable-graph.js";

/** At most `max` characters of a value shown as JSON-ish text. */
export function previewValue(value: unknown, max = 60): string {
  return shorten(describe(value), max);
}

/** Cuts a text to `max` characters, ending with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * `x ← add.result, y = 4`: where each input comes from (the edges into the task), or its value
 * when the source knows it.
 */
export function previewInputs(
  task: DrawableTask,
  incoming: readonly DrawableEdge[],
  nameOf: (id: number) => string,
  max = 80,
): string {
  const parts = new Map<string, string>();
  for (const edge of incoming) {
    const from = nameOf(edge.from);
    const socket = edge.socket !== undefined ? `${from}.${edge.socket}` : from;
    parts.set(edge.input ?? `from ${from}`, `← ${socket}`);
  }
  for (const [name, value] of Object.entries(task.inputs ?? {})) {
    if (!parts.has(name)) parts.set(name, `= ${previewValue(value, 24)}`);
  }
  return shorten([...parts].map(([name, from]) => `${name} ${from}`).join(", "), max);
}

/** The value of a FINISHED task, the error of a failed or skipped one, or nothing. */
export function previewOutcome(task: DrawableTask, max = 80): string {
  if (task.error !== undefined) return shorten(`${task.error.name}: ${task.error.message}`, max);
  if (task.state === "FINISHED") return previewValue(task.value, max);
  return "";
}

// Node's own printing: data nodes show as `<Int: … value: 7>`, cycles and classes are safe.
function describe(value: unknown): string {
  return inspect(value, {
    depth: 2,
    breakLength: Infinity,
    maxArrayLength: 12,
    maxStringLength: 200,
  });
}
