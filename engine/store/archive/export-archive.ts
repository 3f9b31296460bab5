/** Export: the whole store, or some nodes with their provenance, to a JSON archive file. */
import { renameSync, writeFileSync } from "node:fs";
import type { JsonValue } from "../canonical-json.js";
import type { NodeRow, ProvenanceReader } from "../reader.js";
import type { ProvenanceStore } from "../store.js";
import { readerOf } from "../queries/reader-of.js";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type Archive,
  type ArchiveCounts,
  type ArchiveNode,
} from "./archive-format.js";
import { provenanceClosure } from "./provenance-closure.js";

/** What to export, and from where. */
export interface ExportOptions {
  /** These nodes and their provenance; every node when not given. */
  readonly pks?: readonly number[];
  /** The default store unless told. */
  readonly store?: ProvenanceStore;
}

/**
 * Writes an archive of the store (or of some nodes and their provenance) to `file`.
 *
 * @example
 * exportArchive("runs.json", { pks: [12] }); // run 12, its tasks, inputs and outputs
 */
export function exportArchive(file: string, options: ExportOptions = {}): ArchiveCounts {
  const archive = buildArchive(readerOf(options.store), options.pks);
  // Written beside and renamed, so a crash never leaves half an archive under the name.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, archiveText(archive));
  renameSync(partial, file);
  return {
    nodes: archive.nodes.length,
    links: archive.links.length,
    reports: archive.reports.length,
  };
}

/** The archive of a store, or of some nodes and their provenance. */
export function buildArchive(reader: ProvenanceReader, pks?: readonly number[]): Archive {
  const rows = pks === undefined ? allRows(reader) : provenanceClosure(reader, pks);
  const uuidOf = (pk: number): string | undefined => rows.get(pk)?.uuid;
  const ordered = [...rows.values()].sort((a, b) => a.pk - b.pk);
  const links = (
    pks === undefined ? reader.allLinks() : ordered.flatMap((r) => reader.links({ from: r.pk }))
  ).flatMap((link) => {
    const from = uuidOf(link.from);
    const to = uuidOf(link.to);
    return from !== undefined && to !== undefined
      ? [{ from, to, type: link.type, label: link.label }]
      : [];
  });
  // a task's report lines are what it printed
  const reports = ordered
    .filter((row) => row.type !== "data")
    .flatMap((run) =>
      reader.reports(run.pk).map((line) => ({
        run: run.uuid,
        at: line.at,
        level: line.level,
        step: line.step,
        message: line.message,
        text: line.text,
      })),
    );
  return {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exportedAt: new Date().toISOString(),
    nodes: ordered.map(archiveNode),
    links,
    reports,
  };
}

function allRows(reader: ProvenanceReader): Map<number, NodeRow> {
  return new Map(reader.allNodes().map((row) => [row.pk, row]));
}

function archiveNode(row: NodeRow): ArchiveNode {
  const optional = <K extends string, V>(key: K, value: V | null) =>
    (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
  return {
    uuid: row.uuid,
    type: row.type,
    ...optional("kind", row.kind),
    ...optional("name", row.name),
    ...optional("state", row.state),
    ...optional("exitCode", row.exitCode),
    ctime: row.ctime,
    mtime: row.mtime,
    ...optional("startedAt", row.startedAt),
    ...optional("endedAt", row.endedAt),
    // The stored text is already canonical and tagged: parsed, never decoded, it stays exact.
    ...(row.value !== null ? { value: JSON.parse(row.value) as JsonValue } : {}),
    ...optional(
      "attributes",
      row.attributes === null ? null : (JSON.parse(row.attributes) as Record<string, JsonValue>),
    ),
    ...optional("cacheKey", row.cacheKey),
  };
}

/** The archive as text: one node, link or report line per line, so archives diff well. */
function archiveText(archive: Archive): string {
  const list = (items: readonly unknown[]): string =>
    items.length === 0 ? "[]" : `[\n${items.map((i) => JSON.stringify(i)).join(",\n")}\n]`;
  const head = JSON.stringify({
    format: archive.format,
    version: archive.version,
    exportedAt: archive.exportedAt,
  });
  return `${head.slice(0, -1)},\n"nodes": ${list(archive.nodes)},\n"links": ${list(archive.links)},\n"reports": ${list(archive.reports)}\n}\n`;
}
