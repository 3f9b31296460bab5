/** What each command does, in the order `workgraph --help` lists them (read by the commands too). */
export const COMMAND_SUMMARIES = {
  example: "run the tutorial's three flows (job tasks) and print reports and results",
  process: "list runs, show a run or task, its report lines; pause, play, kill or watch a run",
  submit: "queue a module's exported flow for the profile's daemon or workers; prints the run's pk",
  daemon: "start, stop or restart the daemon that runs submitted flows; its status and log",
  worker: "take submitted flows and job tasks from the profile's broker (runs until stopped)",
  node: "show a stored node (data, task or run) by pk or uuid",
  archive: "export provenance to a JSON archive, or import one",
  profile: "create, list and show profiles (where runs are stored, and their broker)",
  kernel: 'install or uninstall the Jupyter kernel "TypeScript (workgraph)"',
  "run-notebook": "execute a notebook with the workgraph kernel; write it back and as an HTML page",
  gui: "serve the live page (runs, DAG, timeline, tasks) of a profile's store",
} as const;

/** A command's name. */
export type CommandName = keyof typeof COMMAND_SUMMARIES;
