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

/**
 * `2026-11-26 16:18:51`, in UTC as report lines print times; `-` when unknown; `invalid time (…)`
 * for a stored value no date can hold.
 */
export function formatTime(time: Date | number | string | null | undefined): string {
  if (time === undefined || time === null) return "-";
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) {
    if (time instanceof Date) return "invalid time";
    const raw = String(time);
    return `invalid time (${raw.length > 40 ? `${raw.slice(0, 37)}...` : raw})`;
  }
  return date.toISOString().replace("T", " ").slice(0, 19);
}

/** A duration as every view prints it (see `formatDuration`); `-` when unknown or absurd. */
export function durationText(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? "-" : formatDuration(ms);
}
