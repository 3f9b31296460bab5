import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startFixture } from "../../support/fixture-process.js";
import { isRunning, waitUntilStopped } from "../../support/processes.js";
import { useTempHome } from "../../support/temp-home.js";

const home = useTempHome();

async function pidFiles(dir: string, count: number, ms = 30_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pids = readdirSync(dir).map(Number);
    if (pids.length >= count) return pids;
    if (Date.now() > deadline) throw new Error(`only ${pids.length} of ${count} jobs started`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("job workers whose script is SIGKILLed", () => {
  it("exit within seconds even while their jobs spin in a synchronous loop", async () => {
    const dir = home.scratch("pids-");
    const script = startFixture("spinning-jobs.ts", [dir, "2"], home.path);
    const workers = await pidFiles(dir, 2);
    expect(workers.every(isRunning)).toBe(true);
    script.child.kill("SIGKILL");
    expect((await script.exited()).signal).toBe("SIGKILL");
    for (const pid of workers)
      expect(await waitUntilStopped(pid, 5000), `worker ${pid}`).toBe(true);
  }, 60_000);
});
