/**
 * Turns a stored flow reference back into a flow function where the run executes: a module's
 * export is imported by path and name; a flow sent as source is compiled with the definitions
 * it uses, tasks rebuilt with `task()`/`task.job()` of this process's engine.
 */
import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { task } from "../author/task.js";
import { GraphBuilder } from "../author/graph-builder.js";
import type { TaskOptions } from "../author/task-definition.js";
import { WorkgraphError } from "../model/errors.js";
import type { Flow } from "../schedule/run.js";
import * as messages from "./messages.js";
import type { FlowReference, SourceDefinition } from "./submission.js";

/** The flow a reference stands for; throws a WorkgraphError saying what is missing. */
export async function loadFlow(
  reference: FlowReference,
  packageEntry: Readonly<Record<string, unknown>>,
): Promise<Flow> {
  if (reference.kind === "source")
    return compileFlow(reference.source, reference.definitions, packageEntry);
  const specifier = isAbsolute(reference.module)
    ? pathToFileURL(reference.module).href
    : reference.module;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new WorkgraphError(messages.moduleGone(reference.module, detail));
  }
  if (!Object.hasOwn(namespace, reference.export)) {
    throw new WorkgraphError(messages.exportGone(reference.module, reference.export));
  }
  const flow = namespace[reference.export];
  // a WorkGraph exported from a module runs as the flow generated from it
  if (flow instanceof GraphBuilder) return flow.toFlow();
  if (typeof flow !== "function") {
    throw new WorkgraphError(
      messages.notAFlowExport(reference.module, reference.export, typeof flow),
    );
  }
  return flow as Flow;
}

const requireHere = createRequire(import.meta.url);

/** Compiles a flow sent as source, in a scope holding exactly the definitions it named. */
function compileFlow(
  source: string,
  definitions: readonly SourceDefinition[],
  packageEntry: Readonly<Record<string, unknown>>,
): Flow {
  const values = definitions.map((definition) => {
    switch (definition.kind) {
      case "value":
        return JSON.parse(definition.source) as unknown;
      case "module":
        if (definition.source === "workgraph") return packageEntry;
        if (definition.source.startsWith("workgraph:")) {
          return packageEntry[definition.source.slice("workgraph:".length)];
        }
        return requireHere(definition.source) as unknown;
      default:
        return undefined;
    }
  });
  const makers = { task: task, job: task.job, shell: task.shell };
  const lines = definitions.map((definition, index) => {
    if (definition.kind === "task" || definition.kind === "job") {
      return `const ${definition.name} = __make.${definition.kind}((${definition.source}), __options[${index}]);`;
    }
    if (definition.kind === "shell") {
      return `const ${definition.name} = __make.shell(${JSON.stringify(definition.source)}, __options[${index}]);`;
    }
    if (definition.kind === "flow") return `const ${definition.name} = (${definition.source});`;
    return `const ${definition.name} = __values[${index}];`;
  });
  const options = definitions.map((d) => (d.options ?? {}) as TaskOptions);
  const body = `"use strict";\n${lines.join("\n")}\nreturn (${source});`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the flow was sent as source to be compiled here
  const build = new Function("__make", "__options", "__values", body) as (
    make: typeof makers,
    options: readonly TaskOptions[],
    values: readonly unknown[],
  ) => Flow;
  return build(makers, options, values);
}
