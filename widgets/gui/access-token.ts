/** The page's access token: random per server, required by every request and WebSocket. */
import { randomBytes, timingSafeEqual } from "node:crypto";

/** A new random token, safe in a URL. */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/**
 * Whether a request carries the token, as `?token=` in its URL (what links and the page's
 * own requests use) or as `Authorization: Bearer …`.
 */
export function carriesToken(
  url: string | undefined,
  authorization: string | undefined,
  token: string,
): boolean {
  const query = new URL(url ?? "/", "http://localhost").searchParams.get("token");
  const bearer = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
  return [query, bearer].some((given) => given != null && sameText(given, token));
}

// Compared in constant time, so the token cannot be guessed one character at a time.
function sameText(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
