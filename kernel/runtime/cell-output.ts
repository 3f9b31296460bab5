/**
 * The output of one request, sent on iopub with that request as parent. Stream text is
 * buffered until the event loop turns (many `console.log` lines make one message) and flushed
 * before anything else the cell sends, so the order on screen is the order of the calls.
 *
 * A run's log lines go out as a display (`text/plain`: the lines as printed; `text/html`: the
 * same lines laid out so that their prefixes never break mid-word), updated in place as lines
 * come, once per turn of the event loop. Anything else the cell sends ends that display; the
 * lines after it start a new one, so lines and other output keep their order. A display holds
 * at most `LOG_LINES` lines, so each update stays small however long the run.
 */
import { randomUUID } from "node:crypto";
import * as messages from "../messages.js";
import type { MessageHeader } from "../protocol/message.js";
import type { Outbox } from "../protocol/session.js";
import type { CellOutput, DisplayContent } from "./cell-scope.js";
import { LOG_METADATA, logHtml } from "./log-html.js";
import { jsonSafe } from "./mime.js";

/** The most lines one log display holds. */
const LOG_LINES = 200;

/** A cell's output, plus what only the kernel sends: results and errors. */
export interface CellOutputSink extends CellOutput {
  result(executionCount: number, content: DisplayContent): void;
  error(content: { ename: string; evalue: string; traceback: readonly string[] }): void;
  /** Adds a line of a run's log (`text` ends with a newline) to the cell's log display. */
  log(text: string): void;
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
  /** The log display being written: its lines, and whether it went out already. */
  let log: { id: string; lines: string[]; shown: boolean; sent: number } | undefined;
  const flushStream = () => {
    if (pending === undefined) return;
    const { name, text } = pending;
    pending = undefined;
    outbox.publish(parent, "stream", { name, text });
  };
  const flushLog = () => {
    if (log === undefined || log.sent === log.lines.length) return;
    const text = log.lines.join("");
    const content = {
      data: { "text/plain": text, "text/html": logHtml(text) },
      metadata: LOG_METADATA,
      transient: { display_id: log.id },
    };
    log.sent = log.lines.length;
    if (log.shown) outbox.publish(running() ?? parent, "update_display_data", content);
    else outbox.publish(parent, "display_data", content);
    log.shown = true;
  };
  const flush = () => {
    flushStream();
    flushLog();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush();
    });
  };
  /** Sends what is pending; the next log line starts a new display, below what comes now. */
  const endLog = () => {
    flush();
    log = undefined;
  };
  const publish = (msgType: string, content: Readonly<Record<string, unknown>>) => {
    if (silent) return;
    endLog();
    outbox.publish(parent, msgType, content);
  };
  const bundle = (content: DisplayContent) => {
    const { data, dropped } = jsonSafe(content.data);
    for (const mime of dropped) write("stderr", messages.unserialisableMime(mime));
    return { data, metadata: content.metadata };
  };
  const write = (name: "stdout" | "stderr", text: string) => {
    if (silent || text === "") return;
    if (log !== undefined) endLog();
    if (pending !== undefined && pending.name !== name) flushStream();
    pending = { name, text: (pending?.text ?? "") + text };
    schedule();
  };
  return {
    write,
    log(text) {
      if (silent || text === "") return;
      flushStream();
      if (log !== undefined && log.lines.length >= LOG_LINES) endLog();
      log ??= { id: `workgraph-log-${randomUUID()}`, lines: [], shown: false, sent: 0 };
      log.lines.push(text);
      schedule();
    },
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
