/** Plain-text tables for the terminal: columns padded, numbers aligned right. */

/** A table of rows under headers; a column whose cells are all numbers aligns right. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const numeric = headers.map(
    (_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number"),
  );
  const cells = [headers, ...rows].map((row) => headers.map((_, c) => String(row[c] ?? "")));
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => (row[c] as string).length)));
  return cells
    .map((row) =>
      row
        .map((cell, c) =>
          numeric[c] ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `2026-11-26 16:18:51`, in UTC as report lines print times; `-` when unknown. */
export function formatTime(time: Date | number | undefined): string {
  if (time === undefined) return "-";
  return new Date(time).toISOString().replace("T", " ").slice(0, 19);
}

/** `12 ms`, `3.4 s`, `2 min 5 s`; `-` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "-";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
