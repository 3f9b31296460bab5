/** Times and durations as the views print them. */

/** `850 ms`, `12.3 s`, `4 min 05 s`: short and unambiguous. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}

/** How long a task ran (or has run so far, while RUNNING); empty when it never started. */
export function taskDuration(
  startedAt: number | undefined,
  endedAt: number | undefined,
  now: number,
): string {
  if (startedAt === undefined) return "";
  return formatDuration(Math.max(0, (endedAt ?? now) - startedAt));
}
