/** `workgraph profile create | list | show`: named stores, their storage and their broker. */
import type { ProfileConfig } from "../../engine/plumbing.js";
import { defineCommand, defineGroup, UsageError } from "../command.js";
import { COMMAND_SUMMARIES } from "../command-summaries.js";
import * as messages from "../messages.js";

// The engine is loaded by the sub-command that runs, not for `--help` or a usage error.
const plumbing = () => import("../../engine/plumbing.js");
type Plumbing = Awaited<ReturnType<typeof plumbing>>;

const STORAGE = /^(sqlite|postgres(ql)?:\/\/.+)$/i;
const BROKER = /^(rediss?|postgres(ql)?):\/\/.+$/i;

/** The lines `profile show` prints. */
function describe(
  { shownProfileConfig, profileFolder }: Plumbing,
  name: string,
  config: ProfileConfig,
): string {
  const shown = shownProfileConfig(config);
  const storage =
    shown.storage === "sqlite"
      ? `sqlite (${profileFolder(name)}/workgraph.sqlite)`
      : `postgresql ${shown.storage}`;
  return [
    `profile  ${name}`,
    `folder   ${profileFolder(name)}`,
    `storage  ${storage}`,
    `broker   ${shown.broker ?? "none (runs stay in this process)"}`,
  ].join("\n");
}

const create = defineCommand(
  {
    name: "create",
    summary: "create a profile whose store is SQLite (default) or PostgreSQL, with a broker",
    operands: [{ name: "NAME" }],
    options: {
      storage: {
        type: "string",
        value: "URL",
        help: "sqlite (default) or postgresql://user[:password]@host[:port]/db[?schema=name]",
      },
      broker: {
        type: "string",
        value: "URL",
        help: "redis://host[:port] or postgresql://… that carries flows and jobs to workers",
      },
    },
    examples: [
      "workgraph profile create lab --storage postgresql://wg@db.lab:5432/workgraph",
      "workgraph profile create farm --storage postgresql://wg@db/wg --broker redis://queue:6379",
    ],
    async run({ values, operands: [name = ""] }) {
      const engine = await plumbing();
      const { createProfile, maskUrl, profileExists } = engine;
      const storage = values.storage ?? "sqlite";
      if (!STORAGE.test(storage)) throw new UsageError(messages.badStorage(maskUrl(storage)));
      if (values.broker !== undefined && !BROKER.test(values.broker)) {
        throw new UsageError(messages.badBroker(maskUrl(values.broker)));
      }
      let exists: boolean;
      try {
        exists = profileExists(name);
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      if (exists) throw new UsageError(messages.profileExists(name));
      const config: ProfileConfig = {
        version: 1,
        storage,
        ...(values.broker !== undefined ? { broker: values.broker } : {}),
      };
      const file = createProfile(name, config);
      console.log(`Created profile ${name} (${file})\n${describe(engine, name, config)}`);
      return 0;
    },
  },
  "profile",
);

const list = defineCommand(
  {
    name: "list",
    summary: "list the profiles with their storage and broker (passwords masked)",
    options: {},
    examples: ["workgraph profile list"],
    async run() {
      const { listProfiles, profileConfig, shownProfileConfig, workgraphHome } = await plumbing();
      const names = listProfiles(workgraphHome());
      if (names.length === 0) {
        console.log(`No profile in ${workgraphHome()} yet (a run creates "default").`);
        return 0;
      }
      const rows = names.map((name) => {
        const shown = shownProfileConfig(profileConfig(name));
        return [name, shown.storage, shown.broker ?? "-"];
      });
      const width = (i: number) => Math.max(...rows.map((r) => (r[i] as string).length), 7);
      for (const row of [["NAME", "STORAGE", "BROKER"], ...rows]) {
        console.log(
          `${(row[0] as string).padEnd(width(0))}  ${(row[1] as string).padEnd(width(1))}  ${row[2]}`,
        );
      }
      return 0;
    },
  },
  "profile",
);

const show = defineCommand(
  {
    name: "show",
    summary: "show a profile's folder, storage and broker (passwords masked)",
    operands: [{ name: "NAME", optional: true }],
    options: {},
    examples: ["workgraph profile show", "workgraph profile show lab"],
    async run({ operands: [name = "default"] }) {
      const [engine, { existingProfilePath }] = await Promise.all([
        plumbing(),
        import("../store/open-profile.js"),
      ]);
      existingProfilePath(name);
      console.log(describe(engine, name, engine.profileConfig(name)));
      return 0;
    },
  },
  "profile",
);

/** `workgraph profile`: create, list and show profiles. */
export const profileCommand = defineGroup({
  name: "profile",
  summary: COMMAND_SUMMARIES["profile"],
  subcommands: [create, list, show],
});
