/**
 * The engine's shapes against Dask, interleaved in one run: tiny `add(i, 1)` tasks then one
 * sum (fan-out of 10,000 and 100,000) and a chain of 1,000, with the memory store and the
 * SQLite store (full provenance) against Dask's threaded, synchronous and distributed
 * (in-process LocalCluster) schedulers. Ratios are Dask's time over ours.
 *
 * Two figures per side for the small shapes. The first run of a fresh process (ours in a child
 * process, Dask in a Python process started for it; loading either is not timed): what a user
 * waits for in a new kernel, V8 still compiling the engine. And the median of the rounds after
 * `BENCH_PEERS_WARMUP` untimed ones (default 3) on every side: what a session that has run
 * before gets. `BENCH_PEERS_ROUNDS` sets the timed rounds (default 5; the 100,000 fan-out takes
 * one, after no warm-up), `BENCH_PEERS_FIRST` the fresh processes per side (default 3, medians),
 * and `BENCH_PEERS_DISTRIBUTED_100K=1` adds Dask distributed to the 100,000 fan-out (minutes).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
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
  /** After the warm-up rounds. */
  readonly seconds: Readonly<Record<string, number>>;
  /** The first run of a fresh process, where measured. */
  readonly first?: Readonly<Record<string, number>>;
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
  /** Untimed rounds before the timed ones. */
  readonly warmUps: number;
  /** Fresh processes per side for the first-run figure, 0 for none. */
  readonly firstRuns: number;
  /** Rounds of Dask distributed, 0 for none. */
  readonly distributedRounds: number;
}

function shapes(): Shape[] {
  const rounds = Number(process.env.BENCH_PEERS_ROUNDS ?? 5);
  const warmUps = Number(process.env.BENCH_PEERS_WARMUP ?? 3);
  const firstRuns = Number(process.env.BENCH_PEERS_FIRST ?? 3);
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
      warmUps,
      firstRuns,
      distributedRounds: 1,
    },
    {
      label: "chain 1,000",
      dask: "chain",
      flow: addChain,
      n: 1_000,
      tasks: 1_000,
      rounds,
      warmUps,
      firstRuns,
      distributedRounds: 1,
    },
    {
      label: "fan-out 100,000",
      dask: "fan-out",
      flow: addFanOut,
      n: 100_000,
      tasks: 100_001,
      rounds: 1,
      warmUps: 0,
      firstRuns: 0,
      distributedRounds: large,
    },
  ];
}

const FIRST_RUN = fileURLToPath(new URL("./peers/first-run.js", import.meta.url));
const execFileAsync = promisify(execFile);

/** The first run of a fresh Node process, in seconds; `store`: `memory` or a new file's path. */
async function oursFirst(shape: DaskShape, n: number, store: string): Promise<number> {
  const { stdout } = await execFileAsync(process.execPath, [FIRST_RUN, shape, String(n), store]);
  return (JSON.parse(stdout) as { seconds: number }).seconds;
}

/** Each side's first run in fresh processes, interleaved; medians. */
async function measureFirstRuns(
  shape: Shape,
  local: readonly DaskScheduler[],
  nextFile: () => string,
): Promise<Record<string, number>> {
  const sides: Record<string, Side> = {
    "workgraph memory": { round: () => oursFirst(shape.dask, shape.n, "memory"), warmUps: 0 },
    "workgraph SQLite": { round: () => oursFirst(shape.dask, shape.n, nextFile()), warmUps: 0 },
  };
  for (const scheduler of local) {
    sides[daskName(scheduler)] = {
      round: async () => (await measureDask(shape.dask, shape.n, scheduler, 1, false))[0] ?? NaN,
      warmUps: 0,
    };
  }
  return interleave(sides, shape.firstRuns);
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
  const nextFile = () => join(folder, `store-${files++}.sqlite`);
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
    const local = LOCAL.filter((scheduler) => peers.has(daskName(scheduler)));
    for (const shape of shapes()) {
      const first =
        shape.firstRuns > 0 ? await measureFirstRuns(shape, local, nextFile) : undefined;
      const sides: Record<string, Side> = {
        "workgraph memory": {
          round: () => ours(shape.flow, shape.n, new MemoryStore()),
          warmUps: shape.warmUps,
        },
        "workgraph SQLite": {
          warmUps: shape.warmUps,
          round: async () => {
            const store = new SqliteStore(nextFile());
            try {
              return await ours(shape.flow, shape.n, store);
            } finally {
              store.close();
            }
          },
        },
      };
      for (const [name, peer] of peers) {
        sides[name] = { round: () => peer.measure(shape.dask, shape.n), warmUps: shape.warmUps };
      }
      if (distributedMissing === undefined && shape.distributedRounds > 0) {
        sides[daskName(DISTRIBUTED)] = {
          round: async () =>
            (await measureDask(shape.dask, shape.n, DISTRIBUTED, 1, false))[0] ?? NaN,
          rounds: shape.distributedRounds,
          warmUps: 0,
        };
      }
      figures.push({
        shape: shape.label,
        tasks: shape.tasks,
        seconds: await interleave(sides, shape.rounds),
        ...(first === undefined ? {} : { first }),
      });
    }
  } finally {
    await Promise.all([...peers.values()].map((peer) => peer.close()));
    rmSync(folder, { recursive: true, force: true });
  }
  return { shapes: figures, skipped, daskVersion: [...peers.values()][0]?.version };
}
