/**
 * Export: the whole store, or some nodes with their provenance, to a JSON archive file. The
 * file is written as the rows are read, a chunk at a time: never one string of the whole.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import type { JsonValue } from "../canonical-json.js";
import type { NodeRow, ProvenanceReader } from "../reader.js";
import type { ProvenanceStore } from "../store.js";
import { readerOf } from "../queries/reader-of.js";
import { SqliteReader } from "../sqlite/sqlite-reader.js";
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
  options.store?.flush();
  const reader = readerOf(options.store);
  // Written beside and renamed, so a crash never leaves half an archive under the name.
  const partial = `${file}.${process.pid}.partial`;
  const out = new ArchiveWriter(partial);
  try {
    if (options.pks === undefined && reader instanceof SqliteReader) {
      reader.streamAll({
        node: (row) => out.item("nodes", archiveNode(row)),
        link: (link) => out.item("links", link),
        report: ({ run, at, level, step, message, text }) =>
          out.item("reports", { run, at, level, step, message, text }),
      });
    } else {
      const archive = buildArchive(reader, options.pks);
      for (const node of archive.nodes) out.item("nodes", node);
      for (const link of archive.links) out.item("links", link);
      for (const line of archive.reports) out.item("reports", line);
    }
    out.close();
  } catch (error) {
    out.abandon();
    throw error;
  }
  renameSync(partial, file);
  return out.counts;
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

/** Flush the text to the file past this many characters. */
const WRITE_CHARS = 1 << 20;

/**
 * Writes the archive's text as it comes: one node, link or report line per line, so archives
 * diff well. Sections must come in order: nodes, links, reports.
 */
class ArchiveWriter {
  readonly counts = { nodes: 0, links: 0, reports: 0 };
  readonly #fd: number;
  #parts: string[] = [];
  #chars = 0;
  #section: keyof ArchiveCounts | undefined;

  constructor(private readonly file: string) {
    this.#fd = openSync(file, "w");
    const head = JSON.stringify({
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      exportedAt: new Date().toISOString(),
    });
    this.#write(`${head.slice(0, -1)},\n`);
  }

  item(section: keyof ArchiveCounts, value: unknown): void {
    this.#open(section);
    this.#write(`${this.counts[section] === 0 ? "" : ",\n"}${JSON.stringify(value)}`);
    this.counts[section]++;
  }

  close(): void {
    this.#open(undefined);
    this.#write("}\n");
    this.#flush();
    closeSync(this.#fd);
  }

  abandon(): void {
    closeSync(this.#fd);
    rmSync(this.file, { force: true });
  }

  /** Ends the sections before `section` (each written, even when empty), opens `section`. */
  #open(section: keyof ArchiveCounts | undefined): void {
    const order = ["nodes", "links", "reports"] as const;
    const target = section === undefined ? order.length : order.indexOf(section);
    let current = this.#section === undefined ? -1 : order.indexOf(this.#section);
    if (current === target) return;
    for (; current < target; current++) {
      if (current >= 0) {
        const name = order[current] as keyof ArchiveCounts;
        this.#write(this.counts[name] === 0 ? "]" : "\n]");
        this.#write(current + 1 < order.length ? ",\n" : "\n");
      }
      const next = order[current + 1];
      if (next !== undefined) this.#write(`"${next}": [${section === next ? "\n" : ""}`);
    }
    this.#section = section;
  }

  #write(text: string): void {
    this.#parts.push(text);
    this.#chars += text.length;
    if (this.#chars >= WRITE_CHARS) this.#flush();
  }

  #flush(): void {
    if (this.#parts.length === 0) return;
    writeSync(this.#fd, this.#parts.join(""));
    this.#parts = [];
    this.#chars = 0;
  }
}
