/**
 * The archive file: JSON with a version, nodes by uuid (values as tagged canonical JSON trees,
 * so nothing is lost), links and report lines that name nodes by uuid, never by pk.
 */
import { z } from "zod";
import { RUN_STATES, TASK_STATES } from "../../model/states.js";

/** The archive version this code writes and reads. */
export const ARCHIVE_VERSION = 1;

/** The `format` field every archive carries. */
export const ARCHIVE_FORMAT = "workgraph-archive";

/** A value read by JSON.parse is JSON already: only its depth needs a check (z.json() is slow). */
const parsedJson = z.custom<z.core.util.JSONType>(() => true);

/** The latest time a JavaScript Date holds, in ms since 1970 (the year 275760). */
const MAX_TIME = 8.64e15;

/** Longest uuid, name, label, state or step accepted, in characters. */
const MAX_NAME = 1000;

/** Deepest nesting of a value or attributes tree. */
export const MAX_DEPTH = 64;

const time = z
  .number()
  .int("must be a whole number of ms since 1970")
  .min(0, "must be a time from 1970 on (ms since 1970)")
  .max(MAX_TIME, "must be a time before the year 275760 (ms since 1970)");

const name = z.string().max(MAX_NAME, `must be at most ${MAX_NAME} characters`);

const uuid = z
  .string()
  .min(1, "must not be empty")
  .max(MAX_NAME, `must be at most ${MAX_NAME} characters`);

const pk = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const errorShape = z.looseObject({ name: z.string(), message: z.string() });

const nodeSchema = z
  .object({
    uuid,
    type: z.enum(["data", "task", "run"]),
    kind: name.optional(),
    name: name.optional(),
    state: name.optional(),
    exitCode: z.number().int().min(0).max(255).optional(),
    ctime: time,
    mtime: time,
    startedAt: time.optional(),
    endedAt: time.optional(),
    // Depth is checked on the whole record before it is parsed (see archive-check.ts).
    value: parsedJson.optional(),
    attributes: z.record(z.string(), parsedJson).optional(),
    cacheKey: name.optional(),
  })
  .superRefine((n, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (n.type === "data") {
      if (n.value === undefined) issue("value", "a data node needs a value");
      if (n.kind !== undefined && !DATA_KINDS.includes(n.kind)) {
        issue("kind", `must be one of ${DATA_KINDS.join(", ")}`);
      }
      for (const key of ["state", "exitCode", "startedAt", "endedAt"] as const) {
        if (n[key] !== undefined) issue(key, "a data node has none");
      }
      return;
    }
    if (n.name === undefined) issue("name", "a task or run node needs a name");
    const attributes = n.attributes ?? {};
    for (const key of ["reusedFrom", "resumes"]) {
      if (attributes[key] !== undefined && !pk.safeParse(attributes[key]).success) {
        issue("attributes", `${key} must be a pk (an integer ≥ 1)`);
      }
    }
    if (attributes.error !== undefined && !errorShape.safeParse(attributes.error).success) {
      issue("attributes", "error must be an error ({ name, message } strings)");
    }
    const states: readonly string[] = n.type === "task" ? TASK_STATES : RUN_STATES;
    if (n.state !== undefined && !states.includes(n.state)) {
      issue("state", `must be one of ${states.join(", ")}`);
    }
    if (n.type === "task" && n.kind !== undefined && !TASK_KINDS.includes(n.kind)) {
      issue("kind", `must be one of ${TASK_KINDS.join(", ")}`);
    }
    if (n.value !== undefined) issue("value", "only data nodes have a value");
    if (n.startedAt !== undefined && n.endedAt !== undefined && n.endedAt < n.startedAt) {
      issue("endedAt", "must not be before startedAt");
    }
  });

const linkSchema = z.object({
  from: uuid,
  to: uuid,
  type: z.enum(["INPUT", "CREATE", "CALL", "RETURN"]),
  label: name,
});

const reportSchema = z.object({
  run: uuid,
  at: time,
  level: z.enum(["REPORT", "WARNING", "ERROR"]),
  step: name,
  message: z.string(),
  text: z.string(),
});

/** The schema of each section's elements. */
export const elementSchemas = { nodes: nodeSchema, links: linkSchema, reports: reportSchema };

/** The fields of the archive other than its sections. */
export const headerSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: z.string().max(MAX_NAME),
});

/** The whole archive. */
export const archiveSchema = headerSchema.extend({
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

const DATA_KINDS: readonly string[] = ["Int", "Float", "Str", "Bool", "List", "Dict", "Data"];
const TASK_KINDS: readonly string[] = ["in-process", "job", "flow", "shell"];

/** How deep a JSON tree nests (a scalar is 0), counted without recursion. */
export function depthOf(tree: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[tree, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [value, depth] = top;
    if (value === null || typeof value !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_DEPTH) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}
