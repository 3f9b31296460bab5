/** A provenance store held in memory: for tests, benchmarks and throwaway sessions. */
import type { LinkRecord, NodeRecord, ProcessUpdate, ProvenanceStore } from "./store.js";
import type { ReportLine } from "../model/events.js";

/** A stored node with its pk and the latest process update merged in. */
export type StoredNode = NodeRecord & { readonly pk: number } & ProcessUpdate;

/** Keeps every node, link and report in arrays; pks count up from 1. */
export class MemoryStore implements ProvenanceStore {
  readonly #nodes: StoredNode[] = [];
  readonly #links: LinkRecord[] = [];
  readonly #reports = new Map<number, ReportLine[]>();

  addNode(node: NodeRecord): number {
    const pk = this.#nodes.length + 1;
    this.#nodes.push({ ...node, pk });
    return pk;
  }

  updateProcess(pk: number, update: ProcessUpdate): void {
    const node = this.#nodes[pk - 1];
    if (node === undefined) throw new RangeError(`No node with pk ${pk}`);
    const attributes =
      update.attributes !== undefined && "attributes" in node
        ? { ...node.attributes, ...update.attributes }
        : undefined;
    this.#nodes[pk - 1] = {
      ...node,
      ...update,
      ...(attributes ? { attributes } : {}),
    } as StoredNode;
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

  /** The node with this pk. */
  node(pk: number): StoredNode | undefined {
    return this.#nodes[pk - 1];
  }

  /** Every node, in pk order. */
  nodes(): readonly StoredNode[] {
    return this.#nodes;
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
