/** Plain-text tables for the terminal: columns padded, numbers aligned right. */
import { formatDuration } from "../../engine/plumbing.js";

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

/** A duration as every view prints it (see `formatDuration`); `-` when unknown. */
export function durationText(ms: number | undefined): string {
  return ms === undefined ? "-" : formatDuration(ms);
}
