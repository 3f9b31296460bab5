/**
 * Whether a call runs or takes over stored outputs: the same call of the run it resumes or
 * continues, or (when caching) any earlier FINISHED call with the same code and input hashes.
 */
import { cacheKey } from "../replay/task-hash.js";
import { reusedValue, type ReplaySource } from "../replay/replay-source.js";
import type { RunJournal } from "./run-journal.js";
import type { TaskRun } from "./task-run.js";

/** Stored outputs a call takes over instead of running. */
export interface Reuse {
  readonly value: unknown;
  /** Said in the call's report line. */
  readonly note: string;
  /** The output nodes to keep, when the call is the stored call itself (a continued run). */
  readonly storedPks?: ReadonlyMap<string, number>;
}

/** Keys the call by its hashes and finds outputs it may reuse; undefined when it must run. */
export function findReuse(
  task: TaskRun,
  args: readonly unknown[],
  replay: ReplaySource | undefined,
  journal: RunJournal,
): Reuse | undefined {
  const key = cacheKey(task.definition, args);
  journal.annotate(task.pk, { cacheKey: key });
  const reusable = replay?.find(task.id, key);
  if (reusable === undefined) {
    // an adopted call that finished with other code or inputs runs again, on the same node
    if (journal.isFinal(task.pk)) journal.reopen(task.pk);
    return undefined;
  }
  const value = reusedValue(reusable, task.definition.outputLayout);
  if (reusable.pk === task.pk) {
    // this very call finished before the run was interrupted: its node and outputs stand
    const note = " (finished before the run was continued)";
    return { value, note, storedPks: reusable.outputPks };
  }
  journal.annotate(task.pk, { reusedFrom: reusable.pk, reuse: reusable.how });
  return { value, note: ` (reused pk ${reusable.pk}, ${reusable.how})` };
}
