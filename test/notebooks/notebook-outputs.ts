/**
 * Reading executed notebooks in tests: outputs by cell, and a normal form of them that leaves
 * out what differs from one execution to the next (uuids, pks, times, durations, rates,
 * chart coordinates) and the order in which a cell's streams and displays interleaved.
 */
import { readFileSync } from "node:fs";

/** One output as nbformat stores it. */
export interface NotebookOutput {
  readonly output_type: string;
  readonly name?: string;
  readonly text?: string | string[];
  readonly data?: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
  readonly ename?: string;
  readonly evalue?: string;
}

/** A code cell's source and outputs. */
export interface CodeCellOutputs {
  readonly source: string;
  readonly outputs: readonly NotebookOutput[];
}

/** A multiline field as one string. */
export function joined(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

/** The code cells of a notebook file. */
export function codeCells(file: string): CodeCellOutputs[] {
  const nb = JSON.parse(readFileSync(file, "utf8")) as {
    cells: { cell_type: string; source: string | string[]; outputs?: NotebookOutput[] }[];
  };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => ({ source: joined(c.source), outputs: c.outputs ?? [] }));
}

/** Whether an output is a run's log display (its text is the lines as printed). */
export function isLog(output: NotebookOutput): boolean {
  return output.output_type === "display_data" && output.metadata?.workgraph === "log";
}

/**
 * Everything a cell wrote to a stream, in order; a run's log display counts as stdout (its
 * `text/plain` is the lines as they were printed).
 */
export function streamText(cell: CodeCellOutputs, name = "stdout"): string {
  return cell.outputs
    .filter(
      (o) => (o.output_type === "stream" && o.name === name) || (name === "stdout" && isLog(o)),
    )
    .map((o) => joined(isLog(o) ? o.data?.["text/plain"] : o.text))
    .join("");
}

/** Text with what changes between executions masked. */
export function maskVolatile(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?/g, "<time>")
    .replace(/\bpk(:| |s? )\s*\d+/g, "pk$1<n>")
    .replace(/\[\d+\|/g, "[<n>|")
    .replace(/\(pk \d+\)/g, "(pk <n>)")
    .replace(/[\d,.]+ ?(ms|s|tasks\/s)\b/g, "<measure>");
}

/** A chart (SVG or Vega-Lite JSON) with every number masked: labels and structure remain. */
export function maskChart(text: string): string {
  return maskVolatile(text)
    .replace(/\bwg[0-9a-z]+-/g, "wg-")
    .replace(/-?\d+(\.\d+)?(e-?\d+)?/g, "0");
}

/** A cell's outputs in a normal form that two executions of the same code share. */
export function normalCell(cell: CodeCellOutputs): string {
  const parts: string[] = [];
  for (const name of ["stdout", "stderr"]) {
    const text = streamText(cell, name);
    if (text !== "") parts.push(`${name}: ${maskVolatile(text)}`);
  }
  for (const output of cell.outputs) {
    if (output.output_type === "stream" || isLog(output)) continue;
    if (output.output_type === "error") {
      parts.push(`error: ${output.ename}: ${maskVolatile(output.evalue ?? "")}`);
      continue;
    }
    const data = output.data ?? {};
    for (const type of Object.keys(data).sort()) {
      if (type === "image/png") {
        // a raster of the SVG above it, whose numbers differ between executions
        parts.push(`${output.output_type} ${type}: <png>`);
        continue;
      }
      const value = type.endsWith("json") ? JSON.stringify(data[type]) : joined(data[type]);
      const chart = type === "image/svg+xml" || type.endsWith("json");
      parts.push(
        `${output.output_type} ${type}: ${chart ? maskChart(value) : maskVolatile(value)}`,
      );
    }
  }
  return parts.join("\n");
}
