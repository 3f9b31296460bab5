/** `workgraph gui`: serves the live page over a profile's store until interrupted. */
import { existsSync } from "node:fs";
import { defineCommand, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import { profileOption } from "../store/store-args.js";

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number, not "${text}"`);
  }
  return port;
}

/**
 * The store file of the profile to show. The default profile, or any profile in a home that
 * has none yet, is made empty when missing (the page then says there are no runs yet); another
 * missing name is an error naming the existing ones, as a typo should be.
 */
async function pageProfile(name: string | undefined): Promise<string> {
  const [{ openProfile }, { existingProfilePath, existingProfiles }] = await Promise.all([
    import("../../engine/index.js"),
    import("../store/open-profile.js"),
  ]);
  if (name === undefined || existingProfiles().length === 0) {
    let profile;
    try {
      profile = openProfile(name ?? "default");
    } catch (error) {
      // a name that cannot be a profile's (a path, say)
      if (error instanceof TypeError) throw new UsageError(error.message);
      throw error;
    }
    profile.store.close();
    return profile.path;
  }
  return existingProfilePath(name);
}

/** `workgraph gui`: the live page of a profile's runs. */
export const gui = defineCommand({
  name: "gui",
  summary: COMMAND_SUMMARIES["gui"],
  options: {
    port: { type: "string", value: "N", help: "the port on 127.0.0.1 (default: a free one)" },
    ...profileOption,
    store: { type: "string", value: "FILE", help: "a store file instead of a profile's" },
  },
  examples: ["workgraph gui", "workgraph gui --port 8765 --profile lab"],
  async run({ values }) {
    const port = values.port !== undefined ? parsePort(values.port) : undefined;
    // The engine and the page are loaded here, not at the top: `--help` and a usage error
    // load none of them.
    const { openReadOnly, PostgresStore, profileConfig } = await import("../../engine/plumbing.js");
    const file = values.store ?? (await pageProfile(values.profile));
    const storage = values.store === undefined ? profileConfig(values.profile).storage : "sqlite";
    if (storage === "sqlite" && !existsSync(file)) {
      console.error(`workgraph gui: no store at ${file}; runs made with that profile create it.`);
      return 1;
    }
    const { startGui, StoredRunSource } = await import("../../widgets/index.js");
    // Read-only: the page never writes, and another process may be writing this file.
    const reader = storage === "sqlite" ? openReadOnly(file) : new PostgresStore(storage);
    const server = await startGui({
      // the page's buttons reach the runs as `workgraph process` does: the profile's daemon,
      // or the workers of its broker
      source: new StoredRunSource(
        reader,
        values.store === undefined ? { profile: values.profile ?? "default" } : {},
      ),
      ...(port !== undefined ? { port } : {}),
    });
    const where = reader instanceof PostgresStore ? reader.file : file;
    console.log(`workgraph gui: ${server.url}\n(store ${where}; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    reader.close();
    return 0;
  },
});
