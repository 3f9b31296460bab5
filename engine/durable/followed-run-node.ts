/**
 * What `orm.load(pk)` gives for a submitted run: the stored run (a `ProcessNode`: inputs,
 * tasks, outputs, reports) that also follows it live, from any process, like the handle
 * `submit()` returned: `events$`, `state`, `result()`, `pause()`, `play()`, `kill()`.
 */
import { basename, dirname } from "node:path";
import type { Observable } from "rxjs";
import type { EngineEvent } from "../model/events.js";
import type { RunResults } from "../schedule/run-handle.js";
import { ProcessNode } from "../store/queries/process-node.js";
import { setRunLoader } from "../store/queries/orm-load.js";
import type { NodeRow, ProvenanceReader } from "../store/reader.js";
import { loadedProfile } from "../store/profile.js";
import { profileConfig } from "../store/open-profile.js";
import { daemonPaths } from "./daemon-paths.js";
import { profileRuns } from "./profile-runs.js";
import type { RunLink } from "./run-link.js";
import { SubmittedRun, type SubmittedOutcome } from "./submitted-run.js";

/** A stored submitted run that follows the run live. */
export class FollowedRunNode extends ProcessNode {
  readonly #handle: SubmittedRun;

  constructor(row: NodeRow, reader: ProvenanceReader, link: RunLink) {
    super(row, reader);
    this.#handle = new SubmittedRun(row.pk, row.uuid, row.name ?? "flow", reader, link);
    // the stored state is a snapshot; this node's state is the run's, as last heard
    Object.defineProperty(this, "state", { get: () => this.#handle.state, enumerable: true });
  }

  /** Every event of the run (replayed from its start); completes when it ends. */
  get events$(): Observable<EngineEvent> {
    return this.#handle.events$;
  }

  /** Resolves when the run has ended, with how it ended. */
  get done(): Promise<SubmittedOutcome> {
    return this.#handle.done;
  }

  /** The results once FINISHED; rejects if it ended otherwise. */
  result(): Promise<RunResults<unknown>> {
    return this.#handle.result();
  }

  /** No new task starts. */
  pause(): Promise<void> {
    return this.#handle.pause();
  }

  /** Paused runs go on. */
  play(): Promise<void> {
    return this.#handle.play();
  }

  /** Ends the run KILLED. */
  kill(): Promise<void> {
    return this.#handle.kill();
  }
}

/** The profile loaded with this store, or whose folder holds the reader's file. */
function profileOf(reader: ProvenanceReader): string | undefined {
  const loaded = loadedProfile();
  if (loaded !== undefined && loaded.store === reader) return loaded.name;
  const file = (reader as { readonly file?: unknown }).file;
  if (typeof file !== "string" || file === ":memory:") return undefined;
  const folder = dirname(file);
  const profile = basename(folder);
  try {
    return daemonPaths(profile).folder === folder ? profile : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Submitted run `pk` of the store `reader` reads, followed live and commanded through the link
 * of `profile` (by default, the profile whose store `reader` is, when that can be told: a
 * PostgreSQL store cannot say which profile it belongs to); undefined if it is not one.
 */
export function followStoredRun(
  pk: number,
  reader: ProvenanceReader,
  profile: string | undefined = profileOf(reader),
): FollowedRunNode | undefined {
  const row = reader.node(pk);
  if (row?.type !== "run") return undefined;
  if (row.attributes === null || !row.attributes.includes('"durable":true')) return undefined;
  if (profile === undefined) return undefined;
  let link: RunLink;
  try {
    link = profileRuns(profile).link;
  } catch {
    return undefined; // a profile whose runs nothing runs (PostgreSQL without a broker)
  }
  return new FollowedRunNode(row, reader, link);
}

/**
 * Where the submitted runs of `reader`'s profile go, for messages: `the workers of profile
 * farm`, `the daemon of profile lab`, or `a daemon or a broker's workers` when the profile is
 * not known.
 */
export function submittedRunsGoTo(
  reader: ProvenanceReader,
  profile: string | undefined = profileOf(reader),
): string {
  if (profile === undefined) return "a daemon or a broker's workers";
  try {
    return profileConfig(profile).broker !== undefined
      ? `the workers of profile ${profile}`
      : `the daemon of profile ${profile}`;
  } catch {
    return `profile ${profile}`;
  }
}

setRunLoader((row, reader) => followStoredRun(row.pk, reader));
