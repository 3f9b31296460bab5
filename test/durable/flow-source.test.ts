import { createServer, connect, type Server, type Socket } from "node:net";
import { runInThisContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as workgraph from "../../engine/index.js";
import { MemoryStore, run, task, UnsendableFlowError, waitFor } from "../../engine/index.js";
import { captureFlowSource, type ScopeLookup } from "../../engine/plumbing.js";
import { loadFlow } from "../../engine/durable/load-flow.js";

/** Compiles code as tslab compiles a cell: a function of the cells' variables (`exports`). */
function compiled(params: string, body: string): (...args: unknown[]) => unknown {
  return runInThisContext(`(function (${params}) { ${body} })`) as (...args: unknown[]) => unknown;
}

const add = task.job(function add(x: number, y: number) {
  return x + y;
});
const scale = task(async (x: number, factor: number) => x * factor, { name: "scale" });
const settings = { factor: 3, label: "three" };

async function helper(x: number) {
  return scale(x, settings.factor).result;
}

// As a compiled notebook cell reads earlier cells: through `exports`.
const exports = { add, scale, settings, helper };
const cellFlow = compiled(
  "exports, waitFor",
  `return async function cellFlow(x, y) {
    const a = exports.add(x, y);
    await waitFor(a);
    return { sum: a.result, scaled: await exports.helper(a.result.value) };
  };`,
)(exports, waitFor) as (x: number, y: number) => Promise<unknown>;

const cells: Record<string, unknown> = { ...exports, waitFor };
const lookup: ScopeLookup = (name) =>
  Object.hasOwn(cells, name) ? { value: cells[name] } : undefined;
const isPackage = (value: unknown) =>
  value === workgraph
    ? ""
    : Object.entries(workgraph).find(([, exported]) => exported === value)?.[0];

let server: Server;
let socket: Socket;
beforeAll(async () => {
  server = createServer(() => undefined).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address() as { port: number };
  socket = connect(address.port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
});
afterAll(() => {
  socket.destroy();
  server.close();
});

describe("a flow sent as source", () => {
  it("takes the tasks, helpers and data it uses, and runs the same where it is compiled", async () => {
    const reference = captureFlowSource(cellFlow, lookup, isPackage);
    expect(reference.kind).toBe("source");
    if (reference.kind !== "source") return;
    const kinds = Object.fromEntries(reference.definitions.map((d) => [d.name, d.kind]));
    expect(kinds).toEqual({
      add: "job",
      helper: "flow",
      scale: "task",
      settings: "value",
      waitFor: "module",
    });
    expect(reference.source).not.toContain("exports.");
    const flow = await loadFlow(reference, workgraph);
    const results = await run(flow, { x: 3, y: 4 }, { log: false, store: new MemoryStore() });
    expect((results as Record<string, workgraph.DataNode>).sum?.value).toBe(7);
    expect((results as Record<string, workgraph.DataNode>).scaled?.value).toBe(21);
  });

  it("takes a shell task as its command and options; refuses a task with handlers", async () => {
    cells.shout = task.shell("tr", { name: "shout", args: ["a-z", "A-Z"], okExitCodes: [0] });
    const shouting = compiled(
      "exports",
      `return async function shouting(text) { return { loud: exports.shout({ stdin: text }).outputs.stdout }; };`,
    )(cells) as (text: string) => Promise<unknown>;
    const reference = captureFlowSource(shouting, lookup, isPackage);
    if (reference.kind !== "source") throw new Error("a cell's flow travels as source");
    expect(reference.definitions).toContainEqual({
      name: "shout",
      kind: "shell",
      source: "tr",
      options: { name: "shout", args: ["a-z", "A-Z"], okExitCodes: [0], outputFiles: [], env: {} },
    });
    const flow = await loadFlow(reference, workgraph);
    const results = await run(flow, { text: "hi" }, { log: false, store: new MemoryStore() });
    expect((results as Record<string, workgraph.DataNode>).loud?.value).toBe("HI");
    cells.handled = task((x: number) => x, {
      name: "handled",
      handlers: [{ handler: () => ({ retry: {} }) }],
    });
    const usesHandled = compiled(
      "exports",
      `return async function usesHandled() { return { h: exports.handled(1).result }; };`,
    )(cells) as () => Promise<unknown>;
    expect(() => captureFlowSource(usesHandled, lookup, isPackage)).toThrow(
      "submit(): flow usesHandled uses task handled, whose failure handlers cannot be sent to the daemon",
    );
  });

  it("refuses a flow that captures a socket, naming the identifier", () => {
    cells.connection = socket;
    const sends = compiled(
      "exports",
      `return async function sendsData(x) { exports.connection.write(String(x)); return { x }; };`,
    )(cells) as (x: number) => Promise<unknown>;
    try {
      captureFlowSource(sends, lookup, isPackage);
      expect.unreachable("a socket cannot travel");
    } catch (error) {
      expect(error).toBeInstanceOf(UnsendableFlowError);
      expect((error as UnsendableFlowError).identifier).toBe("connection");
      expect((error as Error).message).toContain("flow sendsData captures connection (a Socket)");
    }
  });

  it("refuses an identifier the cells do not define, and a class instance", () => {
    const unknown = compiled("", `return async function usesGhost() { return ghost; };`)() as (
      ...args: never[]
    ) => unknown;
    expect(() => captureFlowSource(unknown, lookup, isPackage)).toThrow(
      /uses ghost, which is not defined/,
    );
    cells.when = new Date(0);
    const dated = compiled(
      "exports",
      `return async function dated() { return { t: exports.when }; };`,
    )(cells) as () => Promise<unknown>;
    expect(() => captureFlowSource(dated, lookup, isPackage)).toThrow(/captures when \(a Date\)/);
  });
});
