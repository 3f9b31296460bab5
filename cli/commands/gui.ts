/** `workgraph gui`: serves the live page over a profile's store until interrupted. */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { profilePath } from "../../engine/store/open-profile.js";
import { SqliteReader } from "../../engine/store/sqlite/sqlite-reader.js";
import type { Command } from "../command.js";
import { UsageError } from "../command.js";

interface GuiArgs {
  readonly port: number | undefined;
  readonly profile: string;
  readonly store: string | undefined;
}

export const gui: Command = {
  name: "gui",
  summary: "serve the live page (runs, DAG, timeline, tasks) of a profile's store",
  usage: "workgraph gui [--port N] [--profile P] [--store FILE]",
  async run(args) {
    const options = parseArgs(args);
    const file = storeFile(options);
    if (!existsSync(file)) {
      console.error(`workgraph gui: no store at ${file}; runs made with that profile create it.`);
      return 1;
    }
    // Loaded here, not at the top: other commands need none of the page's dependencies.
    const { startGui } = await import("../../widgets/gui/gui-server.js");
    const { StoredRunSource } = await import("../../widgets/gui/stored-run-source.js");
    // Read-only: the page never writes, and another process may be writing this file.
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const server = await startGui({
      source: new StoredRunSource(new SqliteReader(db)),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    console.log(`workgraph gui: ${server.url}\n(store ${file}; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    db.close();
    return 0;
  },
};

function parseArgs(args: readonly string[]): GuiArgs {
  let port: number | undefined;
  let profile = "default";
  let store: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (flag !== "--port" && flag !== "--profile" && flag !== "--store") {
      throw new UsageError(`unknown argument "${flag}"`);
    }
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    i++;
    if (flag === "--port") {
      port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new UsageError(`--port must be a port number, not "${value}"`);
      }
    } else if (flag === "--profile") profile = value;
    else store = value;
  }
  return { port, profile, store };
}

/** The profile's store file, or the one given; a bad profile name is a usage error. */
function storeFile(options: GuiArgs): string {
  try {
    return profilePath(options.profile, options.store !== undefined ? { file: options.store } : {});
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
