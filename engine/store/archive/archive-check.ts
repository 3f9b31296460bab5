/**
 * The first read of an import: every field of every record is checked (shape, ranges, known
 * states and kinds, links and report lines whose nodes exist, types that agree with the store)
 * before anything is written. An error names the record and the field.
 */
import type { ImportTarget } from "./import-target.js";
import { statSync } from "node:fs";
import { z } from "zod";
import * as messages from "../messages.js";
import { ArchiveError } from "../store-errors.js";
import {
  ARCHIVE_VERSION,
  elementSchemas,
  headerSchema,
  MAX_DEPTH,
  depthOf,
  type ArchiveLink,
  type ArchiveNode,
  type ArchiveReport,
} from "./archive-format.js";
import { ArchiveSyntaxError, readArchiveStream, type ArchiveSection } from "./archive-stream.js";

type Stored = ReturnType<ImportTarget["nodeOfUuid"]>;

/** What the check found: which archived nodes the store has, and which it lacks. */
export interface ArchivePlan {
  /** Archived nodes already stored: uuid → pk. */
  readonly existing: Map<string, number>;
  /** Archived nodes to add: uuid → pk once written (0 before). */
  readonly fresh: Map<string, number>;
  /** The file as it was read, to notice it changing before the second read. */
  readonly stamp: string;
  /** Whether the sections come as nodes, links, reports (then one more read writes all). */
  readonly inOrder: boolean;
}

/** Reads the whole archive once and checks it against the store; throws an ArchiveError. */
export function checkArchive(file: string, store: ImportTarget): ArchivePlan {
  const existing = new Map<string, number>();
  const fresh = new Map<string, number>();
  // Which of them are runs: report lines may only name runs.
  const runs = new Set<string>();
  const header: Record<string, unknown> = {};
  const sections = new Set<ArchiveSection>();
  const order: ArchiveSection[] = [];
  const later: (() => void)[] = [];
  let nodesDone = false;
  const stamp = fileStamp(file);

  const bad = (record: string, detail: string): never => {
    throw new ArchiveError(file, messages.archiveBadRecord(file, record, detail));
  };
  /** Whether the node is in the archive or the store (remembering it if stored). */
  const known = (uuid: string): string | undefined => {
    if (fresh.has(uuid) || existing.has(uuid)) return runs.has(uuid) ? "run" : "node";
    const stored = store.nodeOfUuid(uuid);
    if (stored === undefined) return undefined;
    existing.set(uuid, stored.pk);
    if (stored.type === "run") runs.add(uuid);
    return stored.type;
  };
  const checkLink = (link: ArchiveLink): void => {
    for (const [end, uuid] of [
      ["source", link.from],
      ["target", link.to],
    ] as const) {
      if (known(uuid) === undefined) {
        throw new ArchiveError(
          file,
          messages.archiveDanglingLink(file, end, uuid, link.type, link.label),
        );
      }
    }
  };
  const checkReport = (line: ArchiveReport, index: number): void => {
    const type = known(line.run);
    if (type === undefined) {
      throw new ArchiveError(file, messages.archiveDanglingReport(file, line.run));
    }
    if (type !== "run")
      bad(
        `reports[${index}]`,
        `run ${line.run} is a ${type === "node" ? "data or task" : type} node, not a run`,
      );
  };
  const checkType = (node: ArchiveNode): Stored => {
    const stored = store.nodeOfUuid(node.uuid);
    if (stored !== undefined && stored.type !== node.type) {
      throw new ArchiveError(
        file,
        messages.archiveTypeClash(file, node.uuid, String(node.type), stored.type),
      );
    }
    return stored;
  };
  const checkNode = (node: ArchiveNode, stored: Stored): void => {
    if (fresh.has(node.uuid) || existing.has(node.uuid)) {
      throw new ArchiveError(
        file,
        messages.archiveBadShape(file, `node ${node.uuid} appears twice`),
      );
    }
    if (node.type === "run") runs.add(node.uuid);
    if (stored === undefined) fresh.set(node.uuid, 0);
    else existing.set(node.uuid, stored.pk);
  };

  // One read snapshot for the whole check: consistent, and a lookup in it costs a tenth.
  store.readSnapshot(() =>
    read(file, {
      field(name, value) {
        header[name] = value;
        if (name === "version" && value !== ARCHIVE_VERSION && header.format !== undefined) {
          throw new ArchiveError(file, messages.archiveNewerVersion(file, value, ARCHIVE_VERSION));
        }
        if (name === "nodes" || name === "links" || name === "reports") bad(name, "must be a list");
      },
      section(section) {
        sections.add(section);
      },
      sectionEnd(section) {
        if (section === "nodes") nodesDone = true;
      },
      element(section, index, value) {
        const uuid = (value as { uuid?: unknown } | null)?.uuid;
        const record = `${section}[${index}]${typeof uuid === "string" ? ` (uuid ${uuid.slice(0, 100)})` : ""}`;
        if (depthOf(value) > MAX_DEPTH + 2) bad(record, `nests deeper than ${MAX_DEPTH} levels`);
        // A node the store holds as another type says more than the fields that type lacks.
        const stored =
          section === "nodes" && typeof uuid === "string"
            ? checkType(value as ArchiveNode)
            : undefined;
        const parsed = elementSchemas[section].safeParse(value);
        if (!parsed.success) bad(record, describeIssues(parsed.error, value));
        if (section === "nodes") return checkNode(parsed.data as ArchiveNode, stored);
        const check =
          section === "links"
            ? () => checkLink(parsed.data as ArchiveLink)
            : () => checkReport(parsed.data as ArchiveReport, index);
        // Links and lines before the nodes (a hand-made file) are checked once all nodes are in.
        if (nodesDone) check();
        else later.push(check);
      },
    }),
  );
  const parsed = headerSchema.safeParse(header);
  if (!parsed.success) {
    throw new ArchiveError(file, messages.archiveBadShape(file, z.prettifyError(parsed.error)));
  }
  for (const section of ["nodes", "links", "reports"] as const) {
    if (!sections.has(section)) bad(section, "is missing");
  }
  store.readSnapshot(() => later.forEach((check) => check()));
  const inOrder = order.join() === "nodes,links,reports";
  return { existing, fresh, stamp, inOrder };
}

/** Reads the archive, turning unreadable files and bad JSON into ArchiveErrors. */
export function read(file: string, visitor: Parameters<typeof readArchiveStream>[1]): void {
  try {
    readArchiveStream(file, visitor);
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    if (error instanceof ArchiveSyntaxError) {
      throw new ArchiveError(file, messages.archiveNotJson(file, error.message), { cause: error });
    }
    if ((error as NodeJS.ErrnoException).code !== undefined) {
      throw new ArchiveError(file, messages.archiveUnreadable(file, String(error)), {
        cause: error,
      });
    }
    throw error;
  }
}

/** Size and modification time: a file that changes between the two reads is refused. */
export function fileStamp(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch (error) {
    throw new ArchiveError(file, messages.archiveUnreadable(file, String(error)), {
      cause: error,
    });
  }
}

/** Each issue as `field message (got value)`. */
function describeIssues(error: z.ZodError, value: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.join(".");
      const got = valueAt(value, issue.path);
      const shown = got === undefined ? "" : ` (got ${preview(got)})`;
      return `${field === "" ? "the record" : field} ${issue.message}${shown}`;
    })
    .join("; ");
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
