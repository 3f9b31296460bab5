import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KernelClient } from "../../cli/notebook/kernel-client.js";
import { startKernel } from "../../cli/notebook/kernel-process.js";
import {
  writeFreshConnection,
  type FreshConnection,
} from "../../kernel/protocol/connection-file.js";

const folder = mkdtempSync(path.join(os.tmpdir(), "workgraph-kernel-ports-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("a kernel whose port another process took", () => {
  it("is started again on fresh ports, and answers", async () => {
    // another process listens on the port the first connection file names for the shell
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const address = squatter.address();
    const taken = typeof address === "object" && address !== null ? address.port : 0;
    const given: FreshConnection[] = [];
    const connect = async (): Promise<FreshConnection> => {
      const fresh = await writeFreshConnection("workgraph-test-kernel-");
      const connection =
        given.length === 0 ? { ...fresh.connection, shell_port: taken } : fresh.connection;
      writeFileSync(fresh.file, JSON.stringify(connection));
      given.push({ ...fresh, connection });
      return { ...fresh, connection };
    };
    const kernel = await startKernel(folder, { connect });
    try {
      expect(given.map((g) => g.connection.shell_port)).toEqual([
        taken,
        kernel.connection.shell_port,
      ]);
      const client = await KernelClient.connect(kernel.connection);
      try {
        await client.ready(60_000);
        const info = await client.request("shell", "kernel_info_request", {}, () => undefined);
        expect(info.content.status).toBe("ok");
      } finally {
        client.close();
      }
    } finally {
      kernel.stop();
      squatter.close();
    }
  }, 120_000);
});
