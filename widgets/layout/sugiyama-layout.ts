/**
 * The layout of an ended run or a static graph: d3-dag's Sugiyama layout, turned so ranks
 * run left to right, with greedy coordinates (its default simplex takes minutes at 1,000
 * nodes). The other stages are picked from the graph's shape so 1,000 tasks take well under
 * a second: see {@link sugiyamaOperators}.
 */
import {
  coordGreedy,
  decrossDfs,
  decrossTwoLayer,
  graphStratify,
  layeringLongestPath,
  layeringSimplex,
  sugiyama,
  twolayerAgg,
} from "d3-dag";
import { drawableEdges, type DrawableEdge, type DrawableGraph } from "../graph/drawable-graph.js";
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  RANK_STEP,
  ROW_STEP,
  leftSide,
  rightSide,
  type EdgeRoute,
  type GraphLayout,
  type Point,
} from "./graph-layout.js";
import { topologicalOrder } from "./topological-order.js";

interface Row {
  readonly id: string;
  readonly parentIds: string[];
}

/** Lays the whole graph out at once; deterministic for the same graph. */
export function sugiyamaLayout(graph: DrawableGraph): GraphLayout {
  if (graph.tasks.length === 0) return { nodes: new Map(), edges: [] };
  const edges = drawableEdges(graph);
  const rows = new Map<number, Row>(
    graph.tasks.map((t) => [t.id, { id: String(t.id), parentIds: [] }]),
  );
  for (const edge of edges) rows.get(edge.to)?.parentIds.push(String(edge.from));
  const dag = graphStratify()([...rows.values()]);
  const { layering, decross } = sugiyamaOperators(
    graph.tasks.map((t) => t.id),
    edges,
  );
  sugiyama()
    .layering(layering === "longest-path" ? layeringLongestPath() : layeringSimplex())
    .decross(
      decross === "two-layer"
        ? decrossTwoLayer().order(twolayerAgg()).passes(2).inits([])
        : decrossDfs(),
    )
    .coord(coordGreedy())
    // d3-dag lays layers out top to bottom: its node width is our height, and the other way.
    .nodeSize([NODE_HEIGHT, NODE_WIDTH])
    .gap([ROW_STEP - NODE_HEIGHT, RANK_STEP - NODE_WIDTH])(dag);
  const nodes = new Map<number, Point>();
  for (const node of dag.nodes()) nodes.set(Number(node.data.id), { x: node.y, y: node.x });
  const routes: EdgeRoute[] = [];
  for (const link of dag.links()) {
    const from = Number(link.source.data.id);
    const to = Number(link.target.data.id);
    const inner = link.points.slice(1, -1).map(([x, y]): Point => ({ x: y, y: x }));
    const points = [
      rightSide(nodes.get(from) as Point),
      ...inner,
      leftSide(nodes.get(to) as Point),
    ];
    routes.push({ from, to, points });
  }
  return { nodes, edges: routes };
}

/**
 * Which stages suit a graph, from its longest-path ranks (measured at 1,000 nodes on a
 * shared 2-core machine): longest-path layering is cheap, but with many long edges the
 * dummy nodes it adds make greedy coordinates slow (1 s for a run-like graph with 700 of
 * them), where simplex layering keeps edges short (0.3 s). Two-layer crossing reduction
 * takes about 1 s on a layer 1,000 wide (a fan-out); depth-first order is 10× faster and
 * already keeps a fan's children together.
 */
export function sugiyamaOperators(
  ids: readonly number[],
  edges: readonly DrawableEdge[],
): { layering: "longest-path" | "simplex"; decross: "two-layer" | "depth-first" } {
  const parents = new Map<number, number[]>();
  for (const edge of edges) {
    const list = parents.get(edge.to);
    if (list === undefined) parents.set(edge.to, [edge.from]);
    else list.push(edge.from);
  }
  const rank = new Map<number, number>();
  const width = new Map<number, number>();
  const widen = (r: number): void => void width.set(r, (width.get(r) ?? 0) + 1);
  let dummies = 0;
  for (const id of topologicalOrder(ids, parents)) {
    const from = parents.get(id) ?? [];
    const own = Math.max(-1, ...from.map((p) => rank.get(p) ?? -1)) + 1;
    rank.set(id, own);
    widen(own);
    for (const p of from) {
      for (let r = (rank.get(p) ?? own) + 1; r < own; r++, dummies++) widen(r);
    }
  }
  const widest = Math.max(0, ...width.values());
  return {
    layering: dummies <= ids.length / 4 ? "longest-path" : "simplex",
    decross: widest <= 150 ? "two-layer" : "depth-first",
  };
}
