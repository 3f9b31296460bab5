import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // no test, nor a process it starts, may write to the real ~/.workgraph
    env: { WORKGRAPH_HOME: mkdtempSync(join(tmpdir(), "workgraph-tests-")) },
  },
});
