/**
 * Temporary folders for tests, and a temporary WORKGRAPH_HOME so that no test (nor a child
 * process it starts) writes to the real ~/.workgraph.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/** A fresh empty folder under the system's temp folder. */
export function makeTempDir(prefix = "workgraph-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A temporary workgraph home, valid between this file's `beforeAll` and `afterAll`. */
export interface TempHome {
  /** The folder WORKGRAPH_HOME points at. */
  readonly path: string;
  /** The store file of a profile in this home. */
  profileFile(name?: string): string;
  /** A fresh empty folder inside the home, for scratch files. */
  scratch(prefix?: string): string;
}

/** Points WORKGRAPH_HOME at a new temp folder for this test file; restores and removes it after. */
export function useTempHome(): TempHome {
  let path = "";
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.WORKGRAPH_HOME;
    path = makeTempDir("workgraph-home-");
    process.env.WORKGRAPH_HOME = path;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.WORKGRAPH_HOME;
    else process.env.WORKGRAPH_HOME = previous;
    rmSync(path, { recursive: true, force: true });
  });
  return {
    get path() {
      if (path === "") throw new Error("useTempHome(): the home exists only while the tests run");
      return path;
    },
    profileFile: (name = "default") => join(path, name, "workgraph.sqlite"),
    scratch: (prefix = "scratch-") => mkdtempSync(join(path, prefix)),
  };
}
