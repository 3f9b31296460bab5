/** What request handlers share: the outbox, the execution, comms, and the kernel's counters. */
import type { LazyExecution } from "../execution/lazy-execution.js";
import type { JupyterMessage, MessageHeader } from "../protocol/message.js";
import type { Outbox } from "../protocol/session.js";
import type { Cell } from "./cell.js";
import type { CommRegistry } from "./comms.js";
import type { History } from "./history.js";
import type { RequestContent, RequestType } from "./requests.js";

/** A parsed request and where it came from. */
export interface Request<T extends RequestType> {
  readonly channel: "shell" | "control";
  readonly message: JupyterMessage;
  readonly content: RequestContent<T>;
}

/** `"stop"` asks the kernel to abort the execute requests queued behind this one. */
export type HandlerResult = void | "stop";

/** Handles one request type. */
export type Handler<T extends RequestType> = (
  request: Request<T>,
  kernel: KernelContext,
) => HandlerResult | Promise<HandlerResult>;

/** Kernel state and services, as handlers see them. */
export interface KernelContext {
  readonly outbox: Outbox;
  readonly execution: LazyExecution;
  readonly comms: CommRegistry;
  readonly history: History;
  /** The content of kernel_info_reply. */
  readonly info: Readonly<Record<string, unknown>>;
  readonly log: (line: string) => void;
  /** The count of the last execution that was stored in history. */
  executionCount: number;
  /** The cell executing now, if any: an interrupt stops it and cancels its runs. */
  running: Cell | undefined;
  newCell(parent: MessageHeader, silent: boolean): Cell;
  interrupt(): void;
  /** Ends the process once the shutdown reply is on its way. */
  shutdown(restart: boolean): void;
}

/** Sends the reply of `request` (its type with `_request` replaced by `_reply`). */
export function reply(
  kernel: KernelContext,
  request: Pick<Request<RequestType>, "channel" | "message">,
  content: Readonly<Record<string, unknown>>,
): void {
  const msgType = request.message.header.msg_type.replace(/_request$/, "_reply");
  kernel.outbox.reply(request.channel, request.message, msgType, content);
}
