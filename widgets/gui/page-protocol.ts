/**
 * The page's WebSocket protocol. What the browser sends is checked with zod (anything else is
 * answered with an error message, never trusted); what the server sends is typed here.
 */
import { z } from "zod";
import type { TopLevelSpec } from "vega-lite";
import type { EdgeDatum, NodeDatum } from "../dag/dag-data.js";
import type { TimelineDatum } from "../timeline/timeline-data.js";
import type { RunAction, RunSummary, TaskDetail } from "./run-source.js";
import { NOT_JSON } from "./texts.js";
import { RUN_ACTIONS } from "./run-source.js";

/** A chart's width and height in pixels. */
export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

const id = z.number().int().nonnegative();

/** A message from the page. */
export const clientMessage = z.discriminatedUnion("type", [
  /** Send the list of runs (again). */
  z.object({ type: z.literal("runs") }),
  /** Show this run: its views at once, then their changes. */
  z.object({ type: z.literal("open"), run: id }),
  /** Send the details of one task. */
  z.object({ type: z.literal("task"), run: id, task: id }),
  /** Pause, play or kill a run. */
  z.object({ type: z.literal("control"), run: id, action: z.enum(RUN_ACTIONS) }),
  /** Find the child run of a flow task, to open it. */
  z.object({ type: z.literal("child"), run: id, task: id }),
]);

/** A message from the page, once checked. */
export type ClientMessage = z.infer<typeof clientMessage>;

/** A message to the page. */
export type ServerMessage =
  | { readonly type: "runs"; readonly runs: readonly RunSummary[] }
  | {
      readonly type: "graph";
      readonly run: number;
      readonly state: string;
      readonly dag: TopLevelSpec;
      readonly timeline: TopLevelSpec;
      /** The DAG's size at scale 1: the page scales it down to fit, keeping its aspect. */
      readonly size: ChartSize;
    }
  | {
      readonly type: "patch";
      readonly run: number;
      readonly state: string;
      /** Node rows that are new or changed. */
      readonly nodes: readonly NodeDatum[];
      /** New edge segments (a live layout never moves or removes one). */
      readonly edges: readonly EdgeDatum[];
      /** Timeline rows that are new or changed. */
      readonly tasks: readonly TimelineDatum[];
      /** The DAG's size at scale 1 now that it has grown. */
      readonly size: ChartSize;
    }
  | { readonly type: "task"; readonly run: number; readonly detail: TaskDetail | null }
  | { readonly type: "controlled"; readonly run: number; readonly action: RunAction }
  | {
      readonly type: "child";
      readonly run: number;
      readonly task: number;
      /** The flow task's child run, or null when it has none (yet). */
      readonly child: RunSummary | null;
    }
  | { readonly type: "error"; readonly message: string };

/** Reads a message from the page: the message, or what is wrong with it. */
export function parseClientMessage(text: string): ClientMessage | { readonly error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: NOT_JSON };
  }
  const parsed = clientMessage.safeParse(data);
  return parsed.success ? parsed.data : { error: z.prettifyError(parsed.error) };
}
