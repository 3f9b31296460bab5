/**
 * The cell API: what notebook code calls to show things. Outside a kernel cell (a script), the
 * display calls print the text form instead, so code that uses them still runs.
 *
 * @example
 * display({ "text/markdown": "**done**" });
 * display(run, { id: "progress" });
 * updateDisplay("progress", run);
 */
import type { Comm, CommData, CommTarget } from "./cell-scope.js";
import { currentCell } from "./cell-storage.js";
import * as messages from "../messages.js";
import { randomUUID } from "node:crypto";
import { displayContent, drawnDisplayContent } from "./mime.js";

/** Options of {@link display}. */
export interface DisplayOptions {
  /** A display id: {@link updateDisplay} with the same id replaces this output in place. */
  readonly id?: string;
  /** Metadata of the display, by MIME type (e.g. `{ "image/png": { width: 200 } }`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Options of {@link updateDisplay}. */
export interface UpdateDisplayOptions {
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Options of {@link clearOutput}. */
export interface ClearOutputOptions {
  /** Clear when the next output arrives rather than now (avoids flicker). */
  readonly wait?: boolean;
}

/**
 * Shows a value under the cell: its own bundle when it has the `Symbol.for("Jupyter.display")`
 * method, the value itself when it is a MIME bundle (`{ "text/html": "<b>hi</b>" }`), otherwise
 * its text.
 */
export function display(value: unknown, options: DisplayOptions = {}): void {
  const { now, drawn } = drawnDisplayContent(value, options.metadata);
  const cell = currentCell();
  if (cell === undefined) {
    console.log(now.data["text/plain"] ?? "");
    return;
  }
  if (drawn === undefined) {
    cell.output.display(now, options.id);
    return;
  }
  // A value that draws itself (a run's DAG) shows its text at once, in its place among the
  // cell's outputs, and its picture replaces it when drawn; the cell's reply waits for it.
  const id = options.id ?? `workgraph-display-${randomUUID()}`;
  cell.output.display(now, id);
  cell.track(drawn.then((content) => cell.output.updateDisplay(id, content)));
}

/** Replaces every output shown with display id `id` (in any cell) by `value`. */
export function updateDisplay(
  id: string,
  value: unknown,
  options: UpdateDisplayOptions = {},
): void {
  const content = displayContent(value, options.metadata);
  const cell = currentCell();
  if (cell === undefined) console.log(content.data["text/plain"] ?? "");
  else cell.output.updateDisplay(id, content);
}

/** Clears the cell's output. */
export function clearOutput(options: ClearOutputOptions = {}): void {
  currentCell()?.output.clear(options.wait ?? false);
}

/** Registers the code that answers when a front end opens a comm on `targetName`. */
export function registerCommTarget(targetName: string, target: CommTarget): void {
  const cell = currentCell();
  if (cell === undefined) throw new Error(messages.outsideKernel("registerCommTarget"));
  cell.comms.register(targetName, target);
}

/** Opens a comm from the kernel to a target the front end registered. */
export function openComm(targetName: string, data: CommData = {}): Comm {
  const cell = currentCell();
  if (cell === undefined) throw new Error(messages.outsideKernel("openComm"));
  return cell.comms.open(targetName, data);
}
