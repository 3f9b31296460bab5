/** How fast a warm job pool answers: one job at a time, and many in flight. */
import { createJobPool } from "../engine/index.js";
import { checkJobSource } from "../engine/plumbing.js";

const WARM_UP_CALLS = 200;
const CALLS = 2_000;

/** Mean sequential round trip of a trivial job, and throughput with 2,000 jobs in flight. */
export async function benchJobRoundTrip(): Promise<{
  roundTripMs: number;
  pipelinedPerSecond: number;
}> {
  const pool = createJobPool();
  try {
    await pool.warm();
    const echo = function echo(x: number) {
      return x;
    };
    const request = { taskName: "echo", source: checkJobSource(echo, "echo"), args: [1] };
    // The first calls compile the source in each worker and let V8 optimise both ends.
    await Promise.all(Array.from({ length: WARM_UP_CALLS }, () => pool.run(request)));
    for (let i = 0; i < WARM_UP_CALLS; i++) await pool.run(request);

    const sequentialStart = performance.now();
    for (let i = 0; i < CALLS; i++) await pool.run(request);
    const roundTripMs = (performance.now() - sequentialStart) / CALLS;

    const pipelinedStart = performance.now();
    await Promise.all(Array.from({ length: CALLS }, () => pool.run(request)));
    const pipelinedPerSecond = CALLS / ((performance.now() - pipelinedStart) / 1000);

    return { roundTripMs, pipelinedPerSecond };
  } finally {
    await pool.close();
  }
}
