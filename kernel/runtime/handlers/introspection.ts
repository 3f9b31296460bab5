/** complete_request, inspect_request and is_complete_request: answered by the execution. */
import { toCodePoints, toUtf16Index } from "../code-points.js";
import { reply, type Handler } from "../kernel-context.js";

/** Handles complete_request. */
export const complete: Handler<"complete_request"> = async (request, kernel) => {
  const { code, cursor_pos } = request.content;
  const found = (await kernel.execution.get()).complete(code, toUtf16Index(code, cursor_pos));
  reply(kernel, request, {
    status: "ok",
    matches: found.matches,
    cursor_start: toCodePoints(code, found.start),
    cursor_end: toCodePoints(code, found.end),
    metadata: {},
  });
};

/** Handles inspect_request. */
export const inspect: Handler<"inspect_request"> = async (request, kernel) => {
  const { code, cursor_pos } = request.content;
  const text = (await kernel.execution.get()).inspect(code, toUtf16Index(code, cursor_pos));
  reply(kernel, request, {
    status: "ok",
    found: text !== undefined,
    data: text !== undefined ? { "text/plain": text } : {},
    metadata: {},
  });
};

/** Handles is_complete_request. */
export const isComplete: Handler<"is_complete_request"> = async (request, kernel) => {
  reply(kernel, request, (await kernel.execution.get()).isComplete(request.content.code));
};
