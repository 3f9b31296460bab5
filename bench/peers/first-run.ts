/**
 * One run of a bench shape as the first run of a fresh process: what a user's first run costs
 * before V8 has compiled the engine's hot paths. Loading the engine is not timed, as Dask's
 * imports are not. Started by bench/peers.ts; prints `{"seconds": S}`.
 * Arguments: shape (`fan-out` or `chain`), n, store (`memory` or a new SQLite file's path).
 */
import { MemoryStore, run } from "../../engine/index.js";
import { SqliteStore } from "../../engine/plumbing.js";
import { addChain, addFanOut } from "../add-shapes.js";

const [shape, n, store] = process.argv.slice(2);
if ((shape !== "fan-out" && shape !== "chain") || n === undefined || store === undefined) {
  throw new Error("usage: first-run.js fan-out|chain N memory|FILE");
}
const target = store === "memory" ? new MemoryStore() : new SqliteStore(store);
const started = performance.now();
await run(
  shape === "chain" ? addChain : addFanOut,
  { n: Number(n) },
  { store: target, log: false },
);
const seconds = (performance.now() - started) / 1000;
if (target instanceof SqliteStore) target.close();
console.log(JSON.stringify({ seconds }));
