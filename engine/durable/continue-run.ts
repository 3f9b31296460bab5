/**
 * Runs a stored run on its own node: a submitted run the daemon starts, or one a dead daemon
 * left behind. The flow runs again from the top; each call at the same position with the same
 * code and input hashes as a FINISHED call of the stored run takes that call's node and outputs
 * instead of running, so the provenance stays one run with every finished call kept.
 */
import type { Flow } from "../schedule/run.js";
import { defaultJobPool } from "../execute/job-pool.js";
import type { JobExecutor } from "../execute/executor.js";
import { bindFlowInputs } from "../author/flow-inputs.js";
import type { DataNode } from "../model/data-node.js";
import type { ReportLine } from "../model/events.js";
import { WorkgraphError } from "../model/errors.js";
import type { ProvenanceReader } from "../store/reader.js";
import type { ProvenanceStore } from "../store/store.js";
import { storedDataNode } from "../store/queries/stored-data-node.js";
import { ReplaySource } from "../replay/replay-source.js";
import { RunController } from "../schedule/run-controller.js";
import { Run } from "../schedule/run-handle.js";
import { announceRun } from "../schedule/run-registry.js";
import * as messages from "./messages.js";

/** Where and how a stored run goes on. */
export interface ContinueOptions {
  readonly store: ProvenanceStore & ProvenanceReader;
  readonly jobs?: JobExecutor;
  readonly log?: (line: ReportLine) => void;
  readonly maxConcurrency?: number;
  /** Attributes to add to the run node (who runs it now). */
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** Starts the flow of stored run `pk` on that run's node, reusing its FINISHED calls. */
export function continueRun(pk: number, flow: Flow, options: ContinueOptions): Run {
  const { store } = options;
  const row = store.node(pk);
  if (row?.type !== "run") throw new WorkgraphError(messages.noSuchRun(pk));
  const name = row.name ?? (flow.name || "flow");
  const inputs: Record<string, DataNode> = {};
  for (const link of store.links({ to: pk, type: "INPUT" })) {
    const input = store.node(link.from);
    if (input?.type === "data") inputs[link.label] = storedDataNode(input);
  }
  const bound = bindFlowInputs(name, flow, inputs);
  // A call not started may have its inputs stored already: a call of plain values is linked
  // as it is made.
  const tasks = store.tasks(pk).map((task) => ({
    pk: task.pk,
    state: task.state,
    linked: task.state === "PLANNED" && store.links({ to: task.pk, type: "INPUT" }).length > 0,
  }));
  const jobs = options.jobs;
  const controller = new RunController(name, flow, bound.nodes, {
    name,
    store,
    keyCalls: true,
    replay: new ReplaySource(store, pk, false),
    jobs: jobs !== undefined ? () => jobs : defaultJobPool,
    maxConcurrency: options.maxConcurrency ?? Number.POSITIVE_INFINITY,
    // what tasks print is stored with them; here it goes where the report lines go
    log: { report: options.log, print: options.log ?? (() => undefined) },
    adopt: { pk, uuid: row.uuid, tasks },
    attributes: options.attributes,
  });
  if (tasks.length > 0) {
    const finished = tasks.filter((t) => t.state === "FINISHED").length;
    const again = tasks.length - finished;
    // on a microtask, as the flow starts: the caller subscribes to events$ first
    queueMicrotask(() => controller.report("continue", messages.continuing(name, finished, again)));
  }
  const handle = new Run(controller);
  announceRun(handle);
  controller.start();
  return handle;
}
