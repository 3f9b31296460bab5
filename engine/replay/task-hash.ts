/**
 * Stable hashes of a task call: the code hash from the function's source (and its declared
 * outputs), the input hash from the canonical JSON of its resolved arguments. Equal calls give
 * equal keys in every process, so a store can find an earlier call by its key.
 */
import { hash } from "node:crypto";
import type { TaskDefinition } from "../author/task-definition.js";
import { canonicalJson } from "../store/canonical-json.js";
import { layoutText } from "../author/output-layout.js";

const codeHashes = new WeakMap<TaskDefinition, string>();

function sha256(text: string): string {
  // the one-shot form: a hash object per call costs more than the hashing of a short text
  return hash("sha256", text, "hex");
}

/** The hash of a task's code: its kind, source and declared outputs. */
export function codeHash(definition: TaskDefinition): string {
  let hash = codeHashes.get(definition);
  if (hash === undefined) {
    const source = definition.source ?? Function.prototype.toString.call(definition.fn);
    const layout = definition.outputLayout;
    const outputs = layout === undefined ? null : layoutText(layout);
    hash = sha256(`${definition.kind}\n${JSON.stringify(outputs)}\n${source}`);
    codeHashes.set(definition, hash);
  }
  return hash;
}

/** The hash of a call's resolved arguments. */
export function inputHash(args: readonly unknown[]): string {
  return sha256(canonicalJson(args));
}

/** The key that identifies a call: code hash and input hash. */
export function cacheKey(definition: TaskDefinition, args: readonly unknown[]): string {
  return `${codeHash(definition).slice(0, 32)}:${inputHash(args).slice(0, 32)}`;
}
