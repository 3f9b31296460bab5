/**
 * Workers on a profile, as on three machines: each `workgraph worker --profile farm` has a home
 * of its own whose profile names the shared PostgreSQL store and the broker (Redis, or
 * PostgreSQL through BullMQ's backend). A flow submitted from a fourth home runs 300 job tasks
 * on them; one worker is SIGKILLed mid-run, and the flow still ends FINISHED. A follower that
 * joins while the run's holder is dead gets the stored run, then its end.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PUBLISH_WINDOW } from "../../engine/durable/broker/broker-worker.js";
import { followOnBus } from "../../engine/durable/broker/bus-follower.js";
import { GraphModel } from "../../engine/model/graph-model.js";
import { storedRunGraph } from "../../engine/store/queries/stored-run-graph.js";
import { FAN_OUT, effects } from "../support/fan-out.js";
import { startProfileFarm, until, type ProfileFarm } from "../support/profile-farm.js";
import { usePgSchemas } from "../support/postgres.js";

// the workers keep the 20 s lock: with 5 s (useShortLocks) at load 14, live workers here lost
// the locks of bundles they were running, and another worker ran a whole bundle again

const schemas = usePgSchemas();
let farm: ProfileFarm | undefined;
afterEach(async () => {
  await farm?.dispose();
  farm = undefined;
});

describe.each(["redis", "postgresql"] as const)(
  "workers on a profile: PostgreSQL store, %s broker",
  (kind) => {
    it("three workers run a submitted flow of 300 job tasks; SIGKILL of one mid-run loses nothing", async () => {
      farm = await startProfileFarm(kind, schemas.url(), {
        workers: 3,
        workerArgs: ["--concurrency", "2"],
      });
      const { store, dir, workers } = farm;
      farm.writeModule("fan-out.mjs", FAN_OUT);
      const pk = await farm.submit("./fan-out.mjs#fanOut", { dir, n: 300 });
      const holder = await until("a worker to start the run", () =>
        workers.find((w) => w.lines.some((line) => line.includes(`starting run ${pk}`))),
      );
      await until("60 side effects", () => (effects(dir).size >= 60 ? true : undefined));
      holder.kill();
      const startedAtKill = new Set(effects(dir).keys());
      const survivors = workers.filter((w) => w !== holder);

      // a follower joins while the holder is dead: it has the stored run, then its end
      const stored = store.node(pk)!;
      const model = new GraphModel({ name: "fanOut", pk, state: "CREATED", tasks: [], edges: [] });
      const followed = followOnBus(
        farm.brokerUrl,
        store,
        { pk, uuid: stored.uuid, name: stored.name ?? "fanOut" },
        (event) => model.apply(event),
      );
      const finishedAtKill = store.tasks(pk).filter((t) => t.state === "FINISHED").length;
      expect(finishedAtKill).toBeGreaterThan(0);
      await until("the follower to have the stored tasks", () =>
        model.graph().tasks.filter((t) => t.state === "FINISHED").length >= finishedAtKill
          ? true
          : undefined,
      );

      await followed;
      expect(store.node(pk)?.state).toBe("FINISHED");
      const [ret] = store.links({ from: pk, type: "RETURN" });
      expect(JSON.parse(store.node(ret!.to)!.value!)).toBe(300 * 299);
      // one run, each call stored once (300 units and the total), all FINISHED
      const tasks = store.tasks(pk);
      expect(tasks).toHaveLength(301);
      expect(new Set(tasks.map((t) => t.name)).size).toBe(301);
      expect(tasks.filter((t) => /^unit\d*$/.test(t.name ?? ""))).toHaveLength(300);
      expect(tasks.every((t) => t.state === "FINISHED")).toBe(true);
      // the follower ends on the stored graph
      const shape = (graph: ReturnType<GraphModel["graph"]>) => ({
        state: graph.state,
        tasks: graph.tasks.map((t) => [t.id, t.pk, t.name, t.state]),
      });
      expect(shape(model.graph())).toEqual(shape(storedRunGraph(store, pk)!));
      // every side effect happened; twice only for calls in flight on the killed machine: run
      // before the kill, at most the publish window per job process (two)
      const seen = effects(dir);
      expect(seen.size).toBe(300);
      expect(Math.max(...seen.values())).toBeLessThanOrEqual(2);
      const twice = [...seen].filter(([, count]) => count === 2).map(([i]) => i);
      expect(twice.length).toBeLessThanOrEqual(2 * PUBLISH_WINDOW);
      for (const i of twice) expect(startedAtKill.has(i)).toBe(true);
      // another worker took the stalled run and continued it by replay
      expect(
        survivors.some((w) => w.lines.some((line) => line.includes(`continuing run ${pk}`))),
      ).toBe(true);
      // the command line reads the run from the PostgreSQL profile
      const shown = await farm.cli("process", "show", String(pk), "--json");
      expect(shown.code, shown.stderr).toBe(0);
      expect(JSON.parse(shown.stdout)).toMatchObject({ pk, state: "FINISHED" });
    }, 600_000);
  },
);
