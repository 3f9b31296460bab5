/** Which layout a graph gets: live runs grow in place, the rest are laid out as a whole. */
import { isLive, type DrawableGraph } from "../graph/drawable-graph.js";
import { AppendOnlyLayout } from "./append-only-layout.js";
import type { GraphLayout } from "./graph-layout.js";
import { sugiyamaLayout } from "./sugiyama-layout.js";

/** How to lay a graph out: `auto` picks append-only for a live run, Sugiyama otherwise. */
export type LayoutChoice = "auto" | "append-only" | "sugiyama" | AppendOnlyLayout;

/** Lays a graph out as chosen; pass an {@link AppendOnlyLayout} to keep a live view stable. */
export function layoutFor(graph: DrawableGraph, choice: LayoutChoice = "auto"): GraphLayout {
  if (choice instanceof AppendOnlyLayout) return choice.update(graph);
  if (choice === "sugiyama" || (choice === "auto" && !isLive(graph))) {
    return sugiyamaLayout(graph);
  }
  return new AppendOnlyLayout().update(graph);
}
