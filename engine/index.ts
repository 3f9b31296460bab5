/**
 * workgraph: imperative workflows. A flow is an ordinary async function; every task it calls
 * is scheduled at once, and the futures passed between tasks are the dependency edges.
 *
 * ```
 *   flow function ──calls──▶ author/    task(), sockets (futures), waitFor, flow context
 *                               │ schedule(definition, args)
 *                               ▼
 *                           schedule/  RunController: ready queue, limits, retries, cancel
 *                               │ start when the last input finished
 *                               ▼
 *                           execute/   in-process calls · warm pool of job processes
 *                               │ value or error
 *                               ▼
 *                           events$ (RxJS) ──▶ store/ (provenance) · reports · views
 * ```
 */
// Authoring: tasks, futures, waiting, the tutorial's call shape.
export { task } from "./author/task.js";
export type { Input, OutputSpec, OutputsOf, ShellOutputs, TaskFunction } from "./author/task.js";
export type { ShellOptions, ShellInputs, ShellResult } from "./author/shell-task.js";
export type { TaskFailure, TaskHandler, HandlerDecision } from "./author/task-handlers.js";
export type { TaskOptions, TaskDefinition } from "./author/task-definition.js";
export type { FlowTaskOptions } from "./author/flow-task.js";
export type { Resolved, FlowOutputs } from "./author/resolved.js";
export { TaskHandle } from "./author/task-handle.js";
export { TaskSocket } from "./author/task-socket.js";
export type { Future, PartsOf, PartKey } from "./author/task-socket.js";
export { waitFor } from "./author/wait-for.js";
export { inputNode } from "./author/input-node.js";
export type { Waitable, Waited, WaitOptions } from "./author/wait-for.js";
export { currentTask } from "./author/flow-context.js";
export { WorkGraphImperativeEngine } from "./author/engine-shape.js";
export type { WorkGraphData } from "./author/engine-shape.js";

// Running: runs, their handles, graphs and events.
export { run } from "./schedule/run.js";
export { WorkGraph } from "./durable/work-graph.js";
export { WorkGraphTask, GraphSocket, GraphInput } from "./author/graph-task.js";
export type { AddTaskOptions } from "./author/graph-builder.js";
export type { GraphLink } from "./author/graph-order.js";
export type { Flow, RunOptions } from "./schedule/run.js";
export type { LogLevel, LogOption } from "./schedule/run-log.js";
export { Run } from "./schedule/run-handle.js";
export type { RunResults, ResultNode } from "./schedule/run-handle.js";
export type { RunOutcome } from "./schedule/run-outcome.js";
export { runStarted$ } from "./schedule/run-registry.js";
export type { RunGraph, GraphTask, GraphEdge, StaticGraph } from "./model/run-graph.js";
export { ofType, reportLines, taskStates } from "./model/event-operators.js";
export type * from "./model/events.js";
export {
  ExitCode,
  TASK_STATES,
  RUN_STATES,
  isTerminalTask,
  isTerminalRun,
} from "./model/states.js";
export type { TaskState, RunState } from "./model/states.js";
export * from "./model/errors.js";
export type { SerialisedError } from "./model/error-serialisation.js";

// Where job tasks run.
export type { JobExecutor, JobRequest } from "./execute/executor.js";
export { createJobPool, closeDefaultJobPool } from "./execute/job-pool.js";
export type { JobPool, JobPoolOptions } from "./execute/job-pool.js";

// Data and provenance: values, stores, profiles, queries, archives.
export { DataNode } from "./model/data-node.js";
export type { DataKind } from "./model/data-node.js";
export { orm } from "./store/queries/orm-load.js";
export type { LoadOptions } from "./store/queries/orm-load.js";
export { ProcessNode } from "./store/queries/process-node.js";
export type { LinkedNode } from "./store/queries/process-node.js";
export { queryRuns } from "./store/queries/query-runs.js";
export type { RunQuery } from "./store/queries/query-runs.js";
export { loadProfile } from "./store/profile.js";
export { openProfile } from "./store/open-profile.js";
export type { Profile, ProfileOptions } from "./store/open-profile.js";
export { MemoryStore } from "./store/memory-store.js";
export type { ProvenanceStore } from "./store/store.js";
export { exportArchive } from "./store/archive/export-archive.js";
export { importArchive } from "./store/archive/import-archive.js";
export type { ArchiveCounts } from "./store/archive/archive-format.js";
export { StoreOpenError, NodeNotFoundError, ArchiveError } from "./store/store-errors.js";

// Rich display: any object with this method displays as its MIME bundle.
export { displaySymbol, inspectSymbol } from "./model/symbols.js";
export { GraphDrawing } from "./model/graph-drawing.js";
export type { GraphView } from "./model/graph-drawing.js";
export type { MimeBundle } from "./model/symbols.js";
// Submitted runs: they outlive this process (a daemon runs them).
export { submit, submitReference, followRun, runSubmitted$ } from "./durable/submit.js";
export type { SubmitOptions } from "./durable/submit.js";
export { SubmittedRun } from "./durable/submitted-run.js";
export type { SubmittedOutcome } from "./durable/submitted-run.js";
export type { FlowReference } from "./durable/submission.js";
export {
  DaemonNotRunningError,
  DaemonRunningError,
  DaemonStartError,
  UnsendableFlowError,
} from "./durable/errors.js";
export { FollowedRunNode } from "./durable/followed-run-node.js";
