/**
 * The protocol handler without sockets: real TypeScript execution through tslab, requests in,
 * messages recorded by an in-memory outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLazyExecution } from "../../../kernel/execution/lazy-execution.js";
import { createTsExecution } from "../../../kernel/execution/tslab-execution.js";
import type { JupyterMessage } from "../../../kernel/protocol/message.js";
import { currentCell } from "../../../kernel/runtime/cell-storage.js";
import { createKernel, type Kernel } from "../../../kernel/runtime/kernel.js";
import { kernelInfo } from "../../../kernel/runtime/kernel-info.js";
import { routeProcessOutput } from "../../../kernel/runtime/output-routing.js";
import { summaryBundles } from "../../../kernel/runtime/run-summary.js";
import { RecordingOutbox, request } from "../support/messages.js";

let outbox: RecordingOutbox;
let kernel: Kernel;
let unroute: () => void;
const logged: string[] = [];
const execution = createTsExecution({ modules: new Map() });

beforeAll(() => {
  unroute = routeProcessOutput(currentCell);
  outbox = new RecordingOutbox();
  kernel = createKernel({
    outbox,
    execution: createLazyExecution(() => Promise.resolve(execution)),
    live: { bundles: summaryBundles() },
    info: kernelInfo("0.0.0-test", "5.0"),
    log: (line) => logged.push(line),
    shutdown: () => {},
  });
});

afterAll(() => {
  unroute();
  execution.close();
});

/** Sends a request and waits until the kernel has answered everything. */
async function send(
  msgType: string,
  content: Record<string, unknown> = {},
  channel: "shell" | "control" = "shell",
) {
  const message = request(msgType, content);
  kernel.receive(channel, message);
  await kernel.idle();
  return message;
}

const execute = (code: string, options: Record<string, unknown> = {}) =>
  send("execute_request", { code, ...options });

const types = (m: JupyterMessage) => outbox.for(m).map((s) => s.msgType);

describe("execute_request", () => {
  it("sends execute_input, output, execute_result and a reply, between busy and idle", async () => {
    const m = await execute('console.log("hi"); console.error("careful"); 6 * 7');
    const all = outbox.sent.filter((s) => s.parent === m.header.msg_id);
    expect(all[0]?.content).toEqual({ execution_state: "busy" });
    expect(all.at(-1)?.content).toEqual({ execution_state: "idle" });
    expect(types(m)).toEqual([
      "execute_input",
      "stream",
      "stream",
      "execute_result",
      "execute_reply",
    ]);
    expect(outbox.stdout(m)).toBe("hi\n");
    const result = outbox.for(m).find((s) => s.msgType === "execute_result");
    expect(result?.content).toMatchObject({ data: { "text/plain": "42" } });
    expect(outbox.replyTo(m)).toMatchObject({
      status: "ok",
      execution_count: result?.content.execution_count,
    });
  });

  it("counts only executions stored in history, and a silent one sends nothing", async () => {
    const first = await execute("1");
    const count = Number(outbox.replyTo(first)?.execution_count);
    const unstored = await execute("2", { store_history: false });
    const silent = await execute('console.log("quiet"); 3', { silent: true });
    expect(outbox.replyTo(unstored)?.execution_count).toBe(count);
    expect(outbox.replyTo(silent)).toMatchObject({ status: "ok", execution_count: count });
    expect(types(silent)).toEqual(["execute_reply"]);
    expect(outbox.replyTo(await execute("4"))?.execution_count).toBe(count + 1);
  });

  it("reports type errors with ename, evalue and a traceback, and runs nothing", async () => {
    const m = await execute('globalThis.ranAnyway = true;\nconst n: number = "one";');
    const error = outbox.for(m).find((s) => s.msgType === "error");
    expect(error?.content).toMatchObject({ ename: "TypeScriptError" });
    expect(error?.content.traceback).toContain('    const n: number = "one";');
    expect(outbox.replyTo(m)).toMatchObject({ status: "error", ename: "TypeScriptError" });
    expect((globalThis as { ranAnyway?: boolean }).ranAnyway).toBeUndefined();
  });

  it("defines modules with tslab's @module cells, and reports their type errors", async () => {
    await execute('/** @module greeting */\nexport const greeting: string = "hi";');
    const use = await execute('import { greeting } from "./greeting";\ngreeting');
    expect(outbox.for(use).find((s) => s.msgType === "execute_result")?.content.data).toEqual({
      "text/plain": "'hi'",
    });
    const broken = await execute('/** @module broken */\nexport const n: number = "x";');
    expect(outbox.replyTo(broken)).toMatchObject({
      ename: "TypeScriptError",
      evalue: "broken.ts 2:14 - Type 'string' is not assignable to type 'number'.",
    });
  });

  it("aborts the executions queued behind an error when stop_on_error is set", async () => {
    const failing = request("execute_request", { code: 'throw new TypeError("no")' });
    const queued = request("execute_request", { code: "1" });
    const other = request("kernel_info_request");
    kernel.receive("shell", failing);
    kernel.receive("shell", queued);
    kernel.receive("shell", other);
    await kernel.idle();
    expect(outbox.replyTo(failing)).toMatchObject({
      status: "error",
      ename: "TypeError",
      evalue: "no",
    });
    expect(outbox.replyTo(queued)).toMatchObject({ status: "aborted" });
    expect(outbox.replyTo(other)).toMatchObject({ status: "ok", implementation: "workgraph" });
    const tolerant = request("execute_request", { code: "throw 1", stop_on_error: false });
    const next = request("execute_request", { code: "2" });
    kernel.receive("shell", tolerant);
    kernel.receive("shell", next);
    await kernel.idle();
    expect(outbox.replyTo(next)).toMatchObject({ status: "ok" });
  });

  it("sends late output to the cell that produced it", async () => {
    const first = await execute('setTimeout(() => console.log("late"), 100); 0');
    const second = await execute("await new Promise((r) => setTimeout(r, 300)); 1");
    await new Promise((r) => setImmediate(r));
    expect(outbox.stdout(first)).toBe("late\n");
    expect(outbox.stdout(second)).toBe("");
  });

  it("stops an awaiting cell on interrupt_request", async () => {
    const stuck = request("execute_request", { code: "await new Promise(() => {})" });
    kernel.receive("shell", stuck);
    await new Promise((r) => setTimeout(r, 200));
    const interrupt = request("interrupt_request");
    kernel.receive("control", interrupt);
    await kernel.idle();
    expect(outbox.replyTo(interrupt)).toEqual({ status: "ok" });
    expect(outbox.replyTo(stuck)).toMatchObject({ status: "error", ename: "InterruptedError" });
  });
});

describe("other requests", () => {
  it("completes, inspects and judges completeness, counting code points", async () => {
    const code = "const 😀x = 1;\nMath.ab";
    const complete = await send("complete_request", { code, cursor_pos: [...code].length });
    expect(outbox.replyTo(complete)).toMatchObject({
      status: "ok",
      matches: ["abs"],
      cursor_start: [...code].length - 2,
      cursor_end: [...code].length,
    });
    const inspect = await send("inspect_request", { code: "Math.max(1, 2)", cursor_pos: 6 });
    expect(outbox.replyTo(inspect)).toMatchObject({
      found: true,
      data: { "text/plain": expect.stringContaining("max") as unknown },
    });
    const statuses = [];
    for (const code of ["1 + 1", "if (x) {", "}"]) {
      statuses.push(outbox.replyTo(await send("is_complete_request", { code }))?.status);
    }
    expect(statuses).toEqual(["complete", "incomplete", "invalid"]);
  });

  it("answers kernel_info with status ok and the language", async () => {
    const m = await send("kernel_info_request");
    expect(outbox.replyTo(m)).toMatchObject({
      status: "ok",
      protocol_version: "5.3",
      language_info: { name: "typescript", file_extension: ".ts" },
    });
  });

  it("echoes comm messages and lists open comms", async () => {
    await send("comm_open", { comm_id: "c1", target_name: "workgraph.echo", data: {} });
    const info = await send("comm_info_request", {});
    expect(outbox.replyTo(info)).toEqual({
      status: "ok",
      comms: { c1: { target_name: "workgraph.echo" } },
    });
    const msg = await send("comm_msg", { comm_id: "c1", data: { n: 1 } });
    expect(outbox.for(msg)).toEqual([
      {
        channel: "iopub",
        msgType: "comm_msg",
        parent: msg.header.msg_id,
        content: { comm_id: "c1", data: { n: 1 } },
      },
    ]);
    await send("comm_close", { comm_id: "c1", data: {} });
    expect(outbox.replyTo(await send("comm_info_request", {}))).toEqual({
      status: "ok",
      comms: {},
    });
  });

  it("closes a comm opened on an unknown target", async () => {
    const open = await send("comm_open", { comm_id: "c2", target_name: "nobody", data: {} });
    expect(types(open)).toEqual(["comm_close"]);
    expect(logged.at(-1)).toMatch(/no comm target named "nobody"/);
  });

  it("answers a malformed request with an error and ignores unknown types", async () => {
    const bad = await send("complete_request", { code: 3 });
    expect(outbox.replyTo(bad)).toMatchObject({ status: "error", ename: "TypeError" });
    const unknown = await send("debug_request");
    expect(outbox.sent.filter((s) => s.parent === unknown.header.msg_id)).toEqual([]);
    expect(logged.at(-1)).toMatch(/unknown message type debug_request/);
  });

  it("keeps the history of stored executions: tail, range, search", async () => {
    const first = await execute("'history one'");
    const line = Number(outbox.replyTo(first)?.execution_count);
    await execute("'history two'");
    await execute("'not stored'", { store_history: false });
    const history = async (query: Record<string, unknown>) =>
      outbox.replyTo(await send("history_request", { output: false, raw: true, ...query }))
        ?.history;
    expect(await history({ hist_access_type: "tail", n: 2 })).toEqual([
      [1, line, "'history one'"],
      [1, line + 1, "'history two'"],
    ]);
    expect(
      await history({
        hist_access_type: "range",
        session: 1,
        start: line,
        stop: line + 1,
        output: true,
      }),
    ).toEqual([[1, line, ["'history one'", "'history one'"]]]);
    expect(await history({ hist_access_type: "search", pattern: "'history t*" })).toEqual([
      [1, line + 1, "'history two'"],
    ]);
  });
});
