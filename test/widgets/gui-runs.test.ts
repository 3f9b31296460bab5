/**
 * The live page's run list and run header, in headless Chromium: each run shows its pk and
 * start time; a run that ended EXCEPTED says why above its graph; a run of 10,001 tasks folds
 * as the notebook folds it (`inc ×10,000`), also when it grows past that size while shown; and
 * `workgraph gui` on a fresh home starts and says there are no runs yet.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
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

const begin = task(function begin() {
  return 0;
});
const inc = task(function inc(x: number) {
  return x + 1;
});

/** A promise the test opens when it wants. */
let openGate: () => void = () => {};
const gateOpened = new Promise<void>((resolve) => (openGate = resolve));

async function manyIncs() {
  begin();
  await gateOpened;
  for (let i = 0; i < 10_000; i++) inc(i);
  return {};
}

/** The names and states of the nodes the page's DAG holds now. */
function nodesInPage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hooks = (
      globalThis as unknown as {
        workgraph: { dag?: { data(n: string): { name: string; state: string }[] } };
      }
    ).workgraph;
    return (hooks.dag?.data("nodes") ?? []).map((row) => `${row.name} ${row.state}`).sort();
  });
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

describe("a run of 10,001 tasks", () => {
  let server: GuiServer;
  afterAll(() => server?.close());

  it("folds each function's calls into one node, as the notebook does, once it grows", async () => {
    const source = new ProcessRunSource();
    server = await startGui({ source });
    const flow = run(manyIncs, {}, { log: false, store: new MemoryStore() });
    source.register(flow);
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.locator("#runs tr", { hasText: "manyIncs" }).click();
    await expect.poll(() => nodesInPage(page)).toEqual(["begin FINISHED"]);
    openGate();
    await flow;
    await expect.poll(() => nodesInPage(page)).toEqual(["begin FINISHED", "inc ×10,000 FINISHED"]);
    // opened after it ended, it is folded from the start
    await page.reload();
    await page.locator("#runs tr", { hasText: "manyIncs" }).click();
    await expect.poll(() => nodesInPage(page)).toEqual(["begin FINISHED", "inc ×10,000 FINISHED"]);
    await page.close();
  }, 60_000);
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
