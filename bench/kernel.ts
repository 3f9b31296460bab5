/**
 * The kernel's figures: from spawning it to its first kernel_info_reply, and the round trip of
 * executing `1 + 1` (request to reply and idle status), after warm-up.
 */
import { tmpdir } from "node:os";
import { KernelClient } from "../cli/notebook/kernel-client.js";
import { startKernel } from "../cli/notebook/kernel-process.js";

const ONE_PLUS_ONE = {
  code: "1 + 1",
  silent: false,
  store_history: false,
  user_expressions: {},
  allow_stdin: false,
  stop_on_error: false,
};

/** Kernel start to first reply, and the mean execute round trip, in ms. */
export async function benchKernel(): Promise<{ startMs: number; executeRoundTripMs: number }> {
  const started = performance.now();
  const kernel = await startKernel(tmpdir());
  const client = await KernelClient.connect(kernel.connection);
  try {
    await client.request("shell", "kernel_info_request", {});
    const startMs = performance.now() - started;
    await client.ready();
    const execute = () => client.request("shell", "execute_request", ONE_PLUS_ONE, () => undefined);
    for (let i = 0; i < 10; i++) await execute();
    const rounds = 50;
    const before = performance.now();
    for (let i = 0; i < rounds; i++) await execute();
    return { startMs, executeRoundTripMs: (performance.now() - before) / rounds };
  } finally {
    await client.request("control", "shutdown_request", { restart: false }).catch(() => undefined);
    client.close();
    kernel.stop();
  }
}
