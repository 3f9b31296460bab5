/**
 * The output of one request, sent on iopub with that request as parent. Stream text is
 * buffered until the event loop turns (many `console.log` lines make one message) and flushed
 * before anything else the cell sends, so the order on screen is the order of the calls.
 */
import * as messages from "../messages.js";
import type { MessageHeader } from "../protocol/message.js";
import type { Outbox } from "../protocol/session.js";
import type { CellOutput, DisplayContent } from "./cell-scope.js";
import { jsonSafe } from "./mime.js";

/** A cell's output, plus what only the kernel sends: results and errors. */
export interface CellOutputSink extends CellOutput {
  result(executionCount: number, content: DisplayContent): void;
  error(content: { ename: string; evalue: string; traceback: readonly string[] }): void;
  /** Sends buffered stream text now. */
  flush(): void;
}

/**
 * Output for the request `parent`; a silent request sends nothing. An update of a display
 * goes out under the request running now (`running()`), if any: a display may outlive its
 * cell (a submitted run), and front ends such as nbclient read only the running request's
 * messages, updating any output by its display id.
 */
export function createCellOutput(
  outbox: Outbox,
  parent: MessageHeader,
  silent: boolean,
  running: () => MessageHeader | undefined = () => undefined,
): CellOutputSink {
  let pending: { name: "stdout" | "stderr"; text: string } | undefined;
  let scheduled = false;
  const flush = () => {
    if (pending === undefined) return;
    const { name, text } = pending;
    pending = undefined;
    outbox.publish(parent, "stream", { name, text });
  };
  const publish = (msgType: string, content: Readonly<Record<string, unknown>>) => {
    if (silent) return;
    flush();
    outbox.publish(parent, msgType, content);
  };
  const bundle = (content: DisplayContent) => {
    const { data, dropped } = jsonSafe(content.data);
    for (const mime of dropped) write("stderr", messages.unserialisableMime(mime));
    return { data, metadata: content.metadata };
  };
  const write = (name: "stdout" | "stderr", text: string) => {
    if (silent || text === "") return;
    if (pending !== undefined && pending.name !== name) flush();
    pending = { name, text: (pending?.text ?? "") + text };
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush();
      });
    }
  };
  return {
    write,
    display(content, displayId) {
      publish("display_data", {
        ...bundle(content),
        transient: displayId !== undefined ? { display_id: displayId } : {},
      });
    },
    updateDisplay(displayId, content) {
      if (silent) return;
      flush();
      outbox.publish(running() ?? parent, "update_display_data", {
        ...bundle(content),
        transient: { display_id: displayId },
      });
    },
    clear(wait) {
      publish("clear_output", { wait });
    },
    result(executionCount, content) {
      publish("execute_result", { execution_count: executionCount, ...bundle(content) });
    },
    error(content) {
      publish("error", content);
    },
    flush,
  };
}
