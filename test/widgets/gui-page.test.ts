import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { MemoryStore, run, task, type Run } from "../../engine/index.js";
import { closeGui, gui, ProcessRunSource, startGui, type GuiServer } from "../../widgets/index.js";
import { launchChromium } from "./support/chromium.js";

/** A promise the test resolves when it wants. */
function gate<T>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

const firstGate = gate<number>();
const prepare = task(function prepare(x: number) {
  return x + 1;
});
const waitForTest = task(async function waitForTest(x: number) {
  return x * (await firstGate.promise);
});
const summarise = task(function summarise(a: number, b: number) {
  return { total: a + b };
});

async function heldFlow(x: number) {
  const a = prepare(x);
  const b = waitForTest(a.result);
  const c = summarise(a.result, b.result);
  return { total: c.result };
}

/** The state of a task as the page's DAG holds it now. */
function stateInPage(page: Page, name: string): Promise<string | undefined> {
  return page.evaluate((taskName) => {
    const hooks = (
      globalThis as unknown as {
        workgraph: { dag?: { data(n: string): { name: string; state: string }[] } };
      }
    ).workgraph;
    return hooks.dag?.data("nodes").find((row) => row.name === taskName)?.state;
  }, name);
}

describe("the live page", () => {
  let server: GuiServer;
  let browser: Browser;
  let flow: Run;
  const outside: string[] = [];

  beforeAll(async () => {
    const source = new ProcessRunSource();
    server = await startGui({ source });
    flow = run(heldFlow, { x: 1 }, { log: false, store: new MemoryStore() });
    source.register(flow);
    browser = await launchChromium();
  });

  afterAll(async () => {
    firstGate.open(1);
    await browser?.close();
    await server?.close();
  });

  it("follows a run live, and shows a clicked task in the panel", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const origin = new URL(server.url).origin;
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(origin)) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(server.url);
    await page.locator("#runs tr", { hasText: "heldFlow" }).click();
    await page.locator("#dag svg text", { hasText: /^waitForTest$/ }).waitFor();
    await expect.poll(() => stateInPage(page, "waitForTest")).toBe("RUNNING");
    expect(await stateInPage(page, "summarise")).toBe("PLANNED");

    // zoom in and select a task before the change: the update must keep both
    const view = () =>
      page.evaluate(() => {
        const dagView = (
          globalThis as unknown as {
            workgraph: {
              dag: { scale(n: string): { domain(): number[] }; signal(n: string): unknown };
            };
          }
        ).workgraph.dag;
        return { domain: dagView.scale("x").domain(), selected: dagView.signal("task") };
      });
    const initial = await view();
    await page.locator("#dag svg text", { hasText: /^prepare$/ }).click();
    const dag = page.locator("#dag svg").first();
    const box = await dag.boundingBox();
    await page.mouse.move(
      (box?.x ?? 0) + (box?.width ?? 0) / 2,
      (box?.y ?? 0) + (box?.height ?? 0) / 2,
    );
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await view()).selected).toMatchObject({ id: [0] });
    await expect.poll(async () => (await view()).domain).not.toEqual(initial.domain);
    const before = await view();
    firstGate.open(10);
    await flow;
    await expect.poll(() => stateInPage(page, "summarise")).toBe("FINISHED");
    expect(await stateInPage(page, "waitForTest")).toBe("FINISHED");
    expect(await view()).toEqual(before);
    await expect.poll(() => page.locator("#run-title").textContent()).toContain("FINISHED");

    await page.locator("#dag svg text", { hasText: /^waitForTest$/ }).click();
    const panel = page.locator('#task[data-task="1"]');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? "";
    expect(text).toContain("waitForTest");
    expect(text).toMatch(/Inputsx2/); // x = 2, from prepare
    expect(text).toMatch(/Outputsresult20/);
    expect(text).toMatch(/State historyPLANNED.*RUNNING.*FINISHED/);
    expect(text).toContain("Task: waitForTest, type: in-process, finished.");
    expect(text).toContain("await firstGate.promise");

    mkdirSync("test-artifacts", { recursive: true });
    await page.screenshot({ path: "test-artifacts/gui.png", fullPage: true });
    expect(outside).toEqual([]);
    await page.close();
  });

  it("refuses HTTP requests and WebSockets without the token", async () => {
    const { origin, host } = new URL(server.url);
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/assets/page.js?token=wrong`)).status).toBe(401);
    expect((await fetch(`${origin}/assets/vega.js?token=${server.token}`)).status).toBe(200);
    for (const url of [`ws://${host}/ws`, `ws://${host}/ws?token=wrong`]) {
      const socket = new WebSocket(url);
      const status = await new Promise<number | string>((resolve) => {
        socket.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.on("open", () => resolve("opened"));
        socket.on("error", (error) => resolve(error.message));
      });
      expect(status).toBe(401);
      socket.terminate();
    }
  });
});

describe("gui() for notebooks", () => {
  it("serves this process's runs on one page, started once", async () => {
    const url = await gui();
    try {
      expect(await gui()).toBe(url);
      const r = run(
        async function startedAfterGui() {},
        {},
        { log: false, store: new MemoryStore() },
      );
      await r;
      const { host } = new URL(url);
      const socket = new WebSocket(
        `ws://${host}/ws?token=${new URL(url).searchParams.get("token")}`,
      );
      const names = await new Promise<string[]>((resolve, reject) => {
        socket.on("open", () => socket.send(JSON.stringify({ type: "runs" })));
        socket.on("message", (data: Buffer) => {
          const message = JSON.parse(data.toString("utf8")) as {
            type: string;
            runs?: { name: string }[];
          };
          if (message.type === "runs") resolve((message.runs ?? []).map((run) => run.name));
        });
        socket.on("error", reject);
      });
      expect(names).toContain("startedAfterGui");
      socket.close();
    } finally {
      await closeGui();
    }
  });
});
