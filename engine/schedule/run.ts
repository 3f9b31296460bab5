/**
 * `run()`: starts a flow. Two call shapes: `run(flow, inputs?, options?)`, and the tutorial's
 * `run(WorkGraphImperativeEngine, { inputs: { workgraph_data: { name, flow, function_inputs } } })`.
 */
import { z } from "zod";
import { checkKnownKeys } from "../model/known-keys.js";
import { FlowContextError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import { flowStorage } from "../author/flow-storage.js";
import { flowDefinition, positionalInputs } from "../author/flow-task.js";
import { bindFlowInputs } from "../author/flow-inputs.js";
import type { WorkGraphImperativeEngine } from "../author/engine-shape.js";
import { parseFlowCall, type WorkGraphData } from "../author/engine-shape.js";
import type { JobExecutor } from "../execute/executor.js";
import { defaultJobPool } from "../execute/job-pool.js";
import type { ProvenanceStore } from "../store/store.js";
import { defaultStore } from "../store/default-store.js";
import { isReader } from "../store/reader.js";
import { ReplaySource } from "../replay/replay-source.js";
import { RunController } from "./run-controller.js";
import { Run } from "./run-handle.js";
import { announceRun } from "./run-registry.js";
import { logOptionSchema, runLog, type LogOption } from "./run-log.js";

/** A flow: an ordinary (usually async) function that calls tasks. */
export type Flow = (...args: never[]) => unknown;

/** Options of {@link run}. */
export interface RunOptions {
  /** The run's name; defaults to the flow function's name. */
  readonly name?: string;
  /**
   * Report lines: every line (`"tasks"`, `true`, the default), the run's own lines without
   * those of single tasks (`"summary"`), none (`false`), or every line to a function. What
   * tasks print shows whatever the level.
   */
  readonly log?: LogOption;
  /** At most this many tasks of the run run at once. */
  readonly maxConcurrency?: number;
  /** Where the run is stored; defaults to the process's store. */
  readonly store?: ProvenanceStore;
  /** Where job tasks run; defaults to the shared warm pool of worker processes. */
  readonly jobs?: JobExecutor;
  /** Replay the run with this pk: calls that match its FINISHED tasks reuse their outputs. */
  readonly resume?: number;
  /** Reuse the outputs of any earlier FINISHED call with the same code and input hashes. */
  readonly cache?: boolean;
}

const optionsSchema = z.object({
  name: z.string().min(1).optional(),
  log: logOptionSchema.optional(),
  maxConcurrency: z.number().int().positive().optional(),
  store: z
    .custom<ProvenanceStore>((v) => typeof v === "object" && v !== null && "addNode" in v)
    .optional(),
  jobs: z.custom<JobExecutor>((v) => typeof v === "object" && v !== null && "run" in v).optional(),
  resume: z.number().int().positive().optional(),
  cache: z.boolean().optional(),
});

/**
 * Runs a flow: schedules its tasks as it calls them and ends when it has returned and every
 * task is done. Await the returned run for the results (data nodes).
 *
 * @example
 * const results = await run(addMultiply, { x: 3, y: 4 });
 * results.sum.value; // 7
 */
export function run<F extends Flow>(
  flow: F,
  inputs?: Readonly<Record<string, unknown>>,
  options?: RunOptions,
): Run<Awaited<ReturnType<F>>>;
export function run<F extends Flow>(
  engine: typeof WorkGraphImperativeEngine,
  spec: { readonly inputs: { readonly workgraph_data: WorkGraphData<F> } },
  options?: RunOptions,
): Run<Awaited<ReturnType<F>>>;
export function run(first: unknown, second?: unknown, third?: RunOptions): Run {
  const { flow, inputs, name } = parseFlowCall("run", first, second);
  checkKnownKeys("run()", third, Object.keys(optionsSchema.shape));
  const parsed = optionsSchema.safeParse(third ?? {});
  if (!parsed.success) throw new TypeError(`Options of run(): ${z.prettifyError(parsed.error)}`);
  const options = parsed.data;
  const runName = options.name ?? name ?? (flow.name || "flow");
  const caller = flowStorage.getStore();
  if (caller?.task === undefined && caller?.scope instanceof RunController) {
    return childRun(caller.scope, flow, inputs, runName, options);
  }
  const bound = bindFlowInputs(runName, flow, inputs);
  const jobs = options.jobs;
  const store = options.store ?? defaultStore();
  const reader = isReader(store) ? store : undefined;
  if (reader === undefined && (options.resume !== undefined || options.cache === true)) {
    throw new TypeError(
      "run(): resume and cache need a store that can be searched, such as a SQLite profile",
    );
  }
  const replay =
    reader !== undefined && (options.resume !== undefined || options.cache === true)
      ? new ReplaySource(reader, options.resume, options.cache === true)
      : undefined;
  const controller = new RunController(runName, flow, bound.nodes, {
    name: runName,
    store,
    keyCalls: reader !== undefined,
    replay,
    jobs: jobs !== undefined ? () => jobs : defaultJobPool,
    maxConcurrency: options.maxConcurrency ?? Number.POSITIVE_INFINITY,
    log: runLog(options.log),
  });
  const handle = new Run(controller);
  announceRun(handle);
  controller.start();
  return handle;
}

/** A run started inside a flow: a child of that flow's run, as a flow task of it. */
function childRun(
  parent: RunController,
  flow: Flow,
  inputs: Readonly<Record<string, unknown>>,
  name: string,
  options: { readonly [K in keyof RunOptions]?: RunOptions[K] | undefined },
): Run {
  for (const key of ["store", "jobs", "resume", "cache"] as const) {
    if (options[key] !== undefined) {
      throw new FlowContextError(name, messages.childRunOption(name, key, parent.name));
    }
  }
  const definition = flowDefinition(flow, { name });
  return new Run(parent.callFlow(definition, positionalInputs(definition, inputs)));
}
