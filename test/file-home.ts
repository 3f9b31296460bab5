/**
 * Runs before each test file (vitest's `setupFiles`): a WORKGRAPH_HOME of the file's own, so
 * that no test, nor a process it starts, writes to the real ~/.workgraph, and files that run at
 * the same time never share a default profile. Removed after the file.
 */
import { rmSync } from "node:fs";
import { afterAll } from "vitest";
import { makeTempDir } from "./support/temp-home.js";

const home = makeTempDir("workgraph-tests-");
process.env.WORKGRAPH_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));
