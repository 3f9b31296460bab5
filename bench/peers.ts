/**
 * The engine's shapes against Dask, interleaved in one run: tiny `add(i, 1)` tasks then one
 * sum (fan-out of 10,000 and 100,000) and a chain of 1,000, with the memory store and the
 * SQLite store (full provenance) against Dask's threaded, synchronous and distributed
 * (in-process LocalCluster) schedulers. Medians of the rounds; ratios are Dask's time over ours.
 * `BENCH_PEERS_ROUNDS` sets the rounds (default 3; the 100,000 fan-out takes one), and
 * `BENCH_PEERS_DISTRIBUTED_100K=1` adds Dask distributed to the 100,000 fan-out (minutes here).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryStore, run, type Flow, type ProvenanceStore } from "../engine/index.js";
import { SqliteStore } from "../engine/plumbing.js";
import { addChain, addFanOut } from "./add-shapes.js";
import {
  daskMissing,
  daskName,
  measureDask,
  startDask,
  type DaskPeer,
  type DaskScheduler,
  type DaskShape,
} from "./peers/dask.js";
import { interleave, type Side } from "./peers/interleave.js";

/** One shape's median seconds by side; a Dask side is absent where it was not measured. */
export interface ShapeFigures {
  readonly shape: string;
  readonly tasks: number;
  readonly seconds: Readonly<Record<string, number>>;
}

/** What the part measured, and why a Dask side is missing (by its name). */
export interface PeersBench {
  readonly shapes: readonly ShapeFigures[];
  readonly skipped: readonly string[];
  readonly daskVersion: string | undefined;
}

/** Kept open through the part: an idle local scheduler costs nothing. */
const LOCAL: readonly DaskScheduler[] = [{ kind: "threads" }, { kind: "sync" }];
/** Started for its rounds only: an idle cluster's heartbeats would slow the other sides. */
const DISTRIBUTED: DaskScheduler = { kind: "distributed", workers: 1, processes: false };

interface Shape {
  readonly label: string;
  readonly dask: DaskShape;
  readonly flow: Flow;
  readonly n: number;
  readonly tasks: number;
  readonly rounds: number;
  readonly warmUp: boolean;
  /** Rounds of Dask distributed, 0 for none. */
  readonly distributedRounds: number;
}

function shapes(): Shape[] {
  const rounds = Number(process.env.BENCH_PEERS_ROUNDS ?? 3);
  const large = process.env.BENCH_PEERS_DISTRIBUTED_100K === "1" ? 1 : 0;
  // Dask distributed takes ~5 ms a task on this machine: one round of it per shape.
  return [
    {
      label: "fan-out 10,000",
      dask: "fan-out",
      flow: addFanOut,
      n: 10_000,
      tasks: 10_001,
      rounds,
      warmUp: true,
      distributedRounds: 1,
    },
    {
      label: "chain 1,000",
      dask: "chain",
      flow: addChain,
      n: 1_000,
      tasks: 1_000,
      rounds,
      warmUp: true,
      distributedRounds: 1,
    },
    {
      label: "fan-out 100,000",
      dask: "fan-out",
      flow: addFanOut,
      n: 100_000,
      tasks: 100_001,
      rounds: 1,
      warmUp: false,
      distributedRounds: large,
    },
  ];
}

async function ours(flow: Flow, n: number, store: ProvenanceStore): Promise<number> {
  const started = performance.now();
  await run(flow, { n }, { store, log: false });
  return (performance.now() - started) / 1000;
}

/** Measures every shape on every side, interleaved. */
export async function benchPeers(): Promise<PeersBench> {
  const folder = mkdtempSync(join(tmpdir(), "workgraph-bench-"));
  const peers = new Map<string, DaskPeer>();
  const skipped: string[] = [];
  const figures: ShapeFigures[] = [];
  let files = 0;
  try {
    for (const scheduler of LOCAL) {
      const missing = daskMissing(scheduler);
      if (missing === undefined) peers.set(daskName(scheduler), await startDask(scheduler));
      else skipped.push(`${daskName(scheduler)}: ${missing}`);
    }
    const distributedMissing = daskMissing(DISTRIBUTED);
    if (distributedMissing !== undefined) {
      skipped.push(`${daskName(DISTRIBUTED)}: ${distributedMissing}`);
    }
    for (const shape of shapes()) {
      const sides: Record<string, Side> = {
        "workgraph memory": {
          round: () => ours(shape.flow, shape.n, new MemoryStore()),
          warmUp: shape.warmUp,
        },
        "workgraph SQLite": {
          warmUp: shape.warmUp,
          round: async () => {
            const store = new SqliteStore(join(folder, `store-${files++}.sqlite`));
            try {
              return await ours(shape.flow, shape.n, store);
            } finally {
              store.close();
            }
          },
        },
      };
      for (const [name, peer] of peers) {
        sides[name] = { round: () => peer.measure(shape.dask, shape.n), warmUp: shape.warmUp };
      }
      if (distributedMissing === undefined && shape.distributedRounds > 0) {
        sides[daskName(DISTRIBUTED)] = {
          round: async () =>
            (await measureDask(shape.dask, shape.n, DISTRIBUTED, 1, false))[0] ?? NaN,
          rounds: shape.distributedRounds,
          warmUp: false,
        };
      }
      figures.push({
        shape: shape.label,
        tasks: shape.tasks,
        seconds: await interleave(sides, shape.rounds),
      });
    }
  } finally {
    await Promise.all([...peers.values()].map((peer) => peer.close()));
    rmSync(folder, { recursive: true, force: true });
  }
  return { shapes: figures, skipped, daskVersion: [...peers.values()][0]?.version };
}
