/** How long a store may stay out of reach before the runs writing to it end. */

/**
 * The time a store may stay out of reach (its file locked by another process, its server
 * down) before the runs writing to it end, unless told: in ms.
 */
export const DEFAULT_UNAVAILABLE_AFTER_MS = 60_000;

/** The time a store may stay out of reach: `WORKGRAPH_STORE_WAIT_MS`, else the default. */
export function unavailableAfterMsFromEnv(): number {
  const text = process.env.WORKGRAPH_STORE_WAIT_MS;
  const ms = text === undefined ? NaN : Number(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_UNAVAILABLE_AFTER_MS;
}
