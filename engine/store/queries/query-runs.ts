/** `queryRuns()`: stored runs by state, name and creation time, newest first. */
import { z } from "zod";
import { RUN_STATES } from "../../model/states.js";
import type { ProvenanceStore } from "../store.js";
import { ProcessNode } from "./process-node.js";
import { readerOf } from "./reader-of.js";

const instant = z.union([z.date(), z.number(), z.string()]).transform((v, ctx) => {
  const ms = new Date(v).getTime();
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: `not a date: ${String(v)}` });
    return z.NEVER;
  }
  return ms;
});

const querySchema = z.object({
  state: z.union([z.enum(RUN_STATES), z.array(z.enum(RUN_STATES))]).optional(),
  name: z.string().optional(),
  since: instant.optional(),
  until: instant.optional(),
  limit: z.number().int().positive().optional(),
  store: z.custom<ProvenanceStore>((v) => typeof v === "object" && v !== null).optional(),
});

/** Which runs {@link queryRuns} returns. */
export type RunQuery = z.input<typeof querySchema>;

/**
 * The stored runs that match, newest first.
 *
 * @example
 * queryRuns({ state: "FINISHED", name: "add_multiply", since: "2026-01-01", limit: 10 });
 */
export function queryRuns(query: RunQuery = {}): ProcessNode[] {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) throw new TypeError(`queryRuns(): ${z.prettifyError(parsed.error)}`);
  const { state, name, since, until, limit, store } = parsed.data;
  const reader = readerOf(store);
  const rows = reader.runs({
    ...(state !== undefined ? { states: typeof state === "string" ? [state] : state } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  return rows.map((row) => new ProcessNode(row, reader));
}
