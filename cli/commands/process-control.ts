/**
 * `workgraph process pause | play | kill PK…` and `process watch PK`: commands to submitted
 * runs, carried out by the profile's daemon, and a run's report lines as they happen.
 */
import type { ReportLine } from "../../engine/index.js";
import { defineCommand, UsageError } from "../command.js";
import { parsePk, profileOption } from "../store/store-args.js";

type Action = "pause" | "play" | "kill";

const summaries: Readonly<Record<Action, string>> = {
  pause: "no new task of the runs starts; running tasks finish and are recorded",
  play: "paused runs go on",
  kill: "the runs end KILLED, every task terminal, their job processes stopped",
};

function control(action: Action) {
  return defineCommand(
    {
      name: action,
      summary: summaries[action],
      operands: [{ name: "PK", repeated: true, optional: false }],
      options: profileOption,
      examples: [`workgraph process ${action} 42`, `workgraph process ${action} 42 43`],
      async run({ values, operands }) {
        if (operands.length === 0) throw new UsageError("missing PK");
        const pks = operands.map((text) => parsePk(text));
        const profile = values.profile ?? "default";
        const { followRun, WorkgraphError } = await import("../../engine/index.js");
        let failed = 0;
        for (const pk of pks) {
          try {
            await followRun(pk, { profile })[action]();
            console.log(`${action}: run ${pk}`);
          } catch (error) {
            if (!(error instanceof WorkgraphError)) throw error;
            failed++;
            console.error(`workgraph process ${action}: ${error.message}`);
          }
        }
        return failed > 0 ? 1 : 0;
      },
    },
    "process",
  );
}

/** `process pause PK…` */
export const pause = control("pause");
/** `process play PK…` */
export const play = control("play");
/** `process kill PK…` */
export const kill = control("kill");

/** `process watch PK`: the run's stored report lines, then new ones as they happen, until it ends. */
export const watch = defineCommand(
  {
    name: "watch",
    summary: "a run's report lines as they happen, until it ends",
    operands: [{ name: "PK" }],
    options: profileOption,
    examples: ["workgraph process watch 42"],
    async run({ values, operands: [text] }) {
      const pk = parsePk(text);
      const profile = values.profile ?? "default";
      const [{ followRun, WorkgraphError }, { openStoreProfile }] = await Promise.all([
        import("../../engine/index.js"),
        import("../store/open-profile.js"),
      ]);
      let handle;
      try {
        handle = followRun(pk, { profile });
      } catch (error) {
        if (!(error instanceof WorkgraphError)) throw error;
        console.error(`workgraph process watch: ${error.message}`);
        return 1;
      }
      const seen = new Set<string>();
      const print = (line: ReportLine): void => {
        const key = `${line.at}|${line.step}|${line.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        console.log(line.text);
      };
      const { store } = openStoreProfile(profile);
      try {
        for (const line of store.reports(pk)) print(line);
      } finally {
        store.close();
      }
      handle.events$.subscribe((event) => {
        if (event.type === "report") print(event.line);
      });
      const outcome = await handle.done;
      console.log(`run ${pk} ended ${outcome.state}`);
      return outcome.state === "FINISHED" ? 0 : 1;
    },
  },
  "process",
);
