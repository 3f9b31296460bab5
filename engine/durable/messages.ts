/** Every user-facing message of submitted (durable) runs. */

export const noSuchRun = (pk: number) => `There is no run with pk ${pk}`;

export const continuing = (run: string, finished: number, again: number) =>
  `Continuing run ${run}: ${finished} finished call${finished === 1 ? "" : "s"} kept, ` +
  `${again} unfinished call${again === 1 ? "" : "s"} run again.`;

export const notSubmitted = (pk: number) =>
  `Run ${pk} was not submitted to a daemon: it has no stored flow`;

export const moduleGone = (module: string, error: string) =>
  `Cannot import the flow's module ${module}: ${error}`;

export const exportGone = (module: string, name: string) =>
  `The module ${module} no longer exports a flow named ${name}`;

export const notAFlowExport = (module: string, name: string, what: string) =>
  `${module}#${name} is ${what}, not a flow function`;

export const daemonStarted = (profile: string, pid: number) =>
  `Started the workgraph daemon of profile ${profile} (pid ${pid}).`;

export const daemonUnreachable = (profile: string, detail: string) =>
  `The workgraph daemon of profile ${profile} could not be reached: ${detail}`;

export const brokerUnreachable = (profile: string, detail: string) =>
  `The broker of profile ${profile} could not queue the run: ${detail}`;

export const noFlowReference = (flow: string) =>
  `submit(): cannot tell where flow ${flow} comes from; export it from a module and pass ` +
  `{ module: import.meta.url }, or define it in a notebook cell`;

export const notExported = (flow: string, module: string) =>
  `submit(): ${module} does not export the flow ${flow}`;

export const unknownIdentifier = (flow: string, name: string) =>
  `submit(): flow ${flow} uses ${name}, which is not defined in the notebook, so it cannot be sent to the daemon`;

export const unsendableValue = (flow: string, name: string, what: string) =>
  `submit(): flow ${flow} captures ${name} (${what}), which cannot be sent to the daemon: ` +
  `only tasks, functions, plain data and the workgraph module travel; create it inside a task instead`;

export const taskWithHandlers = (flow: string, name: string) =>
  `submit(): flow ${flow} uses task ${name}, whose failure handlers cannot be sent to the daemon; ` +
  `export the flow from a module and pass { module: import.meta.url }`;

export const taskWithSchemas = (flow: string, name: string) =>
  `submit(): flow ${flow} uses task ${name}, whose zod schemas cannot be sent to the daemon; ` +
  `export the flow from a module and pass { module: import.meta.url }`;

export const unsendableInput = (graph: string, where: string) =>
  `submit(): WorkGraph ${graph} gives ${where} a value that cannot be sent to the daemon ` +
  `(only numbers, strings, booleans, null, arrays, plain objects and sockets travel)`;

export const graphWithFlow = (graph: string, task: string) =>
  `submit(): WorkGraph ${graph} holds ${task}, a flow or graph run as a child, which cannot be ` +
  `sent to the daemon as source; export the graph from a module and pass { module: import.meta.url }`;

export const notAGraphExport = (module: string, name: string) =>
  `submit(): ${module} does not export the WorkGraph ${name}`;

export const unparsableSource = (name: string, detail: string) =>
  `submit(): cannot read the source of ${name}: ${detail}`;
