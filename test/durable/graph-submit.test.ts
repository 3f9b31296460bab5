import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  GraphValidationError,
  UnknownOptionError,
  UnsendableFlowError,
  WorkGraph,
  submit,
  task,
} from "../../engine/index.js";
import { DaemonHome } from "../support/daemon.js";
import { useTempHome } from "../support/temp-home.js";

// A script that builds a graph and submits it as source (no module named), then as a module's
// export; it prints both runs' pks and results once the daemon has run them.
const SCRIPT = `
import { WorkGraph, task } from "WG";
const add = task.job(function add(x, y) { return x + y; });
const multiply = task(function multiply(x, y) { return x * y; });
export const wg = new WorkGraph("add_multiply");
const a = wg.addTask(add, { x: wg.inputs.x, y: wg.inputs.y });
const m = wg.addTask(multiply, { x: a.outputs.result, y: wg.inputs.y }, { name: "mul" });
wg.addOutput("sum", a.outputs.result);
wg.addOutput("product", m.outputs.result);
if (process.argv[2] === "run") {
  const asSource = wg.submit({ x: 3, y: 4 }, { log: () => {} });
  const asModule = wg.submit({ x: 1, y: 2 }, { module: import.meta.url, export: "wg", log: () => {} });
  const one = await asSource;
  const two = await asModule;
  console.log(JSON.stringify({
    pks: [asSource.pk, asModule.pk],
    one: [one.sum.value, one.product.value],
    two: [two.sum.value, two.product.value],
  }));
  process.exit(0);
}
`;

let home: DaemonHome | undefined;
afterEach(async () => {
  await home?.dispose();
  home = undefined;
});

function node(script: string, cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, "run"],
      { cwd, env: { ...process.env, WORKGRAPH_HOME: cwd }, timeout: 120_000 },
      (error, out, err) => resolve({ code: error === null ? 0 : 1, out, err }),
    );
  });
}

describe("wg.submit()", () => {
  it("runs a WorkGraph through the daemon, sent as source or as a module's export", async () => {
    const h = (home = new DaemonHome());
    const script = h.writeModule("graph.mjs", SCRIPT);
    const result = await node(script, h.path);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out.trim().split("\n").at(-1) ?? "{}") as {
      pks: number[];
      one: number[];
      two: number[];
    };
    expect(printed.one).toEqual([7, 28]);
    expect(printed.two).toEqual([3, 6]);
    const store = h.store();
    for (const pk of printed.pks) {
      const row = store.node(pk);
      expect(row?.state).toBe("FINISHED");
      expect(row?.name).toBe("add_multiply");
      const tasks = store.tasks(pk).map((t) => [t.name, t.state]);
      expect(tasks).toEqual([
        ["add", "FINISHED"],
        ["mul", "FINISHED"],
      ]);
      // the graph's inputs reach its tasks as the run's own input nodes
      const runInputs = store.links({ to: pk }).filter((l) => l.type === "INPUT");
      const addPk = store.tasks(pk)[0]?.pk ?? -1;
      const addInputs = store.links({ to: addPk }).filter((l) => l.type === "INPUT");
      for (const label of ["x", "y"]) {
        expect(addInputs.find((l) => l.label === label)?.from).toBe(
          runInputs.find((l) => l.label === label)?.from,
        );
      }
    }
    const kinds = printed.pks.map((pk) => {
      const attributes = JSON.parse(store.node(pk)?.attributes ?? "{}") as {
        submitted?: { flow?: { kind?: string } };
      };
      return attributes.submitted?.flow?.kind;
    });
    expect(kinds).toEqual(["source", "module"]);
  }, 180_000);
});

describe("wg.submit() and submit() refuse bad input before anything is stored", () => {
  const temp = useTempHome();
  const add = task(function add(x: number, y: number) {
    return x + y;
  });

  function graph(): WorkGraph {
    const wg = new WorkGraph("g");
    wg.addTask(add, { x: wg.inputs.x, y: 1 });
    return wg;
  }

  it("names an unknown option and suggests the right one", () => {
    expect(() => graph().submit({ x: 1 }, { maxConcurency: 2 } as never)).toThrow(
      UnknownOptionError,
    );
    expect(() => graph().submit({ x: 1 }, { maxConcurency: 2 } as never)).toThrow(
      /maxConcurency.*maxConcurrency/,
    );
    expect(() => submit(async () => 1, {}, { profil: "x" } as never)).toThrow(/profil.*profile/);
  });

  it("names a missing graph input, an unsendable value and a nested flow", () => {
    expect(() => graph().submit({})).toThrow(GraphValidationError);
    expect(() => graph().submit({})).toThrow(/the graph input "x" was not given/);
    const dated = new WorkGraph("dated");
    dated.addTask(add, { x: new Date(0), y: 1 });
    expect(() => dated.submit()).toThrow(UnsendableFlowError);
    expect(() => dated.submit()).toThrow(/gives add\.x a value that cannot be sent/);
    const outer = new WorkGraph("outer");
    outer.addTask(graph(), { x: 1 });
    expect(() => outer.submit()).toThrow(/holds g, a flow or graph run as a child/);
    const captures = new WorkGraph("captures");
    const offset = 10;
    captures.addTask(
      task(function shifted(x: number) {
        return x + offset;
      }),
      { x: 1 },
    );
    expect(() => captures.submit()).toThrow(/uses offset/);
    expect(existsSync(temp.path) ? readdirSync(temp.path) : []).toEqual([]);
    expect(existsSync(join(temp.path, "default"))).toBe(false);
  });
});
