/**
 * HMAC signatures of Jupyter messages. Verification compares digests in constant time, so a
 * forger learns nothing from how long a wrong guess took to reject.
 */
import { createHmac, getHashes, timingSafeEqual } from "node:crypto";

/** Signs and verifies the four JSON frames of a message. */
export interface Signer {
  /** The hex digest of the frames (empty when the connection has no key). */
  sign(frames: readonly Uint8Array[]): string;
  /** Whether `signature` is the right one for the frames. */
  verify(frames: readonly Uint8Array[], signature: string): boolean;
}

/**
 * A signer for `key` and a scheme such as `hmac-sha256`. An empty key means the connection is
 * unauthenticated (Jupyter's convention): messages then carry an empty signature.
 */
export function createSigner(key: string, scheme = "hmac-sha256"): Signer {
  const algorithm = scheme.replace(/^hmac-/, "");
  if (!scheme.startsWith("hmac-") || !getHashes().includes(algorithm)) {
    throw new Error(`unsupported signature scheme "${scheme}"`);
  }
  const sign = (frames: readonly Uint8Array[]): string => {
    if (key === "") return "";
    const hmac = createHmac(algorithm, key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  };
  return {
    sign,
    verify(frames, signature) {
      const expected = Buffer.from(sign(frames), "latin1");
      const given = Buffer.from(signature, "latin1");
      // timingSafeEqual needs equal lengths; the length of a hex digest is public anyway.
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
