/** Every message the engine shows a user, in one place, as typed functions. */
import type { TaskState } from "./states.js";

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function pkText(pk: number | undefined): string {
  return pk === undefined ? "" : ` (pk ${pk})`;
}

export const taskFailed = (
  task: string,
  pk: number | undefined,
  state: TaskState,
  cause: unknown,
) =>
  state === "FAILED"
    ? `Task ${task}${pkText(pk)} failed: ${describe(cause)}`
    : `Task ${task}${pkText(pk)} was ${state}: ${describe(cause)}`;

export const waitTimedOut = (ms: number, pending: readonly string[]) =>
  `waitFor timed out after ${ms} ms; still not done: ${pending.join(", ")}`;

export const taskTimedOut = (task: string, ms: number) =>
  `Task ${task} timed out after ${ms} ms and was stopped`;

export const runCancelled = (run: string, reason: string) => `Run ${run} was cancelled: ${reason}`;

export const notReady = (task: string, socket: string, state: TaskState) =>
  `${task}.${socket} has no value yet (task ${task} is ${state}): ` +
  `\`await waitFor(${task})\` before reading .value`;

export const jobProcessDied = (
  task: string,
  pid: number | undefined,
  code: number | null,
  signal: string | null,
) =>
  `The worker process${pid === undefined ? "" : ` ${pid}`} running job ${task} ` +
  (signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`) +
  " before the job finished";

export const unknownFlowInput = (flow: string, input: string, known: readonly string[]) =>
  `Flow ${flow} has no parameter "${input}"` +
  (known.length > 0 ? `; its parameters are: ${known.join(", ")}` : "; it takes no parameters");

export const missingFlowInput = (flow: string, input: string) =>
  `Flow ${flow} needs the input "${input}", which was not given`;

export const badEngineInputs = (details: string) =>
  `run(WorkGraphImperativeEngine, …) needs { inputs: { workgraph_data: { name, flow, function_inputs } } }: ${details}`;

export const inputNodeOutsideFlow = (input: string) =>
  `inputNode("${input}") was called outside a flow: call it inside the function given to run()`;

export const noSuchFlowInput = (flow: string, input: string, known: readonly string[]) =>
  `Run ${flow} has no input "${input}"` +
  (known.length > 0 ? `; its inputs are: ${known.join(", ")}` : "; it was given no inputs");

export const calledOutsideFlow = (task: string) =>
  `Task ${task} was called outside a flow: call it inside the function given to run()`;

export const calledInsideTask = (task: string, caller: string) =>
  `Task ${task} was called from inside task ${caller}: tasks cannot call tasks; call both from the flow`;

export const calledAfterEnd = (task: string, run: string, state: string) =>
  `Task ${task} was called after run ${run} ended (${state})`;

export const inputSchemaViolation = (task: string, input: string, issue: string) =>
  `Task ${task}: input "${input}" is invalid: ${issue}`;

export const outputSchemaViolation = (task: string, output: string, issue: string) =>
  `Task ${task}: output "${output}" is invalid: ${issue}`;

export const missingOutput = (task: string, output: string) =>
  `Task ${task} did not return its declared output "${output}"`;

export const outputsNotObject = (task: string, output: string, shown: string) =>
  output === "(all)"
    ? `Task ${task} returned ${shown}, not an object with its outputs`
    : `Task ${task}: output namespace "${output}" is ${shown}, not an object of outputs`;

export const dottedOutputKey = (task: string, output: string) =>
  `Task ${task} returned the dynamic output "${output}": a dynamic output's key may not contain "." (it separates namespaces)`;

export const badOutputName = (task: string, namespace: string, name: unknown) =>
  `Options of task ${task}: ${namespace === "" ? "outputs" : `output namespace "${namespace}"`} names ${JSON.stringify(name) ?? String(name)}; an output name is a non-empty string without "."`;

export const badOutputSpec = (task: string, namespace: string, what: string) =>
  `Options of task ${task}: ${namespace === "" ? "outputs" : `output namespace "${namespace}"`} is ${what}; expected a list of names, "dynamic", a zod record, or an object of schemas and namespaces`;

export const unknownOutput = (task: string, output: string, known: readonly string[]) =>
  `Task ${task} has no output "${output}"; its outputs are: ${known.length > 0 ? known.join(", ") : "(none: declare outputs, or use result)"}`;

export const missingDynamicOutput = (task: string, output: string, returned: readonly string[]) =>
  `Task ${task} did not return the output "${output}"; it returned: ${returned.length > 0 ? returned.join(", ") : "(none)"}`;

export const badShellCommand = (command: unknown) =>
  `task.shell(command) needs the executable's name or path as a non-empty string, not ${typeof command === "string" ? "an empty string" : typeof command}`;

export const reservedShellInput = (task: string, name: string) =>
  `task.shell ${task}: the placeholder {${name}} uses a reserved input name ("stdin" and "files" are written to the command, not into its arguments)`;

export const shellExited = (task: string, command: string, code: number, stderr: string) =>
  `Task ${task}: ${command} exited with code ${code}${stderr === "" ? "" : `: ${stderr}`}`;

export const shellKilled = (task: string, command: string, signal: string) =>
  `Task ${task}: ${command} was killed by ${signal}`;

export const shellNotStarted = (task: string, command: string, reason: string) =>
  `Task ${task}: the command "${command}" could not start: ${reason}`;

export const shellMissingInput = (task: string, name: string, given: readonly string[]) =>
  `Task ${task}: the arguments use {${name}}, but no input "${name}" was given; inputs given: ${given.length > 0 ? given.join(", ") : "(none)"}`;

export const shellUnknownInput = (task: string, name: string, known: readonly string[]) =>
  `Task ${task}: unknown input "${name}"; its arguments use: ${known.length > 0 ? known.map((k) => `{${k}}`).join(", ") : "(no placeholders)"} (and "stdin", "files")`;

export const shellBadInput = (task: string, name: string, what: string) =>
  `Task ${task}: input "${name}" is ${what}; a placeholder takes a string, number or boolean (an array fills several arguments when it is a whole argument)`;

export const shellMissingFile = (task: string, file: string) =>
  `Task ${task}: the command did not write its output file "${file}"`;

export const handlerExhausted = (handler: string, limit: number) =>
  `${handler} already retried ${limit} time${limit === 1 ? "" : "s"} (its maxRetries)`;

export const handlerThrew = (task: string, handler: string, error: string) =>
  `Task ${task}: its ${handler} threw ${error}`;

export const handlerBadRetry = (task: string, handler: string) =>
  `Task ${task}: its ${handler} returned { retry } without an object of inputs (use { retry: {} } to retry with the same inputs)`;

export const handlerUnknownInput = (task: string, input: string, known: readonly string[]) =>
  `Task ${task}: a handler asked to retry with input "${input}", which the task does not have; its inputs are: ${known.join(", ") || "(none)"}`;

export const handlerRetries = (
  task: string,
  handler: string,
  code: number | null,
  error: string,
  inputs: string,
) =>
  `Task: ${task} failed (${code === null ? "" : `exit code ${code}, `}${error}); ${handler}: retry${inputs === "" ? "" : ` with ${inputs}`}.`;

export const handlerGivesUp = (
  task: string,
  handler: string,
  code: number | null,
  reason: string,
) =>
  `Task: ${task} failed${code === null ? "" : ` with exit code ${code}`}; ${handler} gave up: ${reason}.`;

export const notSerialisable = (task: string, input: string, path: string, what: string) =>
  `Task ${task}: input "${input}" cannot be sent to a job process: ${path} is ${what}; ` +
  "a job receives only plain data (numbers, strings, booleans, null, arrays, plain objects, " +
  "Date, Map, Set, typed arrays, bigint)";

export const capturesOuterVariables = (task: string, names: readonly string[]) =>
  `Job ${task} uses ${names.map((n) => `"${n}"`).join(", ")} from outside the function; ` +
  "a job runs in a separate process and receives only its source and inputs: " +
  "pass these values as inputs, or define them (or require() them) inside the function";

export const notAFunction = (what: string) => `task() needs a function, got ${what}`;

export const nativeFunction = (task: string) =>
  `Job ${task} has no source code (a native or bound function) and cannot be sent to a worker process`;

export const unknownInputSchemaKey = (task: string, key: string, params: readonly string[]) =>
  `Task ${task}: the input schema names "${key}", which is not a parameter (${params.join(", ")})`;

export const unparsableJobSource = (task: string, detail: string) =>
  `Job ${task}: its source text could not be read as a function (${detail}); ` +
  "define the job as a function, an arrow function or a method";

export const unsendableResult = (task: string, path: string, what: string) =>
  `Job ${task} returned something that cannot be sent back from its worker process: ` +
  `${path} is ${what}; a job returns only plain data (numbers, strings, booleans, null, ` +
  "arrays, plain objects, Date, Map, Set, typed arrays, bigint, errors)";

export const jobPoolClosed = (task: string) =>
  `Job ${task} did not finish: its job pool was closed`;

export const foreignFuture = (task: string, path: string, producer: string) =>
  `Task ${task}: input ${path} is a future of task ${producer} of another run that has not finished`;

export const unknownOption = (where: string, option: string, suggestion: string | undefined) =>
  `Options of ${where}: unknown option "${option}"${suggestion !== undefined ? `; did you mean "${suggestion}"?` : ""}`;

export const missingPart = (task: string, part: string, value: string) =>
  `Task ${task} has no ${part}: the value is ${value}`;

export const notAFlow = (what: string) => `task.flow() needs a flow function, got ${what}`;

export const runPaused = (run: string) =>
  `Run ${run} paused: no task starts until it is played; running tasks finish.`;

export const runPlayed = (run: string) => `Run ${run} played: ready tasks start again.`;

export const childRunOption = (run: string, option: string, parent: string) =>
  `run() of ${run} inside flow ${parent} is a child run: it uses the parent's store and jobs, so "${option}" cannot be given to it`;

export const graphInvalid = (graph: string, problems: readonly string[]) =>
  `WorkGraph ${graph} cannot run: ${problems.join("; ")}`;

export const unknownTaskInput = (task: string, input: string, known: readonly string[]) =>
  `task ${task} has no input "${input}"; its inputs are: ${known.join(", ") || "(none)"}`;

export const unknownTaskOutput = (task: string, output: string, known: readonly string[]) =>
  `task ${task} has no output "${output}"; its outputs are: ${known.join(", ")}`;

export const missingTaskInput = (task: string, input: string) =>
  `input "${input}" of task ${task} is neither given nor linked`;

export const inputTwice = (task: string, input: string) =>
  `input "${input}" of task ${task} is already given or linked`;

export const graphCycle = (tasks: readonly string[]) =>
  `a cycle runs through ${tasks.join(" -> ")}`;

export const notATaskFunction = (what: string) =>
  `addTask() needs a task (task(fn), task.job(fn), task.flow(fn)) or a WorkGraph, got ${what}`;

export const foreignSocket = (graph: string, task: string) =>
  `task ${task} belongs to another WorkGraph than ${graph}`;

export const duplicateTaskName = (graph: string, task: string) =>
  `WorkGraph ${graph} already has a task named ${task}`;
