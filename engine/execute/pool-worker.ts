/**
 * The pool's side of one worker process: the jobs it was sent, in order, and its state. Forked
 * from job-worker.js (job-worker.ts with tsx's loader under vitest or tsx).
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { JobRequest } from "./executor.js";
import type { JobRequestMessage } from "./job-protocol.js";

/**
 * Jobs a worker holds at most (the running one and those sent ahead). More hides the round
 * trip better but leaves more jobs behind a long one that no other worker can take.
 */
export const PIPELINE_DEPTH = 8;
/** A worker with jobs ahead is topped up once it holds this many or fewer (fewer messages). */
export const TOP_UP_AT = PIPELINE_DEPTH / 2;
/** Jobs are sent ahead only to a worker whose last job ran less than this, in ms. */
export const AHEAD_BELOW_MS = 10;

/** A job as the pool holds it, from run() until it settles. */
export interface Job {
  readonly id: number;
  readonly request: JobRequest;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  /** Set when we kill the job's process on purpose: the error to report once it is gone. */
  killedFor?: unknown;
  /** Settled while it waited in a worker (aborted): the worker skips it or its reply is ignored. */
  dropped?: boolean;
}

/** A worker process and what the pool knows of it. */
export interface Worker {
  readonly child: ChildProcess;
  /** `stopping`: we have sent SIGKILL; whatever it still says is ignored. */
  state: "starting" | "ready" | "stopping" | "dead";
  /** The jobs sent to it, in order: the first not dropped is the one running. */
  readonly jobs: Job[];
  /** How long its last job ran, in ms (as the worker measured it). */
  lastMs: number;
  referenced: boolean;
  readonly ready: Promise<void>;
  readonly markReady: () => void;
  readonly failStart: (error: unknown) => void;
  readonly exited: Promise<void>;
  readonly markExited: () => void;
}

// Under vitest or tsx this module is TypeScript, and so is its worker, which then needs tsx's
// loader (a fork takes 2 to 3 times as long); from dist/ both are JavaScript and the worker is
// forked as it is. WORKGRAPH_BUILT_WORKERS=1 (the tests set it: their global setup has just
// built dist/ from this source) forks the built worker from the source too.
const RUNS_FROM_SOURCE = import.meta.url.endsWith(".ts");
const FORKS_SOURCE = RUNS_FROM_SOURCE && process.env.WORKGRAPH_BUILT_WORKERS !== "1";
const WORKER_FILE = fileURLToPath(
  new URL(
    !RUNS_FROM_SOURCE
      ? "./job-worker.js"
      : FORKS_SOURCE
        ? "./job-worker.ts"
        : "../../dist/engine/execute/job-worker.js",
    import.meta.url,
  ),
);

/** Forks a worker process (not ready until it says so). */
export function forkWorker(execArgv: readonly string[]): Worker {
  const loader = FORKS_SOURCE ? ["--import", tsxLoaderUrl()] : [];
  const child = fork(WORKER_FILE, [], {
    execArgv: [...loader, ...execArgv],
    // Structured clone instead of JSON: Map, Set, Date, bigint and typed arrays survive.
    serialization: "advanced",
  });
  let markReady = () => {};
  let failStart: (error: unknown) => void = () => {};
  let markExited = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failStart = reject;
  });
  // warm() may never be called: a failed start must not become an unhandled rejection.
  ready.catch(() => {});
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  return {
    child,
    state: "starting",
    jobs: [],
    lastMs: 0,
    referenced: true,
    ready,
    markReady,
    failStart,
    exited,
    markExited,
  };
}

/** The job a worker runs now, as far as the pool knows: its first job not dropped. */
export function running(worker: Worker): Job | undefined {
  return worker.jobs.find((job) => job.dropped !== true);
}

/**
 * Tops up `batches` from the head of `queue`, one job each in turn, for the ready workers whose
 * last job ran under `aheadBelowMs` and that hold at most {@link TOP_UP_AT}, up to
 * {@link PIPELINE_DEPTH} each.
 */
export function sendAhead(
  ready: readonly Worker[],
  batches: Map<Worker, Job[]>,
  queue: Job[],
  aheadBelowMs: number,
): void {
  const open = ready.filter(
    (worker) =>
      worker.lastMs < aheadBelowMs &&
      worker.jobs.length + (batches.get(worker)?.length ?? 0) <= TOP_UP_AT,
  );
  while (queue.length > 0 && open.length > 0) {
    for (let i = 0; i < open.length && queue.length > 0; i++) {
      const worker = open[i] as Worker;
      const batch = batches.get(worker) ?? [];
      if (worker.jobs.length + batch.length >= PIPELINE_DEPTH) {
        open.splice(i--, 1);
        continue;
      }
      batch.push(queue.shift() as Job);
      batches.set(worker, batch);
    }
  }
}

export function requestMessage({ id, request }: Job): JobRequestMessage {
  const message = {
    id,
    taskName: request.taskName,
    source: request.source,
    args: [...request.args],
  };
  return request.timeoutMs === undefined ? message : { ...message, timed: true };
}

/** tsx's ESM loader, found from here so the worker loads TypeScript whatever the cwd. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}
