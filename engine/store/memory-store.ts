/** A provenance store held in memory: for tests, benchmarks and throwaway sessions. */
import type { ReportLine } from "../model/events.js";
import type { LinkRecord, NodeRecord, ProcessUpdate, ProvenanceStore } from "./store.js";

/** A stored node with its pk and the latest process update merged in. */
export type StoredNode = NodeRecord & { readonly pk: number } & ProcessUpdate;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Keeps every node, link and report in arrays; pks count up from 1. */
export class MemoryStore implements ProvenanceStore {
  // records are kept as handed over (callers never change them); updates live beside them
  readonly #nodes: NodeRecord[] = [];
  readonly #updates: (Mutable<ProcessUpdate> | undefined)[] = [];
  readonly #links: LinkRecord[] = [];
  readonly #reports = new Map<number, ReportLine[]>();

  addNode(node: NodeRecord): number {
    this.#nodes.push(node);
    this.#updates.push(undefined);
    return this.#nodes.length;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    const node = this.#nodes[pk - 1];
    if (node === undefined) throw new RangeError(`No node with pk ${pk}`);
    const current = this.#updates[pk - 1];
    if (current === undefined) {
      this.#updates[pk - 1] = { ...update };
      return;
    }
    const attributes =
      update.attributes !== undefined
        ? { ...current.attributes, ...update.attributes }
        : current.attributes;
    Object.assign(current, update);
    if (attributes !== undefined) current.attributes = attributes;
  }

  addLink(link: LinkRecord): void {
    this.#links.push(link);
  }

  addReport(runPk: number, line: ReportLine): void {
    let lines = this.#reports.get(runPk);
    if (lines === undefined) this.#reports.set(runPk, (lines = []));
    lines.push(line);
  }

  flush(): void {}

  /** The node with this pk, with its latest state. */
  node(pk: number): StoredNode | undefined {
    const node = this.#nodes[pk - 1];
    if (node === undefined) return undefined;
    const update = this.#updates[pk - 1];
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
    return this.#links.filter(
      (l) =>
        (filter.from === undefined || l.from === filter.from) &&
        (filter.to === undefined || l.to === filter.to),
    );
  }

  /** The report lines of a run. */
  reports(runPk: number): readonly ReportLine[] {
    return this.#reports.get(runPk) ?? [];
  }
}
