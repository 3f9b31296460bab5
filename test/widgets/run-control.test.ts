import { describe, expect, it } from "vitest";
import { MemoryStore, run, task } from "../../engine/index.js";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { ProcessRunSource, StoredRunSource } from "../../widgets/index.js";
import { connectPage } from "./support/page-connection.js";

const nap = task(async function nap(i: number) {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return i;
});

async function naps(n: number) {
  let last: unknown = 0;
  for (let i = 0; i < n; i++) last = nap(i).result;
  return { last };
}

describe("the live page's pause, play and kill buttons", () => {
  it("pause, play and kill a run of this process", async () => {
    const source = new ProcessRunSource();
    const r = run(naps, { n: 50 }, { log: false, store: new MemoryStore() });
    const id = source.register(r);
    const page = connectPage(source);
    page.send({ type: "control", run: id, action: "pause" });
    expect(await page.next("controlled")).toEqual({ type: "controlled", run: id, action: "pause" });
    expect(r.paused).toBe(true);
    page.send({ type: "control", run: id, action: "play" });
    await page.next("controlled");
    expect(r.paused).toBe(false);
    page.send({ type: "control", run: id, action: "kill" });
    await page.next("controlled");
    expect((await r.done).state).toBe("KILLED");
    page.connection.close();
  });

  it("say why a run cannot be controlled, and refuse an unknown action", async () => {
    const store = new SqliteStore(":memory:");
    await run(naps, { n: 1 }, { log: false, store });
    const page = connectPage(new StoredRunSource(store));
    page.send({ type: "control", run: 1, action: "pause" });
    expect((await page.next("error")).message).toContain(
      "Run 1 was not submitted to a daemon or a broker's workers",
    );
    page.send({ type: "control", run: 1, action: "explode" });
    expect((await page.next("error")).message).toMatch(/Bad message: .*action/s);
    page.connection.close();
    store.close();
  });
});
