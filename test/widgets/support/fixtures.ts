/** Recorded graphs (times shifted to a fixed origin) and the golden files specs are checked against. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { format, resolveConfig } from "prettier";
import { expect } from "vitest";
import type { DrawableGraph } from "../../../widgets/index.js";

/** Set to 1 to write the golden files from what the code makes now. */
export const UPDATE_GOLDEN = process.env.WORKGRAPH_UPDATE_GOLDEN === "1";

/** The fixtures: three recorded runs (ended, failed, live) and a static graph. */
export const FIXTURES = ["add-multiply", "with-failure", "live-fan-out", "static-diamond"] as const;

/** The time "now" of every golden spec (running tasks are measured to it). */
export const FIXTURE_NOW = 1_764_000_000_500;

/** A recorded graph. */
export function fixture(name: (typeof FIXTURES)[number]): DrawableGraph {
  const file = new URL(`../fixtures/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, "utf8")) as DrawableGraph;
}

/** Checks `actual` against the golden file `name`, or writes it when updating. */
export async function expectGolden(name: string, actual: unknown): Promise<void> {
  const file = new URL(`../golden/${name}.json`, import.meta.url);
  if (UPDATE_GOLDEN) {
    const options = (await resolveConfig(file.pathname)) ?? {};
    writeFileSync(file, await format(JSON.stringify(actual), { ...options, parser: "json" }));
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`No golden file ${name}.json: run with WORKGRAPH_UPDATE_GOLDEN=1 to write it`);
  }
  expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(readFileSync(file, "utf8")));
}
