import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataNode, run, task } from "../../engine/index.js";
import { loadProfile } from "../../engine/store/profile.js";
import { parseCanonicalJson } from "../../engine/store/canonical-json.js";
import {
  createProfile,
  openProfile,
  type Profile,
  type ProfileStore,
} from "../../engine/store/open-profile.js";
import { orm } from "../../engine/store/queries/orm-load.js";
import { storeBackends } from "../support/store-backends.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();
const backends = storeBackends();

const add = task(function add(x: number, y: number) {
  return x + y;
});
const multiply = task(function multiply(x: number, y: number) {
  return x * y;
});

async function add_multiply(x: number, y: number) {
  const a = add(x, y);
  const b = multiply(1, a.result);
  return { sum: a.result, product: b.result };
}

describe.each(backends.all)("add_multiply in a $name profile", (backend) => {
  // The default profile is SQLite; a PostgreSQL one is made with its storage URL.
  const name = backend.name === "sqlite" ? "default" : "shared";
  let storage = "";
  let profile: Profile;
  let runPk: number;
  let store: ProfileStore;
  beforeAll(async () => {
    storage = backend.storage();
    if (backend.name !== "sqlite") createProfile(name, { version: 1, storage });
    profile = loadProfile(name);
    const r = run(add_multiply, { x: 3, y: 4 }, { log: false });
    await r;
    runPk = r.pk;
    profile.store.close();
    // Read back through a store opened afresh, as another process would.
    store = openProfile(name).store;
  });
  afterAll(() => store.close());

  const value = (pk: number): unknown => parseCanonicalJson(store.node(pk)?.value ?? "");
  const nodeOf = (pk: number) => store.node(pk);

  it("is stored in the profile's storage (the default one: a file in WORKGRAPH_HOME)", () => {
    expect(profile.path).toBe(backend.name === "sqlite" ? home.profileFile() : storage);
    expect(profile.storage).toBe(backend.name);
    expect(nodeOf(runPk)).toMatchObject({
      type: "run",
      name: "add_multiply",
      state: "FINISHED",
      exitCode: 0,
    });
  });

  it("links the inputs 3 and 4 into add as x and y", () => {
    const [addTask] = store.tasks(runPk);
    const inputs = store.links({ to: addTask?.pk ?? 0, type: "INPUT" });
    expect(inputs.map((l) => [l.label, nodeOf(l.from)?.kind, value(l.from)])).toEqual([
      ["x", "Int", 3],
      ["y", "Int", 4],
    ]);
    const runInputs = store.links({ to: runPk, type: "INPUT" }).map((l) => [l.label, l.from]);
    expect(runInputs).toEqual(inputs.map((l) => [l.label, l.from]));
  });

  it("has the tasks add and multiply, each with a CALL link from the run", () => {
    const calls = store.links({ from: runPk, type: "CALL" });
    expect(
      calls.map((l) => [l.label, nodeOf(l.to)?.type, nodeOf(l.to)?.name, nodeOf(l.to)?.state]),
    ).toEqual([
      ["add", "task", "add", "FINISHED"],
      ["multiply", "task", "multiply", "FINISHED"],
    ]);
    for (const task of store.tasks(runPk)) {
      expect(task).toMatchObject({ kind: "in-process" });
      expect(task.startedAt).toBeGreaterThanOrEqual(task.ctime);
      expect(task.endedAt).toBeGreaterThanOrEqual(task.startedAt ?? 0);
    }
  });

  it("has the outputs 7 and 7, with CREATE links from add and multiply", () => {
    const [addTask, multiplyTask] = store.tasks(runPk);
    const created = [addTask, multiplyTask].map((t) =>
      store.links({ from: t?.pk ?? 0, type: "CREATE" }),
    );
    expect(created.map((links) => links.map((l) => [l.label, value(l.to)]))).toEqual([
      [["result", 7]],
      [["result", 7]],
    ]);
    const multiplyInputs = store.links({ to: multiplyTask?.pk ?? 0, type: "INPUT" });
    const y = multiplyInputs.find((l) => l.label === "y");
    expect(y?.from).toBe(created[0]?.[0]?.to);
  });

  it("returns sum and product from the run with RETURN links", () => {
    const returned = store.links({ from: runPk, type: "RETURN" });
    expect(returned.map((l) => [l.label, value(l.to)])).toEqual([
      ["sum", 7],
      ["product", 7],
    ]);
    const created = store
      .tasks(runPk)
      .map((t) => store.links({ from: t.pk, type: "CREATE" })[0]?.to);
    expect(returned.map((l) => l.to)).toEqual(created);
  });

  it("keeps the run's report lines", () => {
    const lines = store.reports(runPk);
    expect(lines.map((l) => [l.step, l.message])).toEqual([
      ["continue_workgraph", "tasks ready to run: add"],
      ["update_task_state", "Task: add, type: in-process, finished."],
      ["continue_workgraph", "tasks ready to run: multiply"],
      ["update_task_state", "Task: multiply, type: in-process, finished."],
      ["finalize", expect.stringContaining("Finalize add_multiply.") as string],
    ]);
    expect(lines[0]?.text).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[REPORT\] \[\d+\|WorkGraphImperativeEngine\|continue_workgraph\]: tasks ready to run: add$/,
    );
  });

  it("loads nodes back with orm.load, printed as AiiDA prints them", () => {
    const sumPk = store.links({ from: runPk, type: "RETURN" })[0]?.to ?? 0;
    const sum = orm.load(sumPk, { store });
    expect(sum).toBeInstanceOf(DataNode);
    expect(String((sum as DataNode).describe())).toBe(
      `<Int: uuid: ${nodeOf(sumPk)?.uuid} (pk: ${sumPk}) value: 7>`,
    );
  });
});
