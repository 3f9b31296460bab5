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
