/**
 * The kernel's public API: what notebook code calls to show outputs and talk to widgets.
 * The kernel itself starts from `main.ts`; notebooks import all of this as `"workgraph"`.
 */
export {
  display,
  updateDisplay,
  clearOutput,
  registerCommTarget,
  openComm,
} from "./runtime/cell-api.js";
export type {
  DisplayOptions,
  UpdateDisplayOptions,
  ClearOutputOptions,
} from "./runtime/cell-api.js";
export type { Comm, CommData, CommTarget } from "./runtime/cell-scope.js";
