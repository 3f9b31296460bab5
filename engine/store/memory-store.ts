/** A provenance store held in memory: for tests, benchmarks and throwaway sessions. */
import type { ReportLine } from "../model/events.js";
import { isReportText, reportLine } from "../model/report-line.js";
import { isFinishedMessage } from "./finished-message.js";
import type {
  LinkRecord,
  LinkType,
  NodeRecord,
  ProcessUpdate,
  ProvenanceStore,
  TaskRecord,
} from "./store.js";

/** A stored node with its pk and the latest process update merged in. */
export type StoredNode = NodeRecord & { readonly pk: number } & ProcessUpdate;

/** Entries per chunk of links: 4,096 links. */
const LINK_CHUNK = 4 * 4096;

/** The step of a task's "finished" line. */
const FINISHED_STEP = "update_task_state";

/** `Task: add1, type: in-process, finished.` */
function finishedMessage(task: TaskRecord): string {
  return `Task: ${task.name}, type: ${task.kind}, finished.`;
}

/**
 * Whether `line` is the task's standard "finished" line, which the store makes again when read
 * from the task's name and kind and the line's time: kept as text, a run's finished lines were
 * ~250 B per task (the line, its message and text).
 */
function isFinishedLine(runPk: number, line: ReportLine, task: TaskRecord): boolean {
  return (
    line.task === undefined &&
    line.level === "REPORT" &&
    line.step === FINISHED_STEP &&
    line.runPk === runPk &&
    isFinishedMessage(line.message, task.name, task.kind) &&
    isReportText(runPk, line, line.text)
  );
}

/**
 * The latest update of a task or run node, one shape for every node: a plain copy of each
 * update merged with `Object.assign` gave each node a hidden class of its own (~180 bytes).
 */
class ProcessState {
  state: ProcessUpdate["state"] = undefined;
  exitCode: number | undefined = undefined;
  startedAt: number | undefined = undefined;
  endedAt: number | undefined = undefined;
  error: ProcessUpdate["error"] = undefined;
  attributes: ProcessUpdate["attributes"] = undefined;

  merge(update: ProcessUpdate): void {
    if (update.state !== undefined) this.state = update.state;
    if (update.exitCode !== undefined) this.exitCode = update.exitCode;
    if (update.startedAt !== undefined) this.startedAt = update.startedAt;
    if (update.endedAt !== undefined) this.endedAt = update.endedAt;
    if (update.error !== undefined) this.error = update.error;
    if (update.attributes !== undefined) {
      this.attributes =
        this.attributes === undefined
          ? update.attributes
          : { ...this.attributes, ...update.attributes };
    }
  }

  /** The fields set so far, as an update (no key for a field never set). */
  fields(): ProcessUpdate {
    const fields: { -readonly [K in keyof ProcessUpdate]: ProcessUpdate[K] } = {};
    if (this.state !== undefined) fields.state = this.state;
    if (this.startedAt !== undefined) fields.startedAt = this.startedAt;
    if (this.endedAt !== undefined) fields.endedAt = this.endedAt;
    if (this.error !== undefined) fields.error = this.error;
    if (this.exitCode !== undefined) fields.exitCode = this.exitCode;
    if (this.attributes !== undefined) fields.attributes = this.attributes;
    return fields;
  }
}

/**
 * Keeps every node and report line as handed over (a task's "finished" line as its task and
 * time), links as four entries each of one array (an object per link was 56 bytes, the
 * entries are 32); pks count up from 1.
 */
export class MemoryStore implements ProvenanceStore {
  // records are kept as handed over (callers never change them); updates live beside them
  readonly #nodes: NodeRecord[] = [];
  readonly #updates: (ProcessState | undefined)[] = [];
  /**
   * Each link as four entries (from, to, type, label), in chunks: one array of millions of
   * entries is copied whole each time it grows, the old and new copies alive at once.
   */
  readonly #links: (number | string)[][] = [[]];
  /** A run's lines; a task's "finished" line as two entries, the task's pk and the line's time. */
  readonly #reports = new Map<number, (ReportLine | number)[]>();

  addNode(node: NodeRecord): number {
    this.#nodes.push(node);
    this.#updates.push(undefined);
    return this.#nodes.length;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    const node = this.#nodes[pk - 1];
    if (node === undefined) throw new RangeError(`No node with pk ${pk}`);
    const current = (this.#updates[pk - 1] ??= new ProcessState());
    current.merge(update);
  }

  addLink(link: LinkRecord): void {
    let chunk = this.#links[this.#links.length - 1] as (number | string)[];
    if (chunk.length === LINK_CHUNK) this.#links.push((chunk = []));
    chunk.push(link.from, link.to, link.type, link.label);
  }

  addReport(runPk: number, line: ReportLine, task?: number): void {
    let lines = this.#reports.get(runPk);
    if (lines === undefined) this.#reports.set(runPk, (lines = []));
    const node = task === undefined ? undefined : this.#nodes[task - 1];
    if (node?.type === "task" && isFinishedLine(runPk, line, node))
      lines.push(task as number, line.at);
    else lines.push(line);
  }

  flush(): void {}

  /** The node with this pk, with its latest state. */
  node(pk: number): StoredNode | undefined {
    const node = this.#nodes[pk - 1];
    if (node === undefined) return undefined;
    const update = this.#updates[pk - 1]?.fields();
    if (update === undefined) return { ...node, pk };
    const attributes =
      "attributes" in node && update.attributes !== undefined
        ? { ...node.attributes, ...update.attributes }
        : undefined;
    return {
      ...node,
      ...update,
      ...(attributes !== undefined ? { attributes } : {}),
      pk,
    } as StoredNode;
  }

  /** Every node, in pk order, with its latest state. */
  nodes(): StoredNode[] {
    return this.#nodes.map((_, i) => this.node(i + 1) as StoredNode);
  }

  /** Links into a node (its inputs) or out of it (what it created, called or returned). */
  links(filter: { readonly from?: number; readonly to?: number } = {}): LinkRecord[] {
    const found: LinkRecord[] = [];
    for (const links of this.#links) {
      for (let i = 0; i < links.length; i += 4) {
        const from = links[i] as number;
        const to = links[i + 1] as number;
        if (filter.from !== undefined && from !== filter.from) continue;
        if (filter.to !== undefined && to !== filter.to) continue;
        found.push({ from, to, type: links[i + 2] as LinkType, label: links[i + 3] as string });
      }
    }
    return found;
  }

  /** The report lines of a run. */
  reports(runPk: number): readonly ReportLine[] {
    const kept = this.#reports.get(runPk);
    if (kept === undefined) return [];
    const lines: ReportLine[] = [];
    for (let i = 0; i < kept.length; i++) {
      const line = kept[i] as ReportLine | number;
      if (typeof line !== "number") {
        lines.push(line);
        continue;
      }
      const task = this.#nodes[line - 1] as TaskRecord;
      const at = kept[++i] as number;
      lines.push(reportLine(runPk, FINISHED_STEP, finishedMessage(task), "REPORT", at));
    }
    return lines;
  }
}
