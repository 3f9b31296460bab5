/** Every request type the kernel answers, mapped to its handler: a new type cannot be missed. */
import type { Handler } from "../kernel-context.js";
import type { RequestType } from "../requests.js";
import { commClose, commMsg, commOpen } from "./comms.js";
import { interrupt, shutdown } from "./control.js";
import { execute } from "./execute.js";
import { commInfo, history, kernelInfo } from "./info.js";
import { complete, inspect, isComplete } from "./introspection.js";

/** The handler of each request type. */
export const handlers: { readonly [T in RequestType]: Handler<T> } = {
  execute_request: execute,
  complete_request: complete,
  inspect_request: inspect,
  is_complete_request: isComplete,
  history_request: history,
  kernel_info_request: kernelInfo,
  comm_info_request: commInfo,
  comm_open: commOpen,
  comm_msg: commMsg,
  comm_close: commClose,
  interrupt_request: interrupt,
  shutdown_request: shutdown,
};

/** Requests answered at once on whatever channel, never queued behind a running cell. */
export const immediate: ReadonlySet<string> = new Set(["interrupt_request", "shutdown_request"]);
