/** Times and durations as the views print them. */
import { formatDuration } from "../../engine/plumbing.js";

/** How long a task ran (or has run so far, while RUNNING); empty when it never started. */
export function taskDuration(
  startedAt: number | undefined,
  endedAt: number | undefined,
  now: number,
): string {
  if (startedAt === undefined) return "";
  return formatDuration(Math.max(0, (endedAt ?? now) - startedAt));
}
