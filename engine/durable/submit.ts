/**
 * `submit()`: stores a run with a reference to its flow, queues it for the profile's daemon
 * (starting one if none runs, and saying so), and returns a handle at once. Two call shapes,
 * as `run()`: `submit(flow, inputs?, options?)` and the tutorial's
 * `submit(WorkGraphImperativeEngine, { inputs: { workgraph_data } }, options?)`.
 */
import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Subject, type Observable } from "rxjs";
import { z } from "zod";
import type { WorkGraphImperativeEngine } from "../author/engine-shape.js";
import { parseFlowCall, type WorkGraphData } from "../author/engine-shape.js";
import { bindFlowInputs } from "../author/flow-inputs.js";
import { WorkgraphError } from "../model/errors.js";
import { loadedProfile } from "../store/profile.js";
import { checkKnownKeys } from "../model/known-keys.js";
import type { GraphBuilder } from "../author/graph-builder.js";
import { inputNode } from "../author/input-node.js";
import { captureFlowSource, type ScopeLookup } from "./flow-source.js";
import { graphSource } from "./graph-source.js";
import type { SqliteStore } from "../store/sqlite/sqlite-store.js";
import type { Flow } from "../schedule/run.js";
import { connectDaemon } from "./daemon-control.js";
import * as messages from "./messages.js";
import { profileRuns } from "./profile-runs.js";
import { SqliteRunQueue } from "./sqlite-run-queue.js";
import { storeSubmission } from "./store-submission.js";
import type { FlowReference } from "./submission.js";
import { SubmittedRun } from "./submitted-run.js";

/** Options of {@link submit}. */
export interface SubmitOptions {
  /** The run's name; defaults to the flow's name. */
  readonly name?: string;
  /** The profile whose daemon runs it; `default` unless told. */
  readonly profile?: string;
  /** The module that exports the flow (a path or `import.meta.url`), when it is not found. */
  readonly module?: string;
  /** The flow's export name in `module`; found by identity when not given. */
  readonly export?: string;
  readonly maxConcurrency?: number;
  /** Where the line saying a daemon was started goes; printed by default. */
  readonly log?: (text: string) => void;
}

const optionsSchema = z.object({
  name: z.string().min(1).optional(),
  profile: z.string().min(1).optional(),
  module: z.string().min(1).optional(),
  export: z.string().min(1).optional(),
  maxConcurrency: z.number().int().positive().optional(),
  log: z.custom<(text: string) => void>((v) => typeof v === "function").optional(),
});

/**
 * Finds how a flow that no module reference names travels: its source (a notebook's flows).
 * `scope` answers first for identifiers the engine itself defined (a WorkGraph's tasks).
 */
export type FlowCapture = (flow: Flow, scope?: ScopeLookup) => FlowReference | undefined;

// Outside a notebook only generated flows (WorkGraphs) travel as source, with what they hold.
let captureFlow: FlowCapture = (flow, scope) =>
  scope === undefined
    ? undefined
    : captureFlowSource(flow, scope, (value) => (value === inputNode ? "inputNode" : undefined));

/** Sets how flows defined outside modules (in notebook cells) are sent as source. */
export function setFlowCapture(capture: FlowCapture): void {
  captureFlow = capture;
}

/**
 * Submits a flow to the profile's daemon: the run is stored and queued, and the handle comes
 * back at once. Await the handle for the results.
 *
 * @example
 * const handle = submit(addThenBranch, { x: 3, y: 4 }, { module: import.meta.url });
 * handle.pk; // the run, already in the store
 * (await handle).multiply.value; // -7
 */
export function submit<F extends Flow>(
  flow: F,
  inputs?: Readonly<Record<string, unknown>>,
  options?: SubmitOptions,
): SubmittedRun<Awaited<ReturnType<F>>>;
export function submit<F extends Flow>(
  engine: typeof WorkGraphImperativeEngine,
  spec: { readonly inputs: { readonly workgraph_data: WorkGraphData<F> } },
  options?: SubmitOptions,
): SubmittedRun<Awaited<ReturnType<F>>>;
export function submit(first: unknown, second?: unknown, third?: SubmitOptions): SubmittedRun {
  const { flow, inputs, name } = parseFlowCall("submit", first, second);
  const options = checkOptions("submit()", third);
  const runName = options.name ?? name ?? (flow.name || "flow");
  const reference = flowReference(flow, runName, options);
  return submitReference(reference, runName, inputs, flow, options);
}

/**
 * Submits a declarative graph (`wg.submit()`): validated first, then sent as a module's export
 * (`{ module, export? }`) or as the source of the flow that runs it, tasks included.
 */
export function submitGraph(
  graph: GraphBuilder,
  inputs: Readonly<Record<string, unknown>> = {},
  given?: SubmitOptions,
): SubmittedRun<Record<string, unknown>> {
  const options = checkOptions(`submit() of WorkGraph ${graph.name}`, given);
  graph.validate(inputs);
  const runName = options.name ?? graph.name;
  let reference: FlowReference;
  if (options.module !== undefined) {
    const module = modulePath(options.module);
    reference = {
      kind: "module",
      module,
      export: options.export ?? exportName(module, graph, runName),
    };
  } else {
    const generated = graphSource(graph);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a flow generated from the graph, to read as source
    const make = new Function(`return (${generated.source});`) as () => Flow;
    const flow = make();
    const captured = captureFlow(flow, generated.scope);
    if (captured === undefined) throw new WorkgraphError(messages.noFlowReference(runName));
    reference = captured;
  }
  return submitReference(reference, runName, inputs, graph.toFlow(), options);
}

function checkOptions(caller: string, options: SubmitOptions | undefined): SubmitOptions {
  checkKnownKeys(caller, options, Object.keys(optionsSchema.shape));
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success)
    throw new TypeError(`Options of ${caller}: ${z.prettifyError(parsed.error)}`);
  return options ?? {};
}

/** Submits a flow given by reference (a module's export, or source); used by `workgraph submit`. */
export function submitReference(
  reference: FlowReference,
  name: string,
  inputs: Readonly<Record<string, unknown>>,
  flow: Flow | undefined,
  options: Omit<SubmitOptions, "module" | "export"> = {},
): SubmittedRun {
  const profile = options.profile ?? defaultProfileName();
  const bound = flow !== undefined ? bindFlowInputs(name, flow, inputs) : undefined;
  const nodes = bound?.nodes ?? bindFlowInputs(name, ({ ..._all }: object) => _all, inputs).nodes;
  const runs = profileRuns(profile);
  const submission = {
    name,
    flow: reference,
    inputs: nodes,
    ...(options.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
  };
  const log = options.log ?? ((text: string) => console.log(text));
  let pk: number;
  let uuid: string;
  let queued: Promise<void>;
  if (runs.kind === "daemon") {
    ({ pk, uuid } = new SqliteRunQueue(runs.store as SqliteStore).enqueue(submission));
    queued = wakeDaemon(profile, log);
  } else {
    // stored durably before any worker can be told of it
    ({ pk, uuid } = storeSubmission(runs.store, submission));
    runs.store.flush();
    queued = runs.link.queue(pk);
    queued.catch((error: unknown) =>
      log(
        messages.brokerUnreachable(profile, error instanceof Error ? error.message : String(error)),
      ),
    );
  }
  const handle = new SubmittedRun(pk, uuid, name, runs.store, runs.link, queued);
  submitted.next(handle);
  return handle;
}

/** The profile runs go to when none is named: the one `loadProfile()` loaded, else `default`. */
function defaultProfileName(): string {
  return loadedProfile()?.name ?? "default";
}

/** Tells the daemon a run waits, starting a daemon first if none runs. */
async function wakeDaemon(profile: string, log: (text: string) => void): Promise<void> {
  try {
    const { connection, started } = await connectDaemon({ profile });
    if (started !== undefined) log(messages.daemonStarted(profile, started));
    await connection.request({ op: "wake" });
    connection.close();
  } catch (error) {
    log(
      messages.daemonUnreachable(profile, error instanceof Error ? error.message : String(error)),
    );
  }
}

const submitted = new Subject<SubmittedRun>();

/** Emits each run as `submit()` queues it, in the caller's async context (a kernel's cell). */
export const runSubmitted$: Observable<SubmittedRun> = submitted.asObservable();

function flowReference(
  flow: Flow,
  name: string,
  options: Pick<SubmitOptions, "module" | "export">,
): FlowReference {
  if (options.module !== undefined) {
    const module = modulePath(options.module);
    return { kind: "module", module, export: options.export ?? exportName(module, flow, name) };
  }
  const captured = captureFlow(flow);
  if (captured !== undefined) return captured;
  throw new WorkgraphError(messages.noFlowReference(name));
}

const requireHere = createRequire(import.meta.url);

/** A module given as `import.meta.url`, a path or a package specifier, as stored. */
function modulePath(module: string): string {
  if (module.startsWith("file:")) return fileURLToPath(module);
  return isAbsolute(module) || module.startsWith(".") ? resolve(module) : module;
}

/** The name under which `module` exports `flow` (or a graph). */
function exportName(module: string, flow: unknown, name: string): string {
  const namespace = requireHere(module) as Record<string, unknown>;
  for (const [key, value] of Object.entries(namespace)) if (value === flow) return key;
  throw new WorkgraphError(messages.notExported(name, module));
}

/** A handle following submitted run `pk` of a profile, from any process. */
export function followRun(pk: number, options: { readonly profile?: string } = {}): SubmittedRun {
  const runs = profileRuns(options.profile ?? defaultProfileName());
  const row = runs.store.node(pk);
  if (row?.type !== "run") throw new WorkgraphError(messages.noSuchRun(pk));
  return new SubmittedRun(pk, row.uuid, row.name ?? "flow", runs.store, runs.link);
}
