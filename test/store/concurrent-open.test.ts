import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../engine/store/sqlite/sqlite-store.js";
import { startFixture } from "../support/fixture-process.js";
import { useTempHome } from "../support/temp-home.js";

const home = useTempHome();

const PROCESSES = 6;
const FILES = 15;
const STEP_MS = 150;

describe("new store files opened by several processes at once", () => {
  it(`${PROCESSES} processes open each of ${FILES} new files at the same instant, and all of them store their run`, async () => {
    const dir = home.scratch();
    // late enough for every process to have started, so they meet at each file
    const start = Date.now() + 4_000;
    const openers = Array.from({ length: PROCESSES }, () =>
      startFixture(
        "open-stores.ts",
        [dir, String(start), String(STEP_MS), String(FILES)],
        home.path,
      ),
    );
    for (const opener of openers) {
      await opener.waitForLine(/^opened \d+$/, 60_000);
      expect(opener.lines).toEqual([`opened ${FILES}`]);
      expect((await opener.exited()).code).toBe(0);
    }
    for (let k = 0; k < FILES; k++) {
      const store = new SqliteStore(join(dir, `store-${k}.sqlite`));
      try {
        const pks = store.allNodes().map((n) => n.pk);
        expect(pks).toHaveLength(PROCESSES);
        expect(new Set(pks).size).toBe(PROCESSES);
      } finally {
        store.close();
      }
    }
  }, 120_000);
});
