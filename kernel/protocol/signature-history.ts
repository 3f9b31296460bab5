/**
 * The signatures of recent messages, so a captured message sent again is not acted on twice.
 * jupyter_client keeps the same kind of history (`digest_history`) and refuses a duplicate.
 */

/** How many signatures are remembered: jupyter_client keeps up to 2^16 as well. */
export const SIGNATURE_HISTORY_SIZE = 65_536;

/** Remembers signatures; the oldest are forgotten first once `size` are held. */
export interface SignatureHistory {
  /** Records `signature`; false if it was seen before (a replay). */
  remember(signature: string): boolean;
}

/** A history of at most `size` signatures (insertion order; constant time per message). */
export function createSignatureHistory(size = SIGNATURE_HISTORY_SIZE): SignatureHistory {
  const seen = new Set<string>();
  return {
    remember(signature) {
      if (seen.has(signature)) return false;
      seen.add(signature);
      // A Set iterates in insertion order: its first entry is the oldest.
      if (seen.size > size) seen.delete(seen.values().next().value as string);
      return true;
    },
  };
}
