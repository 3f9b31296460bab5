/**
 * The archive file: JSON with a version, nodes by uuid (values as tagged canonical JSON trees,
 * so nothing is lost), links and report lines that name nodes by uuid, never by pk.
 */
import { z } from "zod";

/** The archive version this code writes and reads. */
export const ARCHIVE_VERSION = 1;

/** The `format` field every archive carries. */
export const ARCHIVE_FORMAT = "workgraph-archive";

const json = z.json();

const nodeSchema = z
  .object({
    uuid: z.string().min(1),
    type: z.enum(["data", "task", "run"]),
    kind: z.string().optional(),
    name: z.string().optional(),
    state: z.string().optional(),
    exitCode: z.number().int().optional(),
    ctime: z.number(),
    mtime: z.number(),
    startedAt: z.number().optional(),
    endedAt: z.number().optional(),
    value: json.optional(),
    attributes: z.record(z.string(), json).optional(),
    cacheKey: z.string().optional(),
  })
  .refine((n) => n.type !== "data" || n.value !== undefined, "a data node needs a value")
  .refine((n) => n.type === "data" || n.name !== undefined, "a task or run node needs a name");

const linkSchema = z.object({
  from: z.string().min(1),
  to: z.string().min(1),
  type: z.enum(["INPUT", "CREATE", "CALL", "RETURN"]),
  label: z.string(),
});

const reportSchema = z.object({
  run: z.string().min(1),
  at: z.number(),
  level: z.enum(["REPORT", "WARNING", "ERROR"]),
  step: z.string(),
  message: z.string(),
  text: z.string(),
});

/** The whole archive. */
export const archiveSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: z.string(),
  nodes: z.array(nodeSchema),
  links: z.array(linkSchema),
  reports: z.array(reportSchema),
});

/** An archive as written and read. */
export type Archive = z.infer<typeof archiveSchema>;

/** One node of an archive. */
export type ArchiveNode = z.infer<typeof nodeSchema>;

/** One link of an archive. */
export type ArchiveLink = z.infer<typeof linkSchema>;

/** One report line of an archive. */
export type ArchiveReport = z.infer<typeof reportSchema>;

/** How much an export wrote or an import added. */
export interface ArchiveCounts {
  readonly nodes: number;
  readonly links: number;
  readonly reports: number;
}
