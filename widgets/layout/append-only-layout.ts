/**
 * The layout of a live run: a node once placed never moves, so a graph growing under the
 * user's eyes stays readable (every full re-layout moves most nodes when the graph grows).
 * A new node's rank is the longest path from a source; its row is the free row of that rank
 * nearest the mean of its parents' rows. Placing costs O(parents + distance to a free row).
 */
import { drawableEdges, type DrawableGraph } from "../graph/drawable-graph.js";
import { topologicalOrder } from "./topological-order.js";
import {
  RANK_STEP,
  ROW_STEP,
  straightRoute,
  type EdgeRoute,
  type GraphLayout,
  type Point,
} from "./graph-layout.js";

/** Places nodes as they appear; keep one per live view and feed it each new snapshot. */
export class AppendOnlyLayout {
  readonly #centres = new Map<number, Point>();
  readonly #rank = new Map<number, number>();
  readonly #row = new Map<number, number>();
  /** The rows taken in each rank. */
  readonly #taken = new Map<number, Set<number>>();

  /** How many nodes have been placed. */
  get size(): number {
    return this.#centres.size;
  }

  /** Places the tasks not placed yet (parents first) and returns the whole layout. */
  update(graph: DrawableGraph): GraphLayout {
    const edges = drawableEdges(graph);
    const parents = new Map<number, number[]>();
    for (const edge of edges) {
      if (this.#centres.has(edge.to)) continue;
      const list = parents.get(edge.to);
      if (list === undefined) parents.set(edge.to, [edge.from]);
      else list.push(edge.from);
    }
    const fresh = graph.tasks.filter((t) => !this.#centres.has(t.id)).map((t) => t.id);
    for (const id of topologicalOrder(fresh, parents)) this.#place(id, parents.get(id) ?? []);
    const routes: EdgeRoute[] = edges.map((e) =>
      straightRoute(
        e.from,
        e.to,
        this.#centres.get(e.from) as Point,
        this.#centres.get(e.to) as Point,
      ),
    );
    return { nodes: this.#centres, edges: routes };
  }

  #place(id: number, parents: readonly number[]): void {
    let rank = 0;
    let rowSum = 0;
    let placedParents = 0;
    for (const parent of parents) {
      const parentRank = this.#rank.get(parent);
      if (parentRank === undefined) continue;
      rank = Math.max(rank, parentRank + 1);
      rowSum += this.#row.get(parent) ?? 0;
      placedParents++;
    }
    let taken = this.#taken.get(rank);
    if (taken === undefined) this.#taken.set(rank, (taken = new Set()));
    const row =
      placedParents === 0
        ? freeRowBelow(taken, 0)
        : nearestFreeRow(taken, Math.round(rowSum / placedParents));
    taken.add(row);
    this.#rank.set(id, rank);
    this.#row.set(id, row);
    this.#centres.set(id, { x: rank * RANK_STEP, y: row * ROW_STEP });
  }
}

/** The first free row at or below `start`: sources stack downwards like a list. */
function freeRowBelow(taken: ReadonlySet<number>, start: number): number {
  let row = start;
  while (taken.has(row)) row++;
  return row;
}

/** The free row nearest `target`, below before above on a tie. */
function nearestFreeRow(taken: ReadonlySet<number>, target: number): number {
  for (let distance = 0; ; distance++) {
    if (!taken.has(target + distance)) return target + distance;
    if (!taken.has(target - distance)) return target - distance;
  }
}
