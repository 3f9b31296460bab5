/**
 * The `workgraph` package: the engine (tasks, flows, runs, provenance) and the cell API of
 * its Jupyter kernel (`display`, `updateDisplay`, `clearOutput`, comms). The views of a run
 * are the `workgraph/widgets` entry; the kernel process starts from `kernel/main.ts`.
 */
export * from "./engine/index.js";
export * from "./kernel/index.js";
