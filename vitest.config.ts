import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest (40 s to 8 min each, one at a time on a busy 2-core machine),
 * longest first. They start before every other file: a long file that starts last leaves the
 * other workers idle while it runs.
 */
const LONGEST = [
  "test/notebooks/notebooks.test.ts",
  "test/durable/broker-faults.test.ts",
  "test/durable/profile-workers.test.ts",
  "test/durable/profile-control.test.ts",
  "test/durable/profile-gui.test.ts",
  "test/kernel/jupyter-clients.test.ts",
  "test/cli/run-notebook.test.ts",
  "test/cli/store-commands.test.ts",
  "test/notebooks/notebook-page.test.ts",
  "test/cli/run-notebook-signals.test.ts",
  "test/widgets/gui-runs.test.ts",
  "test/store/archive-scale.test.ts",
  "test/store/large-run.test.ts",
  "test/cli/command-line.test.ts",
  "test/notebooks/run-pictures.test.ts",
];

/** The longest files first (in LONGEST's order), then vitest's own order. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const i = LONGEST.indexOf(relative(import.meta.dirname, file.moduleId));
      return i === -1 ? LONGEST.length : i;
    };
    // a stable sort: files of the same rank keep vitest's order
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Most files spend their time waiting on processes they start (kernels, workers,
    // databases), not on the CPU: two files at a time on 2 cores, where vitest's default
    // (cores - 1) runs one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
    // each file's own WORKGRAPH_HOME
    setupFiles: ["test/file-home.ts"],
    env: {
      // job processes and the PostgreSQL store's thread start from dist/, built from this
      // source by the global setup, not from TypeScript through tsx (0.5 s a fork, not 1.2)
      WORKGRAPH_BUILT_WORKERS: "1",
    },
  },
});
