/**
 * The live display of a run whose views take long to load (the first run of a kernel loads
 * vega; under load that takes seconds): it still comes before the cell's reply, which front
 * ends such as nbclient need (they drop output that arrives after it).
 */
import { switchMap, timer } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as notebook from "../../../kernel/notebook.js";
import { createLazyExecution } from "../../../kernel/execution/lazy-execution.js";
import { createTsExecution } from "../../../kernel/execution/tslab-execution.js";
import { currentCell } from "../../../kernel/runtime/cell-storage.js";
import { createKernel, type Kernel } from "../../../kernel/runtime/kernel.js";
import { kernelInfo } from "../../../kernel/runtime/kernel-info.js";
import { routeProcessOutput } from "../../../kernel/runtime/output-routing.js";
import { summaryBundles, type RunBundles } from "../../../kernel/runtime/run-summary.js";
import { built } from "../../support/built.js";
import { RecordingOutbox, request } from "../support/messages.js";

/** Views that answer only after 2.5 s, as a slow first load of vega would. */
const slowViews: RunBundles = (run) => timer(2500).pipe(switchMap(() => summaryBundles()(run)));

const execution = createTsExecution({
  modules: new Map([
    [
      "workgraph",
      {
        exports: notebook,
        // The built declarations, as the kernel uses: tslab's own TypeScript reads them.
        types: built("kernel/notebook.d.ts"),
      },
    ],
  ]),
});
let outbox: RecordingOutbox;
let kernel: Kernel;
let unroute: () => void;

beforeAll(() => {
  unroute = routeProcessOutput(currentCell);
  outbox = new RecordingOutbox();
  kernel = createKernel({
    outbox,
    execution: createLazyExecution(() => Promise.resolve(execution)),
    live: { bundles: slowViews },
    info: kernelInfo("0.0.0-test", "5.0"),
    log: () => {},
    shutdown: () => {},
  });
});

afterAll(() => {
  unroute();
  execution.close();
});

describe("a run whose live display is slow to come", () => {
  it("shows its final state before the cell's reply", async () => {
    const message = request("execute_request", {
      code:
        'import { run, task, MemoryStore } from "workgraph";\n' +
        "const one = task(function one() { return 1; });\n" +
        "await run(async function quick() { return { x: one().result }; }, {}, " +
        "{ log: false, store: new MemoryStore() });",
    });
    kernel.receive("shell", message);
    await kernel.idle();
    const kinds = outbox.for(message).map((m) => m.msgType);
    expect(outbox.replyTo(message)).toMatchObject({ status: "ok" });
    expect(kinds).toContain("display_data");
    expect(kinds.indexOf("display_data")).toBeLessThan(kinds.indexOf("execute_reply"));
    const shown = outbox.for(message).find((m) => m.msgType === "display_data");
    expect(String((shown?.content.data as Record<string, unknown>)["text/plain"])).toMatch(
      /^quick \(pk \d+\): FINISHED, 1 task, 1 FINISHED/,
    );
  }, 60_000);

  it("does not hold the reply of an interrupted cell", async () => {
    const message = request("execute_request", {
      code:
        'import { run, task, MemoryStore } from "workgraph";\n' +
        "const never = task(function never(): Promise<number> { return new Promise(() => {}); });\n" +
        "await run(async function stuck() { return { x: never().result }; }, {}, " +
        "{ log: false, store: new MemoryStore() });",
    });
    kernel.receive("shell", message);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    kernel.interrupt();
    await kernel.idle();
    expect(outbox.replyTo(message)).toMatchObject({ status: "error", ename: "InterruptedError" });
  }, 60_000);
});
