import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore, run, task, type Run } from "../../engine/index.js";
import { ProcessRunSource, startGui, type GuiServer } from "../../widgets/index.js";
import { launchChromium } from "./support/chromium.js";

const tick = task(async function tick(i: number) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  return i + 1;
});

async function ticking(n: number) {
  let value: unknown = 0;
  for (let i = 0; i < n; i++) value = tick(value as number).result;
  return { value };
}

describe("the live page's run buttons", () => {
  let server: GuiServer;
  let browser: Browser;
  let flow: Run;

  beforeAll(async () => {
    const source = new ProcessRunSource();
    server = await startGui({ source });
    flow = run(ticking, { n: 200 }, { log: false, store: new MemoryStore() });
    source.register(flow);
    browser = await launchChromium();
  });

  afterAll(async () => {
    flow?.cancel("test over");
    await browser?.close();
    await server?.close();
  });

  it("pause, play and kill the open run", async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.locator("#runs tr", { hasText: "ticking" }).click();
    await page.locator("#run-title button[data-action=pause]").click();
    await expect.poll(() => flow.paused).toBe(true);
    await expect.poll(() => page.locator("#status").textContent()).toBe("pause: run 1");
    await page.locator("#run-title button[data-action=play]").click();
    await expect.poll(() => flow.paused).toBe(false);
    await page.locator("#run-title button[data-action=kill]").click();
    expect((await flow.done).state).toBe("KILLED");
    await page.locator("#run-title .state.KILLED").waitFor();
    expect(await page.locator("#run-title button").count()).toBe(0);
    await page.close();
  });
});
