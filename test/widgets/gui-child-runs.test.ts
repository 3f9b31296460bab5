import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkGraph, run, task, type Run } from "../../engine/index.js";
import { SqliteStore } from "../../engine/plumbing.js";
import { ProcessRunSource, startGui, type GuiServer } from "../../widgets/index.js";
import { StoredRunSource } from "../../widgets/gui/stored-run-source.js";
import { createConnection } from "../../widgets/gui/connection.js";
import type { ServerMessage } from "../../widgets/gui/page-protocol.js";
import { launchChromium } from "./support/chromium.js";

const add = task(function add(x: number, y: number) {
  return x + y;
});
const double = task(function double(x: number) {
  return 2 * x;
});

// the child: a flow of two tasks, called from the parent as a flow task
async function innerSum(x: number, y: number) {
  const a = add(x, y);
  return { doubled: double(a.result).result };
}
const inner = task.flow(innerSum);

// a WorkGraph nested one level further down, inside the child of the child
const graph = new WorkGraph("deepest");
graph.addOutput("r", graph.addTask(double, { x: graph.inputs.x }).outputs.result);

async function outerFlow(x: number) {
  const first = add(x, 1);
  const nested = inner(first.result, 2);
  const deep = await graph.run({ x: 5 });
  return { total: add(nested.outputs.doubled, deep.r as never).result };
}

/** The names of the DAG's nodes as the page holds them. */
function namesInPage(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hooks = (
      globalThis as unknown as { workgraph: { dag?: { data(n: string): { name: string }[] } } }
    ).workgraph;
    return (hooks.dag?.data("nodes") ?? []).map((row) => row.name).sort();
  });
}

describe("child runs on the live page", () => {
  let server: GuiServer;
  let browser: Browser;
  let parent: Run;
  const store = new SqliteStore(":memory:");

  beforeAll(async () => {
    const source = new ProcessRunSource();
    server = await startGui({ source });
    parent = run(outerFlow, { x: 1 }, { log: false, store });
    source.register(parent);
    await parent;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    store.close();
  });

  it("opens a flow task's child run on a click, with breadcrumbs back to the parent", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.locator("#runs tr", { hasText: "outerFlow" }).click();
    await page.locator("#dag svg text", { hasText: /^innerSum$/ }).waitFor();
    await expect.poll(() => namesInPage(page)).toEqual(["add", "add1", "deepest", "innerSum"]);
    expect(await page.locator("#trail").textContent()).toBe("");

    await page.locator("#dag svg text", { hasText: /^innerSum$/ }).click();
    await expect.poll(() => namesInPage(page)).toEqual(["add", "double"]);
    await expect.poll(() => page.locator("#run-title").textContent()).toMatch(/^innerSum \(pk/);
    expect(await page.locator("#run-title").textContent()).toContain("FINISHED");
    const crumbs = page.locator("#trail button.crumb");
    expect(await crumbs.allTextContents()).toEqual([`outerFlow (pk ${parent.pk})`]);

    // a task of the child still shows in the panel
    await page.locator("#dag svg text", { hasText: /^double$/ }).click();
    await expect.poll(() => page.locator("#task").textContent()).toMatch(/Outputsresult8/);

    await crumbs.first().click();
    await expect.poll(() => namesInPage(page)).toEqual(["add", "add1", "deepest", "innerSum"]);
    expect(await page.locator("#trail").textContent()).toBe("");

    // a WorkGraph run inside the flow is a child run too, one click away
    await page.locator("#dag svg text", { hasText: /^deepest$/ }).click();
    await expect.poll(() => namesInPage(page)).toEqual(["double"]);
    expect(await page.locator("#trail button.crumb").allTextContents()).toEqual([
      `outerFlow (pk ${parent.pk})`,
    ]);
    await page.close();
  }, 120_000);

  it("finds the child run of a stored flow task, and answers null for other tasks", async () => {
    const messages: ServerMessage[] = [];
    const connection = createConnection(new StoredRunSource(store), (m) => messages.push(m));
    const flowTask = parent.graph().tasks.find((t) => t.name === "innerSum");
    connection.receive(JSON.stringify({ type: "child", run: parent.pk, task: flowTask?.id }));
    connection.receive(JSON.stringify({ type: "child", run: parent.pk, task: 0 }));
    connection.receive(JSON.stringify({ type: "child", run: parent.pk, task: "x" }));
    await expect.poll(() => messages.filter((m) => m.type === "child").length).toBe(2);
    const answers = messages.filter((m) => m.type === "child");
    const child = parent.child(flowTask?.id ?? -1);
    expect(answers.find((m) => m.task === flowTask?.id)?.child).toMatchObject({
      id: child?.pk,
      pk: child?.pk,
      name: "innerSum",
      state: "FINISHED",
      tasks: 2,
    });
    expect(answers.find((m) => m.task === 0)?.child).toBeNull();
    expect(messages.find((m) => m.type === "error")).toMatchObject({
      message: expect.stringMatching(/^Bad message: .*task/s) as unknown,
    });
    connection.close();
  });
});
