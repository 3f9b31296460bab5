/**
 * The messages between the job pool and its worker processes, sent over the child_process IPC
 * channel with `serialization: "advanced"` (V8 structured clone), so Map, Set, Date, bigint and
 * typed arrays survive the trip. Both ends parse what they receive with these schemas.
 */
import { z } from "zod";
import type { SerialisedError } from "../model/error-serialisation.js";

const serialisedError: z.ZodType<SerialisedError> = z.lazy(() =>
  z.object({
    name: z.string(),
    message: z.string(),
    stack: z.string().exactOptional(),
    cause: serialisedError.exactOptional(),
    exitCode: z.number().int().exactOptional(),
  }),
);

/** One job: run `source` (a function expression) with `args`. */
export const jobRequestMessage = z.object({
  id: z.number().int(),
  taskName: z.string(),
  source: z.string(),
  args: z.array(z.unknown()),
  /** The job has a timeout: the reply before it goes before it starts, and its own at once. */
  timed: z.literal(true).exactOptional(),
});

/** Parent → worker: jobs to run one after another, after those sent before. */
export const jobsMessage = z.object({
  type: z.literal("jobs"),
  jobs: z.array(jobRequestMessage),
});

/** Parent → worker: skip the job with this id if it has not started (its caller gave up). */
export const dropMessage = z.object({ type: z.literal("drop"), id: z.number().int() });

/** Any message the pool sends to a worker. */
export const poolMessage = z.discriminatedUnion("type", [jobsMessage, dropMessage]);

/** Worker → parent: the job with this id returned `value`. */
export const jobResultMessage = z.object({
  type: z.literal("result"),
  id: z.number().int(),
  value: z.unknown(),
  /** How long the job ran in the worker, in ms. */
  ms: z.number().exactOptional(),
});

/** Worker → parent: the job with this id threw (or its result could not be sent back). */
export const jobErrorMessage = z.object({
  type: z.literal("error"),
  id: z.number().int(),
  error: serialisedError,
  /** How long the job ran in the worker, in ms. */
  ms: z.number().exactOptional(),
});

/** The console methods a job may call; each line it prints reaches the pool as output. */
export const CONSOLE_METHODS = ["log", "info", "debug", "warn", "error"] as const;

/** Worker → parent: the job with this id printed `text` with `console[method]`. */
export const jobOutputMessage = z.object({
  type: z.literal("output"),
  id: z.number().int(),
  method: z.enum(CONSOLE_METHODS),
  text: z.string(),
});

/**
 * Worker → parent: the replies of jobs that ended one after another, in order, in one message
 * (fewer IPC writes and reads for short jobs); see job-worker.ts for when replies wait.
 */
export const jobRepliesMessage = z.object({
  type: z.literal("replies"),
  replies: z.array(z.discriminatedUnion("type", [jobResultMessage, jobErrorMessage])),
});

/** Worker → parent: the worker has started and listens for jobs. */
export const workerReadyMessage = z.object({ type: z.literal("ready") });

/** Any message a worker sends to the pool. */
export const workerMessage = z.discriminatedUnion("type", [
  jobResultMessage,
  jobErrorMessage,
  jobOutputMessage,
  jobRepliesMessage,
  workerReadyMessage,
]);

/**
 * The pool's messages as the worker reads them. Both ends are ours, yet a message is still
 * checked; jobs, the bulk of them, by hand: zod's copy of each job and its arguments was a
 * good part of a short job's cost at both ends.
 */
export function readPoolMessage(raw: unknown): PoolMessage | undefined {
  if (isRecord(raw) && raw.type === "jobs" && Array.isArray(raw.jobs) && raw.jobs.every(isJob)) {
    return raw as PoolMessage;
  }
  const parsed = poolMessage.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** A worker's messages as the pool reads them; results by hand (see readPoolMessage). */
export function readWorkerMessage(raw: unknown): WorkerMessage | undefined {
  if (isResult(raw)) return raw;
  if (isRecord(raw) && raw.type === "replies" && Array.isArray(raw.replies)) {
    if (raw.replies.every(isResult)) return raw as JobRepliesMessage;
  }
  const parsed = workerMessage.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null;
}

function isJob(raw: unknown): boolean {
  return (
    isRecord(raw) &&
    Number.isInteger(raw.id) &&
    typeof raw.taskName === "string" &&
    typeof raw.source === "string" &&
    Array.isArray(raw.args) &&
    (raw.timed === undefined || raw.timed === true)
  );
}

function isResult(raw: unknown): raw is JobResultMessage {
  return (
    isRecord(raw) &&
    raw.type === "result" &&
    Number.isInteger(raw.id) &&
    (raw.ms === undefined || typeof raw.ms === "number")
  );
}

/** A job request as sent to a worker. */
export type JobRequestMessage = z.infer<typeof jobRequestMessage>;
/** Any message the pool sends to a worker. */
export type PoolMessage = z.infer<typeof poolMessage>;
/** A job result as sent to the pool. */
export type JobResultMessage = z.infer<typeof jobResultMessage>;
/** A job error as sent to the pool. */
export type JobErrorMessage = z.infer<typeof jobErrorMessage>;
/** A line (or lines) a job printed, as sent to the pool. */
export type JobOutputMessage = z.infer<typeof jobOutputMessage>;
/** Replies of several jobs in one message. */
export type JobRepliesMessage = z.infer<typeof jobRepliesMessage>;
/** The worker's greeting. */
export type WorkerReadyMessage = z.infer<typeof workerReadyMessage>;
/** Any message a worker sends to the pool. */
export type WorkerMessage = z.infer<typeof workerMessage>;
