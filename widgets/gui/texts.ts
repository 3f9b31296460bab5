/** Every message the page server shows a person, in one place. */

/** The body of a 401 answer. */
export const tokenMissing = () =>
  "401: this page needs the token of the URL workgraph printed (…/?token=…).\n";

/** A run the page asked for is not in the source. */
export const noSuchRun = (id: number) => `No run ${id} here (it may have been forgotten).`;

/** A message from the page that could not be read. */
export const badMessage = (problem: string) => `Bad message: ${problem}`;

/** What a message that is not JSON is called in {@link badMessage}. */
export const NOT_JSON = "not JSON";

/** A message from the page over the size limit (the socket closes after it). */
export const messageTooLarge = (bytes: number, limit: number) =>
  `Message too large: ${bytes.toLocaleString("en-US")} bytes; the limit is ${limit.toLocaleString("en-US")} bytes. The connection closes.`;

/** Why a run killed with the page's button ended. */
export const KILLED_FROM_PAGE = "killed from the live page";

/**
 * A stored run that nothing runs cannot be paused, played or killed from the page; `where` is
 * where the profile's submitted runs go (its daemon, or its broker's workers).
 */
export const notSubmitted = (pk: number, where: string) =>
  `Run ${pk} was not submitted to ${where}: only submitted runs (and runs of this process) can be paused, played or killed here.`;
