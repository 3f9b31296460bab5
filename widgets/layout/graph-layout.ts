/**
 * Where a graph's nodes and edges go: ranks run left to right (a task right of every task it
 * depends on), rows top to bottom. Coordinates are pixels at scale 1; every node has the same
 * size, so a node placed once never changes size when longer names arrive.
 */

/** Width of a node's box, in pixels; longer names are cut to fit. */
export const NODE_WIDTH = 124;
/** Height of a node's box. */
export const NODE_HEIGHT = 26;
/** Distance between the centres of two neighbouring ranks (columns). */
export const RANK_STEP = 172;
/** Distance between the centres of two neighbouring rows. */
export const ROW_STEP = 40;

/** A point in layout pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The route of one edge: a polyline from the source's right side to the target's left side. */
export interface EdgeRoute {
  readonly from: number;
  readonly to: number;
  readonly points: readonly Point[];
}

/** A laid-out graph: each node's centre by task id, and each edge's route. */
export interface GraphLayout {
  readonly nodes: ReadonlyMap<number, Point>;
  readonly edges: readonly EdgeRoute[];
}

/** The straight route between two node centres, from side to side. */
export function straightRoute(from: number, to: number, a: Point, b: Point): EdgeRoute {
  return { from, to, points: [rightSide(a), leftSide(b)] };
}

/** The middle of a node's right side, where its outgoing edges start. */
export function rightSide(centre: Point): Point {
  return { x: centre.x + NODE_WIDTH / 2, y: centre.y };
}

/** The middle of a node's left side, where its incoming edges end. */
export function leftSide(centre: Point): Point {
  return { x: centre.x - NODE_WIDTH / 2, y: centre.y };
}
