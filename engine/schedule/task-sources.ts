/** Where a new task's inputs come from: tasks of the same run, or stored data. */
import { FlowContextError } from "../model/errors.js";
import * as messages from "../model/messages.js";
import type { DataNode } from "../model/data-node.js";
import type { InputSource } from "../model/events.js";
import type { TaskDefinition } from "../author/task-definition.js";
import { partText } from "../author/task-socket.js";
import { onlyPlainValues, scanArguments, type InputLookup } from "./task-inputs.js";
import { TaskRun } from "./task-run.js";

const NO_SOURCES: readonly InputSource[] = Object.freeze([]);
const NO_PRODUCERS: readonly TaskRun[] = Object.freeze([]);
const NO_STORED: readonly StoredSource[] = Object.freeze([]);

/** A new task's input sources, the tasks it waits for, and whether it has futures at all. */
export interface TaskSources {
  readonly sources: InputSource[];
  readonly producers: TaskRun[];
  readonly hasFutures: boolean;
}

/**
 * Finds the sources of a call's arguments. A future of this run is an edge; a data node, or a
 * finished future of another run, is stored data; an unfinished future of another run cannot
 * be waited for here and is refused.
 */
export function findSources(
  definition: TaskDefinition,
  args: readonly unknown[],
  tasks: readonly TaskRun[],
  save: (node: DataNode) => number,
  inputs?: InputLookup,
): TaskSources {
  // most calls of a large run have plain arguments: nothing is made for them
  if (onlyPlainValues(args, inputs)) return PLAIN;
  let sources: InputSource[] = NO_SOURCES as InputSource[];
  let producers: TaskRun[] = NO_PRODUCERS as TaskRun[];
  const hasFutures = scanArguments(
    args,
    definition.parameters,
    (found) => {
      if (sources === NO_SOURCES) sources = [];
      if (found.kind === "data") {
        sources.push({ from: "data", pk: save(found.node), path: found.path });
        return;
      }
      const producer = found.socket.task;
      const socket = found.socket.name;
      if (producer instanceof TaskRun && tasks[producer.id] === producer) {
        const path = found.path;
        const part = found.socket.path.length > 0 ? partText(found.socket.path) : undefined;
        sources.push(
          part === undefined
            ? { from: "task", task: producer.id, socket, path }
            : { from: "task", task: producer.id, socket, path, part },
        );
        if (producers === NO_PRODUCERS) producers = [];
        producers.push(producer);
      } else if (producer.state === "FINISHED") {
        sources.push({ from: "data", pk: save(producer.outputNode(socket)), path: found.path });
      } else {
        throw new FlowContextError(
          definition.name,
          messages.foreignFuture(definition.name, found.path, producer.name),
        );
      }
    },
    inputs,
  );
  return { sources, producers, hasFutures };
}

/** The sources of a call whose arguments are all plain values (shared: nobody changes them). */
const PLAIN: TaskSources = Object.freeze({
  sources: NO_SOURCES as InputSource[],
  producers: NO_PRODUCERS as TaskRun[],
  hasFutures: false,
});

/** A task an input of a new task comes from, as stored on the new task's node. */
export interface StoredSource {
  /** The producing task's pk. */
  readonly task: number;
  readonly socket: string;
  /** The input's path (`x`, `values[2]`). */
  readonly input: string;
}

/** The sources of a new task that are tasks of the run, as stored on its node. */
export function storedSources(
  sources: readonly InputSource[],
  tasks: readonly TaskRun[],
): readonly StoredSource[] {
  if (sources.length === 0) return NO_STORED;
  const stored: StoredSource[] = [];
  for (const source of sources) {
    const producer = source.from === "task" ? tasks[source.task] : undefined;
    if (source.from === "task" && producer !== undefined) {
      // Keys in sorted order: the stored text (canonical JSON) is then the object as it is.
      stored.push({ input: source.path, socket: source.socket, task: producer.pk });
    }
  }
  return stored;
}
