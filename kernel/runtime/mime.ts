/**
 * Values to MIME bundles. `text/plain` comes from `util.inspect`; an object with the
 * `Symbol.for("Jupyter.display")` method (Deno's convention) adds its own bundle.
 */
import { inspect } from "node:util";
import { displaySymbol, type MimeBundle } from "../../engine/index.js";
import type { DisplayContent } from "./cell-scope.js";

const mimeType = /^[\w.+-]+\/[\w.+-]+$/;

/** How a value prints as text. */
export function plainText(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 4, colors: false });
}

/** The bundle of an execute_result: `text/plain` plus the value's own bundle, if any. */
export function resultContent(value: unknown): DisplayContent {
  return resultFrom(value, now(callDisplay(value)));
}

/** As {@link resultContent}, waiting for a bundle the value draws (a run's DAG). */
export async function drawnResultContent(value: unknown): Promise<DisplayContent> {
  return resultFrom(value, await later(callDisplay(value)));
}

/**
 * What `display(x)` shows: the value's own bundle, or `x` itself when it is a bundle (an object
 * whose keys are all MIME types), or its text.
 */
export function displayContent(
  value: unknown,
  metadata: Readonly<Record<string, unknown>> = {},
): DisplayContent {
  return displayFrom(value, now(callDisplay(value)), metadata);
}

/**
 * What `display(x)` shows now, and, when `x` draws its bundle (a run's DAG), what replaces it
 * once drawn.
 */
export function drawnDisplayContent(
  value: unknown,
  metadata: Readonly<Record<string, unknown>> = {},
): { readonly now: DisplayContent; readonly drawn?: Promise<DisplayContent> } {
  const own = callDisplay(value);
  const first = displayFrom(value, now(own), metadata);
  if (!isPromise(own)) return { now: first };
  return { now: first, drawn: later(own).then((bundle) => displayFrom(value, bundle, metadata)) };
}

function resultFrom(value: unknown, own: MimeBundle | undefined): DisplayContent {
  return { data: { "text/plain": inspect(value, { depth: 4 }), ...own }, metadata: {} };
}

function displayFrom(
  value: unknown,
  own: MimeBundle | undefined,
  metadata: Readonly<Record<string, unknown>>,
): DisplayContent {
  if (own !== undefined) return { data: { "text/plain": plainText(value), ...own }, metadata };
  if (isMimeBundle(value)) return { data: value, metadata };
  return { data: { "text/plain": plainText(value) }, metadata };
}

/** Whether `value` is a plain object whose keys are all MIME types. */
export function isMimeBundle(value: unknown): value is MimeBundle {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => mimeType.test(key));
}

/** What an object's display method answers: a bundle, or a promise of one (Deno awaits it). */
function callDisplay(value: unknown): unknown {
  if (typeof value !== "object" && typeof value !== "function") return undefined;
  if (value === null) return undefined;
  const method = (value as { [displaySymbol]?: unknown })[displaySymbol];
  if (typeof method !== "function") return undefined;
  const answer: unknown = method.call(value);
  // a drawing that fails leaves the text: nothing must go unhandled
  if (isPromise(answer)) answer.then(undefined, () => undefined);
  return answer;
}

/** The bundle if it is there already. */
function now(answer: unknown): MimeBundle | undefined {
  return isMimeBundle(answer) ? answer : undefined;
}

/** The bundle once drawn; a drawing that fails gives none. */
async function later(answer: unknown): Promise<MimeBundle | undefined> {
  try {
    return now(await answer);
  } catch {
    return undefined;
  }
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Splits a bundle into what can travel as JSON and the MIME types that cannot. */
export function jsonSafe(bundle: MimeBundle): { data: MimeBundle; dropped: string[] } {
  const data: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [mime, value] of Object.entries(bundle)) {
    if (typeof value === "string" || isJson(value)) data[mime] = value;
    else dropped.push(mime);
  }
  return { data, dropped };
}

function isJson(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}
