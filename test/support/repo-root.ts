/** The repository's root folder, for tests that start processes or read built files. */
import { fileURLToPath } from "node:url";

/** The repository's root folder (with a trailing slash). */
export const root = fileURLToPath(new URL("../..", import.meta.url));
