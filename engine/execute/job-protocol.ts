/**
 * The messages between the job pool and its worker processes, sent over the child_process IPC
 * channel with `serialization: "advanced"` (V8 structured clone), so Map, Set, Date, bigint and
 * typed arrays survive the trip. Both ends parse what they receive with these schemas.
 */
import { z } from "zod";
import type { SerialisedError } from "../model/error-serialisation.js";

/** Names a job's source may use without defining them: the worker supplies each one. */
export const WORKER_SCOPE_NAMES = [
  "require",
  "module",
  "exports",
  "__filename",
  "__dirname",
  // esbuild (and so tsx and vitest) wraps named functions in `__name(fn, "name")` for keepNames.
  "__name",
] as const;

/** Helpers TypeScript emits for older targets; the worker takes them from `tslib` if it can. */
export const TSLIB_HELPER_NAMES = [
  "__extends",
  "__assign",
  "__rest",
  "__decorate",
  "__param",
  "__metadata",
  "__awaiter",
  "__generator",
  "__exportStar",
  "__createBinding",
  "__values",
  "__read",
  "__spread",
  "__spreadArrays",
  "__spreadArray",
  "__await",
  "__asyncGenerator",
  "__asyncDelegator",
  "__asyncValues",
  "__makeTemplateObject",
  "__importStar",
  "__importDefault",
  "__classPrivateFieldGet",
  "__classPrivateFieldSet",
  "__classPrivateFieldIn",
  "__esDecorate",
  "__runInitializers",
  "__propKey",
  "__setFunctionName",
  "__addDisposableResource",
  "__disposeResources",
] as const;

const serialisedError: z.ZodType<SerialisedError> = z.lazy(() =>
  z.object({
    name: z.string(),
    message: z.string(),
    stack: z.string().exactOptional(),
    cause: serialisedError.exactOptional(),
  }),
);

/** Parent → worker: run `source` (a function expression) with `args`. */
export const jobRequestMessage = z.object({
  type: z.literal("job"),
  id: z.number().int(),
  taskName: z.string(),
  source: z.string(),
  args: z.array(z.unknown()),
});

/** Worker → parent: the job with this id returned `value`. */
export const jobResultMessage = z.object({
  type: z.literal("result"),
  id: z.number().int(),
  value: z.unknown(),
});

/** Worker → parent: the job with this id threw (or its result could not be sent back). */
export const jobErrorMessage = z.object({
  type: z.literal("error"),
  id: z.number().int(),
  error: serialisedError,
});

/** Worker → parent: the worker has started and listens for jobs. */
export const workerReadyMessage = z.object({ type: z.literal("ready") });

/** Any message a worker sends to the pool. */
export const workerMessage = z.discriminatedUnion("type", [
  jobResultMessage,
  jobErrorMessage,
  workerReadyMessage,
]);

/** A job request as sent to a worker. */
export type JobRequestMessage = z.infer<typeof jobRequestMessage>;
/** A job result as sent to the pool. */
export type JobResultMessage = z.infer<typeof jobResultMessage>;
/** A job error as sent to the pool. */
export type JobErrorMessage = z.infer<typeof jobErrorMessage>;
/** The worker's greeting. */
export type WorkerReadyMessage = z.infer<typeof workerReadyMessage>;
/** Any message a worker sends to the pool. */
export type WorkerMessage = z.infer<typeof workerMessage>;
