/**
 * The daemon process: `node daemon-main.js --profile P --workers N`, started detached (its own
 * process group) by `workgraph daemon start` or by `submit()`. It holds the profile's pidfile,
 * serves the profile's socket, claims submitted runs, and writes what it does to its log.
 */
import { appendFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import * as packageEntry from "../index.js";
import { createJobPool } from "../execute/job-pool.js";
import { Daemon } from "./daemon.js";
import { daemonPaths } from "./daemon-paths.js";
import { openQueueStore } from "./queue-store.js";
import { serveDaemon } from "./daemon-server.js";
import { releasePidfile, takePidfile } from "./pidfile.js";
import { SqliteRunQueue } from "./sqlite-run-queue.js";

/** How often the daemon looks at the queue besides being woken (a submitter may have died). */
const QUEUE_CHECK_MS = 1000;

/** An exit code: another daemon holds the profile. */
export const ALREADY_RUNNING = 3;

function main(): void {
  const { values } = parseArgs({
    options: { profile: { type: "string" }, workers: { type: "string" } },
  });
  const profile = values.profile ?? "default";
  const workers = values.workers !== undefined ? Number(values.workers) : undefined;
  const paths = daemonPaths(profile);
  const log = (text: string): void =>
    appendFileSync(paths.log, `${new Date().toISOString()} [${process.pid}] ${text}\n`);
  const holder = takePidfile(paths.pidfile);
  if (holder !== undefined) {
    log(`not started: the daemon of profile ${profile} already runs (pid ${holder})`);
    process.exit(ALREADY_RUNNING);
  }
  rmSync(paths.socket, { force: true });
  const store = openQueueStore(profile);
  const jobs = createJobPool(workers !== undefined ? { size: workers } : {});
  const daemon = new Daemon({
    profile,
    store,
    queue: new SqliteRunQueue(store),
    jobs,
    packageEntry,
    log,
  });
  const stop = (why: string): void => {
    log(`stopping (${why}); unfinished runs stay for the next daemon`);
    daemon.stop();
    store.flush();
    rmSync(paths.socket, { force: true });
    releasePidfile(paths.pidfile);
    // exiting kills the job processes (the pool's exit hook); their runs are continued later
    process.exit(0);
  };
  const server = serveDaemon(daemon, paths.socket, () => setImmediate(() => stop("asked to")));
  server.on("listening", () => {
    log(`started: profile ${profile}, ${jobs.concurrency} workers, socket ${paths.socket}`);
    daemon.wake();
    setInterval(() => daemon.wake(), QUEUE_CHECK_MS);
  });
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => undefined);
}

main();
