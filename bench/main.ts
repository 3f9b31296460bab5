/** Prints the project's figures on this machine. Run with `npm run bench`. */
import os from "node:os";
import { benchEngineThroughput } from "./engine-throughput.js";
import { benchJobRoundTrip } from "./job-round-trip.js";
import { benchKernel } from "./kernel.js";
import { benchStore } from "./store.js";
import { benchWidgets } from "./widgets.js";

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function line(label: string, value: string): void {
  console.log(`${label.padEnd(60)} ${value}`);
}

async function main(): Promise<void> {
  console.log(
    `workgraph bench — node ${process.version}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? "?"}`,
  );
  const engine = await benchEngineThroughput();
  line("in-process fan-out/fan-in, 10,000 tasks, memory store", `${fmt(engine.fanOut)} tasks/s`);
  line("in-process chain, 1,000 dependent tasks, memory store", `${fmt(engine.chain)} tasks/s`);
  const store = await benchStore();
  line(
    "fan-out/fan-in, 10,000 tasks, SQLite file (full provenance)",
    `${fmt(store.tasksPerSecond)} tasks/s`,
  );
  line("SQLite bytes per task", `${fmt(store.bytesPerTask)} B`);
  const jobs = await benchJobRoundTrip();
  line("job round trip on a warm pool (sequential)", `${fmt(jobs.roundTripMs, 3)} ms`);
  line("jobs in flight on a warm pool (2,000 pipelined)", `${fmt(jobs.pipelinedPerSecond)} jobs/s`);
  const kernel = await benchKernel();
  line("kernel start to first kernel_info_reply", `${fmt(kernel.startMs)} ms`);
  line("kernel execute round trip of `1 + 1`", `${fmt(kernel.executeRoundTripMs, 2)} ms`);
  const widgets = await benchWidgets();
  for (const [name, ms] of Object.entries(widgets)) line(`views: ${name}`, `${fmt(ms, 1)} ms`);
}

await main();
