/** kernel_info_request, history_request and comm_info_request. */
import { reply, type Handler } from "../kernel-context.js";

/** Handles kernel_info_request; the first one also starts warming the execution. */
export const kernelInfo: Handler<"kernel_info_request"> = (request, kernel) => {
  reply(kernel, request, kernel.info);
  // After the reply has gone: starting the compiler blocks the event loop for a second.
  setTimeout(() => kernel.execution.warm(), 20);
};

/** Handles history_request. */
export const history: Handler<"history_request"> = (request, kernel) => {
  reply(kernel, request, { status: "ok", history: kernel.history.query(request.content) });
};

/** Handles comm_info_request. */
export const commInfo: Handler<"comm_info_request"> = (request, kernel) => {
  reply(kernel, request, { status: "ok", comms: kernel.comms.info(request.content.target_name) });
};
