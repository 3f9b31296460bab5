/**
 * Where a run finds results it may reuse instead of running a task: the same call (position,
 * code hash, input hash) of the run it resumes, or any earlier FINISHED call with the same
 * key when caching. Failures are never reused: only FINISHED tasks match.
 *
 * A resumed run's stored outputs are read {@link READ_AHEAD} calls at a time: a store's read
 * first commits every row queued before it, so reading one call's outputs as each call is made
 * committed the rows of every call, one by one (a 100,000-task run resumed in ~90 s, nearly all
 * of it waiting on those commits). The previous run's outputs never change, so reading them
 * ahead returns what reading them at the call would.
 */
import { valueFromSockets, type OutputLayout } from "../author/output-layout.js";
import { WorkgraphError } from "../model/errors.js";
import type { NodeRow, ProvenanceReader } from "../store/reader.js";
import { parseCanonicalJson } from "../store/canonical-json.js";

/** A stored result that a call may take over. */
export interface Reusable {
  /** The task node whose outputs are reused. */
  readonly pk: number;
  readonly how: "resume" | "cache";
  /** Output values by socket name. */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** The stored output nodes' pks by socket name. */
  readonly outputPks: ReadonlyMap<string, number>;
}

/** How many of the resumed run's calls have their outputs read at once. */
const READ_AHEAD = 1_024;

/** Looks up reusable results for the calls of one run. */
export class ReplaySource {
  readonly #previous: readonly NodeRow[];
  /** Outputs of the resumed run's FINISHED calls from position {@link #aheadFrom} on. */
  readonly #ahead = new Map<number, Reusable>();
  #aheadFrom = 0;

  constructor(
    private readonly reader: ProvenanceReader,
    private readonly resume: number | undefined,
    private readonly cache: boolean,
  ) {
    if (resume !== undefined) {
      const run = reader.node(resume);
      if (run?.type !== "run") {
        throw new WorkgraphError(`Cannot resume run ${resume}: there is no run with that pk`);
      }
    }
    this.#previous = resume !== undefined ? reader.tasks(resume) : [];
  }

  /** The result to reuse for the call at this position with this key, if any. */
  find(position: number, key: string): Reusable | undefined {
    const same = this.#previous[position];
    if (same !== undefined && same.state === "FINISHED" && same.cacheKey === key) {
      return this.#resumed(position);
    }
    if (!this.cache) return undefined;
    const earlier = this.reader.findFinishedTask(key);
    return earlier !== undefined ? this.#reusable(earlier.pk, "cache") : undefined;
  }

  /** The run this one resumes. */
  get resumes(): number | undefined {
    return this.resume;
  }

  /** The stored outputs of the resumed run's FINISHED call at `position`, read ahead. */
  #resumed(position: number): Reusable {
    const ahead = position - this.#aheadFrom;
    if (ahead < 0 || ahead >= READ_AHEAD || this.#ahead.size === 0) {
      this.#ahead.clear();
      this.#aheadFrom = position;
      const end = Math.min(position + READ_AHEAD, this.#previous.length);
      for (let at = position; at < end; at++) {
        const task = this.#previous[at];
        if (task?.state === "FINISHED") this.#ahead.set(at, this.#reusable(task.pk, "resume"));
      }
    }
    return this.#ahead.get(position) as Reusable;
  }

  #reusable(pk: number, how: Reusable["how"]): Reusable {
    const outputs = new Map<string, unknown>();
    const outputPks = new Map<string, number>();
    for (const link of this.reader.links({ from: pk, type: "CREATE" })) {
      const node = this.reader.node(link.to);
      if (node?.value != null) outputs.set(link.label, parseCanonicalJson(node.value));
      outputPks.set(link.label, link.to);
    }
    return { pk, how, outputs, outputPks };
  }
}

/**
 * The return value a reused call stands for: its `result`, or the object its output sockets
 * make (namespaces nested again: `stats.mean` is `{ stats: { mean } }`).
 */
export function reusedValue(reusable: Reusable, layout: OutputLayout | undefined): unknown {
  if (layout === undefined) return reusable.outputs.get("result");
  const sockets = [...reusable.outputs].filter(([label]) => label !== "result");
  return valueFromSockets(sockets);
}
