/** The attributes a task node is stored with, shared by every call of a task. */
import type { TaskDefinition } from "../author/task-definition.js";
import { layoutText } from "../author/output-layout.js";

const attributeCache = new WeakMap<TaskDefinition, Readonly<Record<string, unknown>>>();

/** The attributes every call of a task shares, made once per task definition. */
export function taskAttributes(definition: TaskDefinition): Readonly<Record<string, unknown>> {
  let attributes = attributeCache.get(definition);
  if (attributes === undefined) {
    attributes = Object.freeze({
      function: definition.fn.name,
      ...(definition.outputLayout !== undefined && definition.kind !== "flow"
        ? { outputs: layoutText(definition.outputLayout) }
        : {}),
      ...(definition.timeoutMs !== undefined ? { timeout: definition.timeoutMs } : {}),
      ...(definition.retries > 0 ? { retries: definition.retries } : {}),
      ...(definition.shell !== undefined
        ? {
            command: definition.shell.command,
            args: definition.shell.args,
            okExitCodes: definition.shell.okExitCodes,
          }
        : {}),
      ...(definition.handlers !== undefined
        ? { handlers: definition.handlers.map((h, i) => h.name ?? `handler ${i + 1}`) }
        : {}),
    });
    attributeCache.set(definition, attributes);
  }
  return attributes;
}
