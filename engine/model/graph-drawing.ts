/**
 * Drawings of a run's graph for rich displays. The engine knows no views: whoever can draw
 * (the kernel, with the views in `widgets/`) registers a drawer, and a run, a stored run or a
 * `GraphDrawing` display through it; with none registered they display as text.
 *
 *   run / ProcessNode ─[Jupyter.display]─▶ drawGraph(graph, view) ─▶ drawer ─▶ MIME bundle
 */
import type { RunGraph } from "./run-graph.js";
import { displaySymbol, inspectSymbol, type MimeBundle } from "./symbols.js";

/** Which picture of a graph: its DAG, or its timeline. */
export type GraphView = "dag" | "timeline";

/** Draws a finished picture of a graph as a MIME bundle (a spec, an SVG, …). */
export type RunDrawer = (graph: RunGraph, view: GraphView) => Promise<MimeBundle>;

let drawer: RunDrawer | undefined;

/** Sets (or with undefined, removes) the drawer rich displays of graphs go through. */
export function setRunDrawer(next: RunDrawer | undefined): void {
  drawer = next;
}

/**
 * The bundle of a graph's picture, with `text` as its `text/plain`: a promise when a drawer
 * is registered (kernels await a display method's promise, as Deno's does), else the text.
 */
export function drawGraph(
  graph: RunGraph,
  view: GraphView,
  text: string,
): MimeBundle | Promise<MimeBundle> {
  if (drawer === undefined) return { "text/plain": text };
  return drawer(graph, view).then((bundle) => ({ ...bundle, "text/plain": text }));
}

/** A picture of a graph to display: `display(run.timeline())`. */
export class GraphDrawing {
  /** @internal Made by `run.timeline()`, `run.dag()` and their stored counterparts. */
  constructor(
    private readonly graph: () => RunGraph,
    /** Which picture. */
    readonly view: GraphView,
    private readonly text: string,
  ) {}

  /** The graph it draws, as it is now. */
  snapshot(): RunGraph {
    return this.graph();
  }

  [inspectSymbol](): string {
    return `<${this.view === "dag" ? "DAG" : "Timeline"} of ${this.text}>`;
  }

  [displaySymbol](): MimeBundle | Promise<MimeBundle> {
    return drawGraph(this.graph(), this.view, `${this.text} (${this.view})`);
  }
}
