/**
 * comm_open, comm_msg and comm_close from a front end. Target code runs in a cell of its own
 * whose parent is the comm message, so what it prints or sends is attributed to that message.
 */
import * as messages from "../../messages.js";
import { runInCell } from "../cell-storage.js";
import { thrownError } from "../error-content.js";
import type { JupyterMessage } from "../../protocol/message.js";
import type { Handler, KernelContext } from "../kernel-context.js";

/** Handles comm_open. */
export const commOpen: Handler<"comm_open"> = ({ message, content }, kernel) => {
  const opened = inCommCell(kernel, message, () =>
    kernel.comms.opened(content.comm_id, content.target_name, content.data),
  );
  if (opened === false) {
    kernel.log(messages.unknownCommTarget(content.target_name));
    kernel.outbox.publish(message.header, "comm_close", { comm_id: content.comm_id, data: {} });
  }
};

/** Handles comm_msg. */
export const commMsg: Handler<"comm_msg"> = ({ message, content }, kernel) => {
  inCommCell(kernel, message, () => kernel.comms.message(content.comm_id, content.data));
};

/** Handles comm_close. */
export const commClose: Handler<"comm_close"> = ({ message, content }, kernel) => {
  inCommCell(kernel, message, () => kernel.comms.closed(content.comm_id, content.data));
};

function inCommCell<T>(kernel: KernelContext, message: JupyterMessage, fn: () => T): T | undefined {
  const cell = kernel.newCell(message.header, false);
  try {
    return runInCell(cell, fn);
  } catch (error) {
    cell.output.error(thrownError(error));
    return undefined;
  } finally {
    cell.output.flush();
  }
}
