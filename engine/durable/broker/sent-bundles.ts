/**
 * The bundles on the `jobs` queue and the keyed tasks in them: what a continued run waits on
 * instead of sending again (broker-job-executor.ts). The listing must not miss a bundle that
 * changes state while it is listed. A bundle moves forward (waiting → active → completed or
 * failed) and once back: a stalled one (its worker died) from active to waiting, and it is
 * listed just when that happens, since a run taken from a dead worker is continued when its
 * jobs stall too. Listing waiting before active missed a bundle moved back in between; it then
 * ran again where it was taken, and its tasks were sent again besides: a task in flight on the
 * dead machine ran three times. So the live states are listed as active, delayed, prioritized,
 * waiting, then active again: a bundle missed by the first pass over active has since moved on
 * (taken from waiting, or ended), and is found by the second, or among the ended ones listed
 * after it. Only a bundle taken and stalled again within the listing could be missed, and a
 * stall takes the whole lock's duration. On Redis one `getJobs` over several states is one script,
 * so the first pass is a snapshot as well. The ended states come last, newest first a page at
 * a time: a job that ends meanwhile enters at the head and shifts the rest to later pages (seen
 * twice, never skipped), and the oldest leave from the far end.
 */
import type { Queue } from "bullmq";
import { BUNDLE_JOB, bundleDataSchema } from "./job-wire.js";

/** Jobs listed at once among the ended ones. */
const ENDED_PAGE = 500;
/** The live states, in the order listed (then active again). */
const LIVE_STATES = ["active", "delayed", "prioritized", "waiting"] as const;
/** The ended states, each listed newest first. */
const ENDED_STATES = ["completed", "failed"] as const;

/** The part of a BullMQ queue the listing reads (a `Queue` on either backend). */
export type JobLister = Pick<Queue, "getJobs">;

/** Each keyed task (`task-…`) found in a bundle on the queue, and that bundle's id. */
export async function sentBundles(queue: JobLister): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const take = (jobs: Awaited<ReturnType<JobLister["getJobs"]>>): void => {
    for (const job of jobs) {
      if (job.name !== BUNDLE_JOB || job.id === undefined) continue;
      const data = bundleDataSchema.safeParse(job.data);
      if (!data.success) continue;
      for (const task of data.data.tasks) {
        if (task.id.startsWith("task-")) found.set(task.id, job.id);
      }
    }
  };
  // the live states whole, each in one call: a page boundary inside a list that workers take
  // from would shift under the listing
  take(await queue.getJobs([...LIVE_STATES], 0, -1, true));
  take(await queue.getJobs(["active"], 0, -1, true));
  for (const state of ENDED_STATES) {
    for (let start = 0; ; start += ENDED_PAGE) {
      const jobs = await queue.getJobs([state], start, start + ENDED_PAGE - 1, false);
      take(jobs);
      if (jobs.length < ENDED_PAGE) break;
    }
  }
  return found;
}
