/** Prints the engine's figures on this machine. Run with `npm run bench`. */
import os from "node:os";
import { benchEngineThroughput } from "./engine-throughput.js";
import { benchJobRoundTrip } from "./job-round-trip.js";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  console.log(
    `workgraph bench — node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? "?"}`,
  );
  const engine = await benchEngineThroughput();
  console.log(
    `in-process fan-out/fan-in (10,000 tasks, memory store): ${fmt(engine.fanOut)} tasks/s`,
  );
  console.log(
    `in-process chain (1,000 dependent tasks, memory store):  ${fmt(engine.chain)} tasks/s`,
  );
  const jobs = await benchJobRoundTrip();
  console.log(
    `job round trip on a warm pool (sequential):              ${fmt(jobs.roundTripMs, 3)} ms`,
  );
  console.log(
    `jobs in flight on a warm pool (2,000 pipelined):         ${fmt(jobs.pipelinedPerSecond)} jobs/s`,
  );
}

await main();
