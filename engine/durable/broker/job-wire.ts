/**
 * What a job task carries through the broker: its source and arguments, and back its value or
 * error and what it printed. Values go as V8's structured-clone bytes in base64 (the job pool's
 * own IPC format), so Map, Set, Date, bigint and typed arrays arrive as they left.
 */
import { deserialize, serialize } from "node:v8";
import { z } from "zod";
import type { SerialisedError } from "../../model/error-serialisation.js";
import type { JobOutput } from "../../execute/executor.js";

/** A job task as queued. */
export const jobDataSchema = z.object({
  taskName: z.string(),
  source: z.string(),
  /** base64 of `v8.serialize(args)`. */
  args: z.string(),
  timeoutMs: z.number().optional(),
  /** The sender's result stream (`job-results.ts`). */
  replyTo: z.string().optional(),
});

/** A job task as queued. */
export type JobData = z.infer<typeof jobDataSchema>;

const outputSchema = z.object({
  method: z.enum(["log", "info", "debug", "warn", "error"]),
  text: z.string(),
});

const errorSchema: z.ZodType<SerialisedError> = z.lazy(() =>
  z.object({
    name: z.string(),
    message: z.string(),
    stack: z.string().optional(),
    cause: errorSchema.optional(),
  }),
) as z.ZodType<SerialisedError>;

/** What a worker returns for a job task: never a BullMQ failure for the task's own error. */
export const jobResultSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), value: z.string(), output: z.array(outputSchema) }),
  z.object({ ok: z.literal(false), error: errorSchema, output: z.array(outputSchema) }),
]);

/** What a worker returns for a job task. */
export type JobResult = z.infer<typeof jobResultSchema>;

/** One job task of a bundle: its id (`task-<key>`, or a random one) names its result. */
export const bundledTaskSchema = jobDataSchema.omit({ replyTo: true }).extend({ id: z.string() });

/** One job task of a bundle. */
export type BundledTask = z.infer<typeof bundledTaskSchema>;

/**
 * Job tasks sent in one BullMQ job (name {@link BUNDLE_JOB}): a worker runs them one after the
 * other, publishing each result before it starts the next.
 */
export const bundleDataSchema = z.object({
  tasks: z.array(bundledTaskSchema),
  replyTo: z.string().optional(),
});

/** Job tasks sent in one BullMQ job. */
export type BundleData = z.infer<typeof bundleDataSchema>;

/** What a worker returns for a bundle: each task's result by its id. */
export const bundleResultSchema = z.object({
  results: z.array(z.tuple([z.string(), jobResultSchema])),
});

/** What a worker returns for a bundle. */
export type BundleResult = z.infer<typeof bundleResultSchema>;

/** The BullMQ job names: one job task, or a bundle of them. */
export const SINGLE_JOB = "job";
export const BUNDLE_JOB = "bundle";

/** Plain data to base64 structured-clone bytes. */
export function encodeValue(value: unknown): string {
  return serialize(value).toString("base64");
}

/** base64 structured-clone bytes back to the value. */
export function decodeValue(text: string): unknown {
  return deserialize(Buffer.from(text, "base64"));
}

/** The output lines of a result, typed as the executor's. */
export function outputOf(result: JobResult): readonly JobOutput[] {
  return result.output;
}
