/** A real kernel process in a folder, driven by the project's own client, one cell at a time. */
import { KernelClient } from "../../../cli/notebook/kernel-client.js";
import { startKernel, type KernelProcess } from "../../../cli/notebook/kernel-process.js";
import type { Content } from "../../../kernel/protocol/message.js";

/** What one cell sent back. */
export interface CellReply {
  readonly reply: Content;
  readonly stdout: string;
  readonly stderr: string;
  /** The `text/plain` of its execute_result, if any. */
  readonly result: string | undefined;
  /** The content of its `error` message, if any. */
  readonly error: Content | undefined;
}

/** A kernel started in `cwd`. */
export class KernelSession {
  private constructor(
    private readonly kernel: KernelProcess,
    private readonly client: KernelClient,
  ) {}

  /** Starts a kernel whose working folder (the notebook's) is `cwd`. */
  static async start(cwd: string): Promise<KernelSession> {
    const kernel = await startKernel(cwd);
    const client = await KernelClient.connect(kernel.connection);
    await client.ready(60_000);
    return new KernelSession(kernel, client);
  }

  /** Executes `code` and collects what it sent. */
  async execute(code: string): Promise<CellReply> {
    let stdout = "";
    let stderr = "";
    let result: string | undefined;
    let error: Content | undefined;
    const content = { code, silent: false, store_history: true, user_expressions: {} };
    const reply = await this.client.request("shell", "execute_request", content, (m) => {
      const c = m.content;
      if (m.header.msg_type === "stream") {
        if (c.name === "stdout") stdout += String(c.text);
        else stderr += String(c.text);
      }
      if (m.header.msg_type === "execute_result") {
        result = String((c.data as Record<string, unknown>)["text/plain"]);
      }
      if (m.header.msg_type === "error") error = c;
    });
    return { reply: reply.content, stdout, stderr, result, error };
  }

  /** Shuts the kernel down. */
  async stop(): Promise<void> {
    await this.client
      .request("control", "shutdown_request", { restart: false })
      .catch(() => undefined);
    this.client.close();
    this.kernel.stop();
  }
}
