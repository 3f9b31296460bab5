/**
 * Import: an archive into a store. The file is read twice, never held whole: first every record
 * is checked (archive-check.ts), then the rows go in, in short transactions (chunked-writer.ts),
 * so other processes keep writing meanwhile. Nodes keep their uuids and get new pks; a node,
 * link or report line already in the store is not added again, so importing twice adds nothing.
 * On any problem the store is left as it was: nothing is written before the check passes, and a
 * failure while writing takes out what the import wrote.
 */
import { stringifySorted } from "../canonical-json.js";
import { defaultStore } from "../default-store.js";
import * as messages from "../messages.js";
import { storedText } from "../sqlite/report-text.js";
import { PostgresStore } from "../postgres/postgres-store.js";
import { reportKey, SqliteStore } from "../sqlite/sqlite-store.js";
import { ArchiveError } from "../store-errors.js";
import type { LinkRecord, ProvenanceStore } from "../store.js";
import { checkArchive, fileStamp, read, type ArchivePlan } from "./archive-check.js";
import type { ArchiveSection } from "./archive-stream.js";
import type { ImportTarget } from "./import-target.js";
import {
  elementSchemas,
  headerSchema,
  type Archive,
  type ArchiveCounts,
  type ArchiveLink,
  type ArchiveNode,
  type ArchiveReport,
} from "./archive-format.js";

/** Where to import; the default store unless told. */
export interface ImportOptions {
  readonly store?: ProvenanceStore;
}

/** What an import added, and how many of the archive's nodes were there already. */
export interface ImportCounts extends ArchiveCounts {
  readonly existing: number;
}

/**
 * Imports the archive in `file` into a profile's store (SQLite or PostgreSQL).
 *
 * @example
 * importArchive("runs.json"); // { nodes: 8, links: 12, reports: 5, existing: 0 }
 */
export function importArchive(file: string, options: ImportOptions = {}): ImportCounts {
  const store = options.store ?? defaultStore();
  if (!(store instanceof SqliteStore) && !(store instanceof PostgresStore)) {
    throw new TypeError(messages.importNeedsSqlite());
  }
  const plan = checkArchive(file, store);
  if (fileStamp(file) !== plan.stamp) throw new ArchiveError(file, messages.archiveChanged(file));
  return writeArchive(file, store, plan);
}

/** Reads and checks a whole archive file into memory (small archives; imports stream). */
export function readArchive(file: string): Archive {
  const header: Record<string, unknown> = {};
  const sections: Pick<Archive, "nodes" | "links" | "reports"> = {
    nodes: [],
    links: [],
    reports: [],
  };
  read(file, {
    field: (name, value) => (header[name] = value),
    section: () => {},
    sectionEnd: () => {},
    element: (section, index, value) => {
      const parsed = elementSchemas[section].safeParse(value);
      if (!parsed.success) {
        throw new ArchiveError(
          file,
          messages.archiveBadRecord(file, `${section}[${index}]`, parsed.error.message),
        );
      }
      (sections[section] as unknown[]).push(parsed.data);
    },
  });
  const parsed = headerSchema.safeParse(header);
  if (!parsed.success) {
    throw new ArchiveError(file, messages.archiveBadShape(file, parsed.error.message));
  }
  return { ...parsed.data, ...sections };
}

/** Links whose both ends were stored before are looked up this many at a time. */
const LOOKUP_BATCH = 5_000;

/** The second read: nodes, then links, then report lines, in chunks; undone on failure. */
function writeArchive(file: string, store: ImportTarget, plan: ArchivePlan): ImportCounts {
  const { existing, fresh } = plan;
  const writer = store.chunkedWriter();
  const counts = { nodes: 0, links: 0, reports: 0, existing: 0 };
  const pkOf = (uuid: string): number => existing.get(uuid) ?? (fresh.get(uuid) as number);
  const stored = new Map<number, Map<string, number>>();
  let lookups: LinkRecord[] = [];

  const node = (node: ArchiveNode): void => {
    if (existing.has(node.uuid)) {
      counts.existing++;
      return;
    }
    writer.node(nodeValues(node), (pk) => fresh.set(node.uuid, pk));
    counts.nodes++;
  };
  const addLink = (link: LinkRecord): void => {
    writer.link(link.from, link.to, link.type, link.label);
    counts.links++;
  };
  const lookUp = (): void => {
    const batch = lookups;
    lookups = [];
    const missing = store.readSnapshot(() => batch.filter((link) => !store.hasLink(link)));
    missing.forEach(addLink);
  };
  const link = ({ from, to, type, label }: ArchiveLink): void => {
    const stored = { from: pkOf(from), to: pkOf(to), type, label };
    // Only a link between two nodes stored before can be stored already.
    if (!existing.has(from) || !existing.has(to)) return addLink(stored);
    lookups.push(stored);
    if (lookups.length >= LOOKUP_BATCH) lookUp();
  };
  const report = ({ run, ...line }: ArchiveReport): void => {
    const runPk = pkOf(run);
    if (existing.has(run)) {
      // Lines of a run stored before: skip as many copies of a line as are stored.
      let lines = stored.get(runPk);
      if (lines === undefined) stored.set(runPk, (lines = store.reportCounts(runPk)));
      const key = reportKey(line);
      const left = lines.get(key) ?? 0;
      if (left > 0) {
        lines.set(key, left - 1);
        return;
      }
    }
    const text = storedText(runPk, { ...line, runPk });
    writer.report(runPk, line.at, line.level, line.step, line.message, text);
    counts.reports++;
  };
  const handlers = { nodes: node, links: link, reports: report } as const;
  const pass = (only?: ArchiveSection): void =>
    read(file, {
      field: () => {},
      section: () => {},
      sectionEnd: (section) => {
        if (section === "links") lookUp();
        writer.flush();
      },
      element: (section, _index, value) => {
        if (only === undefined || section === only) handlers[section](value as never);
      },
    });
  try {
    if (plan.inOrder) pass();
    else for (const section of ["nodes", "links", "reports"] as const) pass(section);
    writer.flush();
  } catch (error) {
    writer.undo();
    throw error;
  }
  return counts;
}

/** A node's columns after pk, as the nodes table orders them. */
function nodeValues(node: ArchiveNode): unknown[] {
  return [
    node.uuid,
    node.type,
    node.kind ?? null,
    node.name ?? null,
    node.state ?? null,
    node.exitCode ?? null,
    node.ctime,
    node.mtime,
    node.startedAt ?? null,
    node.endedAt ?? null,
    node.value !== undefined ? stringifySorted(node.value) : null,
    node.attributes !== undefined ? stringifySorted(node.attributes) : null,
    node.cacheKey ?? null,
  ];
}
