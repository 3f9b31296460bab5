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
    env: {
      // no test, nor a process it starts, may write to the real ~/.workgraph
      WORKGRAPH_HOME: mkdtempSync(join(tmpdir(), "workgraph-tests-")),
      // job processes and the PostgreSQL store's thread start from dist/, built from this
      // source by the global setup, not from TypeScript through tsx (0.5 s a fork, not 1.2)
      WORKGRAPH_BUILT_WORKERS: "1",
    },
  },
});
