/** One abort listener per signal, however many jobs share it (a run's cancel signal). */

/** Watches the signals of waiting and running jobs; calls `onAbort` for each job of a signal. */
export class AbortWatch<Job> {
  readonly #watched = new Map<AbortSignal, { jobs: Set<Job>; onAbort: () => void }>();

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
    const watched = this.#watched.get(signal);
    if (watched === undefined || !watched.jobs.delete(job) || watched.jobs.size > 0) return;
    signal.removeEventListener("abort", watched.onAbort);
    this.#watched.delete(signal);
  }
}
