/**
 * Import: an archive into a store, in one transaction. Nodes keep their uuids and get new pks;
 * a node, link or report line already in the store is not added again, so importing twice
 * adds nothing. Everything is checked before the first write: on any problem the store is
 * left as it was.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { defaultStore } from "../default-store.js";
import { stringifySorted } from "../canonical-json.js";
import * as messages from "../messages.js";
import { SqliteStore, type NodeInsert } from "../sqlite/sqlite-store.js";
import { ArchiveError } from "../store-errors.js";
import type { ProvenanceStore } from "../store.js";
import {
  ARCHIVE_VERSION,
  archiveSchema,
  type Archive,
  type ArchiveCounts,
  type ArchiveNode,
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
 * Imports the archive in `file` into a SQLite store.
 *
 * @example
 * importArchive("runs.json"); // { nodes: 8, links: 12, reports: 5, existing: 0 }
 */
export function importArchive(file: string, options: ImportOptions = {}): ImportCounts {
  const store = options.store ?? defaultStore();
  if (!(store instanceof SqliteStore)) {
    throw new TypeError(messages.importNeedsSqlite());
  }
  const archive = readArchive(file);
  const pks = resolveNodes(file, archive, store);
  checkEnds(file, archive, store, pks);
  return store.transaction(() => writeArchive(archive, store, pks));
}

/** Reads and checks an archive file. */
export function readArchive(file: string): Archive {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ArchiveError(file, messages.archiveUnreadable(file, String(error)), { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ArchiveError(file, messages.archiveNotJson(file, detail), { cause: error });
  }
  const version =
    typeof data === "object" && data !== null ? (data as { version?: unknown }).version : undefined;
  if (version !== ARCHIVE_VERSION && (data as { format?: unknown } | null)?.format !== undefined) {
    throw new ArchiveError(file, messages.archiveNewerVersion(file, version, ARCHIVE_VERSION));
  }
  const parsed = archiveSchema.safeParse(data);
  if (!parsed.success) {
    throw new ArchiveError(file, messages.archiveBadShape(file, z.prettifyError(parsed.error)));
  }
  const seen = new Set<string>();
  for (const node of parsed.data.nodes) {
    if (seen.has(node.uuid)) {
      throw new ArchiveError(
        file,
        messages.archiveBadShape(file, `node ${node.uuid} appears twice`),
      );
    }
    seen.add(node.uuid);
  }
  return parsed.data;
}

/** The pk of every archived node already in the store, by uuid; checks types agree. */
function resolveNodes(file: string, archive: Archive, store: SqliteStore): Map<string, number> {
  const pks = new Map<string, number>();
  for (const node of archive.nodes) {
    const stored = store.node(node.uuid);
    if (stored === undefined) continue;
    if (stored.type !== node.type) {
      throw new ArchiveError(
        file,
        messages.archiveTypeClash(file, node.uuid, node.type, stored.type),
      );
    }
    pks.set(node.uuid, stored.pk);
  }
  return pks;
}

/** Every link end and report run is in the archive or in the store (added to `known`). */
function checkEnds(
  file: string,
  archive: Archive,
  store: SqliteStore,
  known: Map<string, number>,
): void {
  const archived = new Set(archive.nodes.map((n) => n.uuid));
  const missing = (uuid: string): boolean => {
    if (archived.has(uuid) || known.has(uuid)) return false;
    const stored = store.node(uuid);
    if (stored !== undefined) known.set(uuid, stored.pk);
    return stored === undefined;
  };
  for (const link of archive.links) {
    for (const [end, uuid] of [
      ["source", link.from],
      ["target", link.to],
    ] as const) {
      if (missing(uuid)) {
        throw new ArchiveError(
          file,
          messages.archiveDanglingLink(file, end, uuid, link.type, link.label),
        );
      }
    }
  }
  for (const line of archive.reports) {
    if (missing(line.run))
      throw new ArchiveError(file, messages.archiveDanglingReport(file, line.run));
  }
}

function writeArchive(
  archive: Archive,
  store: SqliteStore,
  pks: Map<string, number>,
): ImportCounts {
  let nodes = 0;
  for (const node of archive.nodes) {
    if (pks.has(node.uuid)) continue;
    pks.set(node.uuid, store.insertNode(nodeRow(node)));
    nodes++;
  }
  let links = 0;
  for (const link of archive.links) {
    const stored = {
      from: pks.get(link.from) as number,
      to: pks.get(link.to) as number,
      type: link.type,
      label: link.label,
    };
    if (store.hasLink(stored)) continue;
    store.addLink(stored);
    links++;
  }
  let reports = 0;
  for (const { run, ...line } of archive.reports) {
    const runPk = pks.get(run) as number;
    if (store.hasReport(runPk, line)) continue;
    store.addReport(runPk, { ...line, runPk });
    reports++;
  }
  return { nodes, links, reports, existing: archive.nodes.length - nodes };
}

function nodeRow(node: ArchiveNode): NodeInsert {
  return {
    uuid: node.uuid,
    type: node.type,
    kind: node.kind ?? null,
    name: node.name ?? null,
    state: node.state ?? null,
    exitCode: node.exitCode ?? null,
    ctime: node.ctime,
    mtime: node.mtime,
    startedAt: node.startedAt ?? null,
    endedAt: node.endedAt ?? null,
    value: node.value !== undefined ? stringifySorted(node.value) : null,
    attributes: node.attributes !== undefined ? stringifySorted(node.attributes) : null,
    cacheKey: node.cacheKey ?? null,
  };
}
