/** One colour per task state, shared by every view so a state looks the same everywhere. */
import { TASK_STATES, type TaskState } from "../../engine/index.js";

/** Fill colours light enough for dark labels, distinct for colour-blind readers too. */
export const STATE_COLOURS: Readonly<Record<TaskState, string>> = {
  PLANNED: "#d9d9d9",
  RUNNING: "#8cc4ec",
  FINISHED: "#93d18b",
  FAILED: "#f2938c",
  SKIPPED: "#f4d166",
  KILLED: "#c9a7d9",
};

/** The Vega-Lite colour encoding of `state`: every state in the legend, in lifecycle order. */
export function stateColour(legendTitle: string | null = null) {
  return {
    field: "state",
    type: "nominal",
    scale: { domain: [...TASK_STATES], range: TASK_STATES.map((s) => STATE_COLOURS[s]) },
    legend: { title: legendTitle, orient: "bottom", direction: "horizontal" },
  } as const;
}
