/**
 * `workgraph/plumbing`: what tools built on the engine use (the kernel, the views, the CLI, a
 * daemon), and people who write their own store: the store and archive internals, the
 * process-wide defaults, and the live-view rate. Flow authors need only `workgraph`.
 */
export { defaultStore, setDefaultStore } from "./store/default-store.js";
export { setDefaultLog } from "./schedule/run-log.js";
export { defaultJobPool } from "./execute/job-pool.js";
export { watchParent } from "./execute/parent-watchdog.js";
export { checkJobSource } from "./author/job-source.js";
export { handleEvent } from "./model/events.js";
export { toDataNode, kindOf } from "./model/data-node.js";
export { throttleLatest } from "./model/throttle-latest.js";
export { liveThrottle, LIVE_INTERVAL } from "./model/live-rate.js";
export { GraphModel } from "./model/graph-model.js";
export { setRunDrawer, drawGraph } from "./model/graph-drawing.js";
export type { RunDrawer } from "./model/graph-drawing.js";
export type { GraphChanges } from "./model/graph-model.js";
export { reportLine, reportText } from "./model/report-line.js";
export { formatDuration } from "./model/format-duration.js";
export { runProgress, progressText } from "./model/progress.js";
export type { RunProgress } from "./model/progress.js";
export type * from "./store/store.js";
export type * from "./store/reader.js";
export { isReader } from "./store/reader.js";
export { SqliteStore } from "./store/sqlite/sqlite-store.js";
export { SqliteReader } from "./store/sqlite/sqlite-reader.js";
export { openReadOnly, ReadOnlyStore } from "./store/sqlite/read-only.js";
export {
  createProfile,
  profileConfig,
  profileExists,
  profileFolder,
  profilePath,
  workgraphHome,
} from "./store/open-profile.js";
export type { Profile, ProfileStore } from "./store/open-profile.js";
export { listProfiles, shownProfileConfig } from "./store/profile-config.js";
export type { ProfileConfig } from "./store/profile-config.js";
export { PostgresStore } from "./store/postgres/postgres-store.js";
export { maskUrl } from "./store/postgres/connection-url.js";
export { StoreWriteError, StoreUnavailableError } from "./store/store-errors.js";
export { ormLoad } from "./store/queries/orm-load.js";
export { storedEdges } from "./store/queries/stored-run-graph.js";
export type { StoredEdges } from "./store/queries/stored-run-graph.js";
export { buildArchive } from "./store/archive/export-archive.js";
export { readArchive } from "./store/archive/import-archive.js";
export type { Archive } from "./store/archive/archive-format.js";
export { setFlowCapture } from "./durable/submit.js";
export type { FlowCapture } from "./durable/submit.js";
export {
  startDaemon,
  stopDaemon,
  daemonStatus,
  runningDaemon,
  daemonLog,
} from "./durable/daemon-control.js";
export type { DaemonStartOptions } from "./durable/daemon-control.js";
export type { DaemonStatus } from "./durable/protocol.js";
export { runWorker } from "./durable/broker/run-worker.js";
export type { RunWorkerOptions } from "./durable/broker/run-worker.js";
export { setGraphDrawer } from "./author/graph-builder.js";
export { createBrokerJobs } from "./durable/broker/broker-jobs.js";
export type { BrokerJobsOptions } from "./durable/broker/broker-jobs.js";
export { captureFlowSource } from "./durable/flow-source.js";
export { followStoredRun, submittedRunsGoTo } from "./durable/followed-run-node.js";
export type { ScopeLookup, PackageMember } from "./durable/flow-source.js";
