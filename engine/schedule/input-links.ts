/**
 * The INPUT links of a task: as it is called when its arguments are plain values, else as it
 * starts (run-journal.ts). Outputs of other tasks, data nodes, and plain values
 * (a primitive part that one input of the run holds is linked to that input's node, as whole
 * arguments are by their sources: `flow-values.ts`).
 */
import type { DataNode } from "../model/data-node.js";
import type { ProvenanceStore } from "../store/store.js";
import type { FlowInputValues } from "../author/flow-values.js";
import { literalParts, parameterName } from "./task-inputs.js";
import type { SharedLiterals } from "./shared-literals.js";
import type { TaskRun } from "./task-run.js";

/** Where a run's input links go, and how it stores a node (once; its pk). */
export interface InputLinkTarget {
  readonly store: ProvenanceStore;
  readonly literals: SharedLiterals;
  save(node: DataNode): number;
}

/** Links what `task` received (`args`, resolved) to its node. */
export function linkTaskInputs(
  target: InputLinkTarget,
  task: TaskRun,
  args: readonly unknown[],
  tasks: readonly TaskRun[],
  inputs: FlowInputValues,
): void {
  const { store, literals } = target;
  const sources = task.sources;
  if (sources.length === 0) {
    // plain values only (most calls of a large fan-out): each is linked whole
    const parameters = task.definition.parameters;
    for (let i = 0; i < args.length; i++) {
      const from = target.save(literals.node(args[i]));
      store.addLink({ from, to: task.pk, type: "INPUT", label: parameterName(parameters, i) });
    }
    return;
  }
  for (const source of sources) {
    const pk =
      source.from === "data"
        ? source.pk
        : target.save((tasks[source.task] as TaskRun).outputNode(source.socket));
    store.addLink({ from: pk, to: task.pk, type: "INPUT", label: source.path });
  }
  for (let i = 0; i < args.length; i++) {
    const label = parameterName(task.definition.parameters, i);
    // linked above as a whole: a future, a node, or an input's value
    if (task.sources.some((s) => s.path === label)) continue;
    const fromFutures = task.sources.some(
      (s) => s.path.startsWith(`${label}.`) || s.path.startsWith(`${label}[`),
    );
    if (fromFutures) {
      // the literal values beside the futures are inputs too: `sum([a.result, 1000, 5])`
      literalParts(
        task.args[i],
        label,
        (value, path) => {
          const from = target.save(inputs.nodeOfPrimitive(value) ?? literals.node(value));
          store.addLink({ from, to: task.pk, type: "INPUT", label: path });
        },
        (value) => inputs.nodeOfObject(value),
      );
      continue;
    }
    store.addLink({
      from: target.save(literals.node(args[i])),
      to: task.pk,
      type: "INPUT",
      label,
    });
  }
}
