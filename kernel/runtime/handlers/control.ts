/** interrupt_request and shutdown_request, on the control channel. */
import { reply, type Handler } from "../kernel-context.js";

/** Handles interrupt_request: the same as SIGINT, for what is not a synchronous loop. */
export const interrupt: Handler<"interrupt_request"> = (request, kernel) => {
  kernel.interrupt();
  reply(kernel, request, { status: "ok" });
};

/** Handles shutdown_request: replies (also on iopub, for other clients), then exits. */
export const shutdown: Handler<"shutdown_request"> = (request, kernel) => {
  const content = { status: "ok", restart: request.content.restart };
  reply(kernel, request, content);
  kernel.outbox.publish(request.message.header, "shutdown_reply", content);
  kernel.shutdown(request.content.restart);
};
