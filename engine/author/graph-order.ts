/** A declarative graph's links and the order its tasks run in (Kahn's algorithm). */
import { isPlainObject } from "../model/data-node.js";
import { GraphSocket, type GraphInput, type WorkGraphTask } from "./graph-task.js";

/** A link: a socket feeding a task's input, at a path inside it (`values[1]`) or all of it. */
export interface GraphLink {
  readonly from: GraphSocket;
  readonly to: GraphInput;
  /** The input and where inside it: `x`, `values[1]`, `config.a`. */
  readonly path: string;
}

/** The sockets a task's given inputs hold, as links. */
export function linksOf(task: WorkGraphTask): GraphLink[] {
  const links: GraphLink[] = [];
  const walk = (value: unknown, input: string, path: string, depth: number): void => {
    if (value instanceof GraphSocket) {
      links.push({ from: value, to: task.input(input), path });
    } else if (depth < 32 && typeof value === "object" && value !== null) {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, input, `${path}[${i}]`, depth + 1));
      else if (isPlainObject(value)) {
        for (const [k, v] of Object.entries(value)) walk(v, input, `${path}.${k}`, depth + 1);
      }
    }
  };
  for (const [input, value] of task.given) walk(value, input, input, 0);
  return links;
}

/** The tasks in an order where each comes after those it takes inputs from, or a cycle. */
export function graphOrder(tasks: readonly WorkGraphTask[]): {
  order: WorkGraphTask[];
  cycle: string[] | undefined;
} {
  const waiting = new Map<WorkGraphTask, number>();
  const dependents = new Map<WorkGraphTask, WorkGraphTask[]>();
  for (const task of tasks) {
    const producers = new Set(
      linksOf(task)
        .map((l) => l.from.task)
        .filter((t) => t !== undefined),
    );
    waiting.set(task, producers.size);
    for (const p of producers) dependents.set(p, [...(dependents.get(p) ?? []), task]);
  }
  const order: WorkGraphTask[] = [];
  const ready = tasks.filter((t) => waiting.get(t) === 0);
  for (let t = ready.shift(); t !== undefined; t = ready.shift()) {
    order.push(t);
    for (const d of dependents.get(t) ?? []) {
      const left = (waiting.get(d) ?? 0) - 1;
      waiting.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  if (order.length === tasks.length) return { order, cycle: undefined };
  return { order, cycle: findCycle(tasks.filter((t) => !order.includes(t))) };
}

/** One cycle among tasks that never became ready, as task names (first repeated last). */
function findCycle(stuck: readonly WorkGraphTask[]): string[] {
  const start = stuck[0];
  if (start === undefined) return [];
  const path: WorkGraphTask[] = [];
  let at: WorkGraphTask | undefined = start;
  while (at !== undefined && !path.includes(at)) {
    path.push(at);
    at = linksOf(at)
      .map((l) => l.from.task)
      .find((t) => t !== undefined && stuck.includes(t));
  }
  const from = at === undefined ? 0 : path.indexOf(at);
  const cycle = path.slice(from).reverse();
  return [...cycle, cycle[0] as WorkGraphTask].map((t) => t.name);
}

/** A given input with every socket in it replaced by what `value` gives for it. */
export function inputValue(given: unknown, value: (socket: GraphSocket) => unknown): unknown {
  if (given instanceof GraphSocket) return value(given);
  if (typeof given !== "object" || given === null) return given;
  if (Array.isArray(given)) return given.map((v) => inputValue(v, value));
  if (isPlainObject(given)) {
    return Object.fromEntries(Object.entries(given).map(([k, v]) => [k, inputValue(v, value)]));
  }
  return given;
}

/** A task's inputs by name as the positional arguments of its function. */
export function positional(task: WorkGraphTask, named: ReadonlyMap<string, unknown>): unknown[] {
  if (task.openInputs) return [Object.fromEntries(named)];
  const args = task.inputNames.map((name) => named.get(name));
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return args;
}
