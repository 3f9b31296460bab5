/**
 * The live page's run list and run header, in headless Chromium: each run shows its pk and
 * start time; a run that ended EXCEPTED says why above its graph; and `workgraph gui` on a
 * fresh home starts and says there are no runs yet.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore, run, task } from "../../engine/index.js";
import { ProcessRunSource, startGui, type GuiServer } from "../../widgets/index.js";
import { built, root } from "../support/built.js";
import { makeTempDir } from "../support/temp-home.js";
import { launchChromium } from "./support/chromium.js";

const one = task(function one() {
  return 1;
});

async function breaks() {
  one();
  throw new RangeError("the flow gave up");
}

async function fine() {
  return { x: one().result };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe("the page's runs", () => {
  let server: GuiServer;
  afterAll(() => server?.close());

  it("list pk and start time, and an EXCEPTED run says why", async () => {
    const source = new ProcessRunSource();
    server = await startGui({ source });
    const store = new MemoryStore();
    const good = run(fine, {}, { log: false, store });
    await good;
    const bad = run(breaks, {}, { log: false, store });
    await bad.done;
    source.register(good);
    source.register(bad);
    const page = await browser.newPage();
    await page.goto(server.url);
    const row = page.locator("#runs tr", { hasText: "breaks" });
    await row.waitFor();
    expect(await row.locator("td.pk").textContent()).toBe(String(bad.pk));
    expect(await row.locator("td.started").textContent()).toBe(
      await page.evaluate((at) => new Date(at).toLocaleTimeString(), bad.createdAt),
    );
    await row.click();
    await page.locator("#run-title", { hasText: "EXCEPTED" }).waitFor();
    expect(await page.locator("#run-error").textContent()).toBe("RangeError: the flow gave up");
    await page.locator("#runs tr", { hasText: "fine" }).click();
    await page.locator("#run-title", { hasText: "FINISHED" }).waitFor();
    expect(await page.locator("#run-error").textContent()).toBe("");
    await page.close();
  });
});

describe("workgraph gui on a fresh home", () => {
  it("starts, and the page says there are no runs yet", async () => {
    const home = makeTempDir("workgraph-fresh-home-");
    const child = spawn(process.execPath, [built("cli/main.js"), "gui"], {
      cwd: root,
      env: { ...process.env, WORKGRAPH_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const found = /workgraph gui: (http\S+)/.exec(output);
          if (found?.[1] !== undefined) resolve(found[1]);
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("exit", (code) => reject(new Error(`gui exited with ${code}: ${output}`)));
      });
      expect(output).toContain(join(home, "default", "workgraph.sqlite"));
      const page = await browser.newPage();
      await page.goto(url);
      await expect.poll(() => page.locator("#runs").textContent()).toContain("No runs yet");
      await page.close();
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
      rmSync(home, { recursive: true, force: true });
    }
    expect(child.exitCode).toBe(0);
  }, 60_000);
});
