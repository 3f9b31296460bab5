/**
 * A read-only view of a stored task or run: its state, times and attributes, and the nodes
 * linked to it (inputs, outputs, the run that called a task, the tasks a run called).
 */
import { inspect } from "node:util";
import { DataNode } from "../../model/data-node.js";
import type { SerialisedError } from "../../model/error-serialisation.js";
import type { ReportLine } from "../../model/events.js";
import type { RunState, TaskState } from "../../model/states.js";
import { parseCanonicalJson } from "../canonical-json.js";
import * as messages from "../messages.js";
import type { NodeRow, ProvenanceReader } from "../reader.js";
import type { LinkRecord, LinkType } from "../store.js";
import { storedDataNode } from "./stored-data-node.js";
import { storedRunGraph } from "./stored-run-graph.js";
import { drawGraph, GraphDrawing, type GraphView } from "../../model/graph-drawing.js";
import type { RunGraph } from "../../model/run-graph.js";
import { displaySymbol, type MimeBundle } from "../../model/symbols.js";

/** A node linked to another, with the link's label and type. */
export interface LinkedNode {
  readonly label: string;
  readonly type: LinkType;
  readonly node: DataNode | ProcessNode;
}

/** A stored task or run, as read from the store. */
export class ProcessNode {
  readonly pk: number;
  readonly uuid: string;
  readonly type: "task" | "run";
  readonly name: string;
  /** How a task ran (`in-process`, `job`); undefined for runs. */
  readonly kind: string | undefined;
  readonly state: TaskState | RunState;
  readonly exitCode: number | undefined;
  readonly ctime: Date;
  readonly mtime: Date;
  readonly startedAt: Date | undefined;
  readonly endedAt: Date | undefined;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly #reader: ProvenanceReader;

  constructor(row: NodeRow, reader: ProvenanceReader) {
    if (row.type === "data") throw new TypeError(messages.notAProcess(row.pk));
    this.pk = row.pk;
    this.uuid = row.uuid;
    this.type = row.type;
    this.name = row.name ?? "";
    this.kind = row.kind ?? undefined;
    this.state = (row.state ?? "CREATED") as TaskState | RunState;
    this.exitCode = row.exitCode ?? undefined;
    this.ctime = new Date(row.ctime);
    this.mtime = new Date(row.mtime);
    this.startedAt = row.startedAt === null ? undefined : new Date(row.startedAt);
    this.endedAt = row.endedAt === null ? undefined : new Date(row.endedAt);
    const attributes = readAttributes(row.attributes);
    // The store keeps the cache key in its own column.
    this.attributes =
      row.cacheKey === null ? attributes : { ...attributes, cacheKey: row.cacheKey };
    this.#reader = reader;
  }

  /** Why it did not finish (FAILED, SKIPPED, KILLED, EXCEPTED), as stored. */
  get error(): SerialisedError | undefined {
    const error = this.attributes.error;
    if (typeof error !== "object" || error === null) return undefined;
    const { name, message } = error as Record<string, unknown>;
    const text = (value: unknown, fallback: string): string =>
      typeof value === "string" ? value : value === undefined ? fallback : JSON.stringify(value);
    return { ...error, name: text(name, "Error"), message: text(message, "") };
  }

  /** How long it ran, in ms, once it has started and ended. */
  get durationMs(): number | undefined {
    return this.startedAt !== undefined && this.endedAt !== undefined
      ? this.endedAt.getTime() - this.startedAt.getTime()
      : undefined;
  }

  /** The data that went in (INPUT links), by label. */
  inputs(): LinkedNode[] {
    return this.#linked(this.#reader.links({ to: this.pk }), "from");
  }

  /** The data it created (CREATE) or returned (RETURN), by label. */
  outputs(): LinkedNode[] {
    return this.#linked(this.#reader.links({ from: this.pk }), "to");
  }

  /** The values that went in, by label: `{ x: 3, y: 4 }`. */
  inputValues(): Record<string, unknown> {
    return valuesOf(this.inputs());
  }

  /** The values it created or returned, by label: `{ result: 7 }`. */
  outputValues(): Record<string, unknown> {
    return valuesOf(this.outputs());
  }

  /** The run that called this task. */
  caller(): ProcessNode | undefined {
    const call = this.#reader.links({ to: this.pk, type: "CALL" })[0];
    const row = call === undefined ? undefined : this.#reader.node(call.from);
    return row === undefined ? undefined : new ProcessNode(row, this.#reader);
  }

  /** The tasks this run called, in call order. */
  tasks(): ProcessNode[] {
    return this.#reader.tasks(this.pk).map((row) => new ProcessNode(row, this.#reader));
  }

  /** How many tasks this run called. */
  taskCount(): number {
    return this.#reader.taskCount(this.pk);
  }

  /**
   * A run's report lines; for a task, the lines of its run that name it and what it printed
   * (`console.log` in a job), in time order.
   */
  reports(): ReportLine[] {
    if (this.type === "run") return this.#reader.reports(this.pk);
    const printed = this.printed();
    const run = this.caller();
    if (run === undefined) return printed;
    const named = new RegExp(`(^|[^\\w])${escapeRegExp(this.name)}([^\\w]|$)`);
    const about = run.reports().filter((line) => named.test(line.message));
    return [...about, ...printed].sort((a, b) => a.at - b.at);
  }

  /** What a task printed with `console` while it ran (a job's lines), in order. */
  printed(): ReportLine[] {
    return this.type === "task" ? this.#reader.reports(this.pk) : [];
  }

  /** `<Task add: uuid: … (pk: 13) FINISHED>`, as a data node prints. */
  describe(): string {
    const label = this.type === "run" ? "Run" : "Task";
    const exit = this.exitCode !== undefined ? ` [${this.exitCode}]` : "";
    return `<${label} ${this.name}: uuid: ${this.uuid} (pk: ${this.pk}) ${this.state}${exit}>`;
  }

  [inspect.custom](): string {
    return this.describe();
  }

  /** A run's graph as stored (tasks, edges, states, times, values); undefined for a task. */
  graph(): RunGraph | undefined {
    return this.type === "run" ? storedRunGraph(this.#reader, this.pk) : undefined;
  }

  /** A run's DAG as a picture to display; a stored run displays as its DAG too. */
  dag(): GraphDrawing {
    return this.#drawing("dag");
  }

  /** A run's timeline as a picture to display: `display(orm.load(pk).timeline())`. */
  timeline(): GraphDrawing {
    return this.#drawing("timeline");
  }

  /** A run's DAG where a kernel draws graphs; otherwise (and for a task) its one line. */
  [displaySymbol](): MimeBundle | Promise<MimeBundle> {
    const graph = this.graph();
    return graph === undefined
      ? { "text/plain": this.describe() }
      : drawGraph(graph, "dag", this.describe());
  }

  #drawing(view: GraphView): GraphDrawing {
    if (this.type !== "run") throw new TypeError(messages.notARun(this.pk, this.name));
    return new GraphDrawing(() => this.graph() as RunGraph, view, this.describe());
  }

  #linked(links: readonly LinkRecord[], end: "from" | "to"): LinkedNode[] {
    return links
      .filter((link) => link.type !== "CALL")
      .flatMap((link) => {
        const row = this.#reader.node(link[end]);
        return row === undefined
          ? []
          : [{ label: link.label, type: link.type, node: nodeFromRow(row, this.#reader) }];
      });
  }
}

/** The node a row holds: a data node, or a view of a task or run. */
export function nodeFromRow(row: NodeRow, reader: ProvenanceReader): DataNode | ProcessNode {
  return row.type === "data" ? storedDataNode(row) : new ProcessNode(row, reader);
}

/** The stored attributes; text that is not a JSON object (a damaged row) reads as none. */
function readAttributes(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const parsed = parseCanonicalJson(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function valuesOf(links: readonly LinkedNode[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const link of links) if (link.node instanceof DataNode) values[link.label] = link.node.value;
  return values;
}
