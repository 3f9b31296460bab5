/**
 * One abort listener per signal, however many jobs share it (a run's signal): added with the
 * signal's first job and kept while the signal lives, so a run whose jobs go one at a time
 * adds and removes no listener per job. Held weakly: a signal nobody keeps goes with its entry.
 */

/** Watches the signals of waiting and running jobs; calls `onAbort` for each job of a signal. */
export class AbortWatch<Job> {
  readonly #watched = new WeakMap<AbortSignal, { jobs: Set<Job>; onAbort: () => void }>();

  constructor(private readonly onAbort: (job: Job, reason: unknown) => void) {}

  watch(signal: AbortSignal, job: Job): void {
    let watched = this.#watched.get(signal);
    if (watched === undefined) {
      const jobs = new Set<Job>();
      const onAbort = () => {
        for (const each of [...jobs]) this.onAbort(each, signal.reason);
      };
      watched = { jobs, onAbort };
      this.#watched.set(signal, watched);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watched.jobs.add(job);
  }

  unwatch(signal: AbortSignal, job: Job): void {
    this.#watched.get(signal)?.jobs.delete(job);
  }
}
