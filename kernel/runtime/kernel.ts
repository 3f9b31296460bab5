/**
 * The protocol handler: messages in, messages out, no sockets. Shell requests are answered one
 * at a time, in order; control requests (interrupt, shutdown) at once. Every request is framed
 * by `busy` and `idle` on iopub.
 *
 * ```
 *   transport (zeromq) ─frames─▶ wire (HMAC check, parse) ─message─▶ Kernel.receive
 *        ▲                                                              │ handlers/
 *        └───────── session (sign, address) ◀── Outbox ◀───────────────┘ cells, comms
 * ```
 */
import type { LazyExecution } from "../execution/lazy-execution.js";
import * as messages from "../messages.js";
import type { JupyterMessage } from "../protocol/message.js";
import type { Outbox } from "../protocol/session.js";
import type { ReceiveChannel } from "../protocol/transport.js";
import { Cell } from "./cell.js";
import { createCellOutput } from "./cell-output.js";
import { currentCell } from "./cell-storage.js";
import { CommRegistry } from "./comms.js";
import { thrownError } from "./error-content.js";
import { History } from "./history.js";
import { handlers, immediate } from "./handlers/index.js";
import type { Handler, KernelContext, Request } from "./kernel-context.js";
import { reply } from "./kernel-context.js";
import type { RunDisplayOptions } from "./live-run.js";
import { requestSchemas, type RequestType } from "./requests.js";

/** What a kernel is made of. */
export interface KernelOptions {
  readonly outbox: Outbox;
  readonly execution: LazyExecution;
  readonly live: RunDisplayOptions;
  /** The content of kernel_info_reply. */
  readonly info: Readonly<Record<string, unknown>>;
  /** The kernel's own log (stderr), never a cell. */
  readonly log: (line: string) => void;
  /** Exits the process; called after the shutdown reply was sent. */
  readonly shutdown: (restart: boolean) => void;
}

/** A kernel, fed with parsed messages. Its functions need no `this`: pass them around. */
export interface Kernel {
  readonly receive: (channel: ReceiveChannel, message: JupyterMessage) => void;
  /** Stops the running cell and cancels its runs (SIGINT and interrupt_request). */
  readonly interrupt: () => void;
  /** Resolves once every request received so far has been answered. */
  readonly idle: () => Promise<void>;
}

/** Creates a kernel. */
export function createKernel(options: KernelOptions): Kernel {
  const { outbox, log } = options;
  const context: KernelContext = {
    outbox,
    execution: options.execution,
    comms: new CommRegistry(outbox, () => {
      const cell = currentCell();
      return cell instanceof Cell ? cell.parent : undefined;
    }),
    history: new History(),
    info: options.info,
    log,
    executionCount: 0,
    running: undefined,
    newCell: (parent, silent) =>
      new Cell(
        parent,
        createCellOutput(outbox, parent, silent, () => context.running?.parent),
        context.comms,
        options.live,
      ),
    interrupt() {
      options.execution.current()?.interrupt();
      context.running?.cancelRuns(messages.interruptReason);
    },
    shutdown: options.shutdown,
  };
  const queue: { channel: "shell" | "control"; message: JupyterMessage }[] = [];
  let draining: Promise<void> = Promise.resolve();
  let busy = false;

  const handle = async (channel: "shell" | "control", message: JupyterMessage) => {
    const msgType = message.header.msg_type;
    if (!(msgType in requestSchemas)) {
      log(messages.unknownRequest(msgType, channel));
      return undefined;
    }
    const type = msgType as RequestType;
    outbox.publish(message.header, "status", { execution_state: "busy" });
    try {
      const parsed = requestSchemas[type].safeParse(message.content);
      if (!parsed.success) throw new TypeError(messages.invalidRequest(type, parsed.error.message));
      const request = { channel, message, content: parsed.data } as Request<never>;
      const handler = handlers[type] as Handler<never>;
      return await handler(request, context);
    } catch (error) {
      log(
        `${type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (type.endsWith("_request")) {
        reply(context, { channel, message }, { status: "error", ...thrownError(error) });
      }
      return undefined;
    } finally {
      outbox.publish(message.header, "status", { execution_state: "idle" });
    }
  };

  const abortQueuedExecutions = () => {
    for (const entry of queue.splice(0)) {
      if (entry.message.header.msg_type !== "execute_request") {
        queue.push(entry);
        continue;
      }
      outbox.publish(entry.message.header, "status", { execution_state: "busy" });
      outbox.reply(entry.channel, entry.message, "execute_reply", {
        status: "aborted",
        execution_count: context.executionCount,
      });
      outbox.publish(entry.message.header, "status", { execution_state: "idle" });
    }
  };

  const drain = async () => {
    busy = true;
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if ((await handle(next.channel, next.message)) === "stop") abortQueuedExecutions();
    }
    busy = false;
  };

  return {
    receive(channel, message) {
      if (channel === "stdin") return; // input_reply: this kernel never asks for input
      if (channel === "control" || immediate.has(message.header.msg_type)) {
        void handle(channel, message);
        return;
      }
      queue.push({ channel, message });
      if (!busy) draining = drain();
    },
    interrupt: () => context.interrupt(),
    idle: () => draining,
  };
}
