/** The connection file Jupyter hands a kernel: where to bind, and the key that signs messages. */
import { readFile } from "node:fs/promises";
import { z } from "zod";

const port = z.number().int().min(0).max(65535);

const connectionSchema = z.object({
  transport: z.enum(["tcp", "ipc"]).default("tcp"),
  ip: z.string().min(1),
  shell_port: port,
  iopub_port: port,
  stdin_port: port,
  control_port: port,
  hb_port: port,
  key: z.string().default(""),
  signature_scheme: z
    .string()
    .regex(/^hmac-[a-z0-9-]+$/, "signature_scheme must look like hmac-sha256")
    .default("hmac-sha256"),
  kernel_name: z.string().optional(),
});

/** A parsed connection file. */
export type ConnectionInfo = z.infer<typeof connectionSchema>;

/** The five channels of a Jupyter kernel. */
export type Channel = "shell" | "control" | "iopub" | "stdin" | "hb";

/** Parses a connection file's JSON text; the error names every field that is wrong. */
export function parseConnectionInfo(text: string): ConnectionInfo {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`connection file is not JSON: ${(error as Error).message}`);
  }
  const parsed = connectionSchema.safeParse(json);
  if (!parsed.success) throw new Error(`connection file: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Reads and parses the connection file at `path`. */
export async function readConnectionFile(path: string): Promise<ConnectionInfo> {
  return parseConnectionInfo(await readFile(path, "utf8"));
}

/** The ZeroMQ endpoint of one channel: `tcp://127.0.0.1:5555` or `ipc://path-5`. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const portOf: Record<Channel, number> = {
    shell: info.shell_port,
    control: info.control_port,
    iopub: info.iopub_port,
    stdin: info.stdin_port,
    hb: info.hb_port,
  };
  // Jupyter's ipc transport names each socket file after the ip with "-<port>" appended.
  return info.transport === "ipc"
    ? `ipc://${info.ip}-${portOf[channel]}`
    : `tcp://${info.ip}:${portOf[channel]}`;
}
