/**
 * Turns a cell's iopub messages into notebook outputs, as Jupyter front ends do: streams merge,
 * `update_display_data` replaces every output shown with that display id (in any cell), and
 * `clear_output` (with `wait`) clears before the next output.
 */
import type { JupyterMessage } from "../../kernel/protocol/message.js";
import { isLogOutput } from "../../kernel/runtime/log-html.js";
import type { Output } from "./nbformat.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type DisplayOutput = Extract<Output, { data: unknown }>;

/** The displays of a whole notebook, by display id, so updates reach earlier cells too. */
export class Displays {
  readonly #byId = new Map<string, Mutable<DisplayOutput>[]>();

  track(id: string, output: Mutable<DisplayOutput>): void {
    let list = this.#byId.get(id);
    if (list === undefined) this.#byId.set(id, (list = []));
    list.push(output);
  }

  update(id: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    for (const output of this.#byId.get(id) ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
  }
}

/** Collects the outputs of one cell. */
export class CellOutputs {
  readonly outputs: Output[] = [];
  #clearPending = false;

  constructor(private readonly displays: Displays) {}

  /** Takes one iopub message of the cell. */
  add(message: JupyterMessage): void {
    const c = message.content as Record<string, unknown>;
    const type = message.header.msg_type;
    if (type === "clear_output") {
      if (c.wait === true) this.#clearPending = true;
      else this.outputs.length = 0;
      return;
    }
    if (type === "update_display_data") {
      const id = (c.transient as { display_id?: string } | undefined)?.display_id;
      if (id !== undefined) this.displays.update(id, record(c.data), record(c.metadata));
      return;
    }
    if (!["stream", "display_data", "execute_result", "error"].includes(type)) return;
    if (this.#clearPending) {
      this.outputs.length = 0;
      this.#clearPending = false;
    }
    if (type === "stream") {
      const name = c.name === "stderr" ? "stderr" : "stdout";
      const last = this.outputs.at(-1);
      if (last?.output_type === "stream" && last.name === name) {
        (last as Mutable<typeof last>).text = `${String(last.text)}${String(c.text)}`;
      } else {
        this.outputs.push({ output_type: "stream", name, text: String(c.text) });
      }
    } else if (type === "error") {
      this.outputs.push({
        output_type: "error",
        ename: String(c.ename),
        evalue: String(c.evalue),
        traceback: (c.traceback as string[] | undefined) ?? [],
      });
    } else if (type === "execute_result") {
      this.outputs.push({
        output_type: "execute_result",
        data: record(c.data),
        metadata: record(c.metadata),
        execution_count: typeof c.execution_count === "number" ? c.execution_count : null,
      });
    } else {
      const output: Mutable<DisplayOutput> = {
        output_type: "display_data",
        data: record(c.data),
        metadata: record(c.metadata),
      };
      const id = (c.transient as { display_id?: string } | undefined)?.display_id;
      if (id !== undefined) this.displays.track(id, output);
      this.outputs.push(output);
    }
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * The new lines of runs' log displays (shown, then updated in place as lines come), for
 * echoing them as they arrive: each display's text grows at its end.
 */
export class LogEcho {
  readonly #echoed = new Map<string, number>();

  /** The text a message adds to a log display, or `""`. */
  add(message: JupyterMessage): string {
    const type = message.header.msg_type;
    if (type !== "display_data" && type !== "update_display_data") return "";
    const c = message.content as Record<string, unknown>;
    const id = (c.transient as { display_id?: string } | undefined)?.display_id;
    const plain = record(c.data)["text/plain"];
    if (id === undefined || !isLogOutput(c.metadata) || typeof plain !== "string") return "";
    const echoed = this.#echoed.get(id) ?? 0;
    this.#echoed.set(id, plain.length);
    return plain.slice(echoed);
  }
}
