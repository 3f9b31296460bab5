/**
 * The provenance store the engine writes through. Writes are synchronous and cheap: an
 * implementation may group them (one transaction per event-loop turn) and makes them durable
 * by `flush()`, which the engine calls when a run ends.
 */
import type { SerialisedError } from "../model/error-serialisation.js";
import type { DataKind } from "../model/data-node.js";
import type { ReportLine, TaskKind } from "../model/events.js";
import type { RunState, TaskState } from "../model/states.js";

/** How two nodes are linked. */
export type LinkType = "INPUT" | "CREATE" | "CALL" | "RETURN";

/** A data node as stored. */
export interface DataRecord {
  readonly type: "data";
  readonly uuid: string;
  readonly kind: DataKind;
  readonly value: unknown;
  readonly ctime: number;
}

/** A task node as stored. */
export interface TaskRecord {
  readonly type: "task";
  readonly uuid: string;
  readonly name: string;
  readonly kind: TaskKind;
  readonly state: TaskState;
  readonly ctime: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A run node as stored. */
export interface RunRecord {
  readonly type: "run";
  readonly uuid: string;
  readonly name: string;
  readonly state: RunState;
  readonly ctime: number;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Any node. */
export type NodeRecord = DataRecord | TaskRecord | RunRecord;

/** A change to a task or run node. */
export interface ProcessUpdate {
  readonly state?: TaskState | RunState;
  readonly exitCode?: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly error?: SerialisedError;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** A typed link from one node to another, with a label (the input or output name). */
export interface LinkRecord {
  readonly from: number;
  readonly to: number;
  readonly type: LinkType;
  readonly label: string;
}

/** Where the engine writes every run, task, value, link and report. */
export interface ProvenanceStore {
  /** Saves a node and returns its pk. */
  addNode(node: NodeRecord): number;
  /** Updates a task or run node. */
  updateProcess(pk: number, update: ProcessUpdate): void;
  /** Saves a link between two saved nodes. */
  addLink(link: LinkRecord): void;
  /**
   * Saves a report line with its run. `task`: the task (called by that run) whose move to
   * FINISHED the line reports, at the time its node records as its end; a store may then keep
   * the line as part of the task's node and give it back as it was written.
   */
  addReport(runPk: number, line: ReportLine, task?: number): void;
  /** Makes every write so far durable. */
  flush(): void;
  /**
   * Calls `listener` if the store becomes unavailable for long (another process holds it):
   * runs end with that error. Returns how to stop listening. Optional.
   */
  onUnavailable?(listener: (error: Error) => void): () => void;
}
