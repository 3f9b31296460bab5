/** The content of each request the kernel answers, parsed with zod at the boundary. */
import { z } from "zod";

const data = z.record(z.string(), z.unknown()).default({});

/** Request content schemas, by message type. */
export const requestSchemas = {
  execute_request: z.object({
    code: z.string(),
    silent: z.boolean().default(false),
    store_history: z.boolean().default(true),
    user_expressions: z.record(z.string(), z.unknown()).default({}),
    allow_stdin: z.boolean().default(true),
    stop_on_error: z.boolean().default(true),
  }),
  complete_request: z.object({ code: z.string(), cursor_pos: z.number().int().min(0) }),
  inspect_request: z.object({
    code: z.string(),
    cursor_pos: z.number().int().min(0),
    detail_level: z.number().int().default(0),
  }),
  is_complete_request: z.object({ code: z.string() }),
  history_request: z.object({}).passthrough(),
  kernel_info_request: z.object({}).passthrough(),
  comm_info_request: z.object({ target_name: z.string().optional() }),
  comm_open: z.object({ comm_id: z.string(), target_name: z.string(), data }),
  comm_msg: z.object({ comm_id: z.string(), data }),
  comm_close: z.object({ comm_id: z.string(), data }),
  interrupt_request: z.object({}).passthrough(),
  shutdown_request: z.object({ restart: z.boolean().default(false) }),
} as const;

/** A message type the kernel answers. */
export type RequestType = keyof typeof requestSchemas;

/** The parsed content of a request of type `T`. */
export type RequestContent<T extends RequestType> = z.infer<(typeof requestSchemas)[T]>;
