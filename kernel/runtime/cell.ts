/** One request's context: its output, the runs it started, and the kernel's comm targets. */
import { isTerminalRun, type ReportLine } from "../../engine/index.js";
import type { MessageHeader } from "../protocol/message.js";
import type { CellScope, CommTargets } from "./cell-scope.js";
import type { CellOutputSink } from "./cell-output.js";
import { showLiveRun, type RunDisplay, type RunDisplayOptions, type ShownRun } from "./live-run.js";

/** Displays of submitted runs, whatever cell shows them: they go on after their cell. */
const followed = new Set<RunDisplay>();

/** The context of one request (an execute_request, or a comm message). */
export class Cell implements CellScope {
  readonly #runs: RunDisplay[] = [];
  #stopWaiting: () => void = () => {};
  /** Resolves once the cell is interrupted: then nothing more is waited for. */
  readonly #interrupted = new Promise<void>((resolve) => (this.#stopWaiting = resolve));
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    readonly parent: MessageHeader,
    readonly output: CellOutputSink,
    readonly comms: CommTargets,
    private readonly live: RunDisplayOptions,
  ) {}

  /**
   * Report lines and what tasks printed go to the cell's log display; what a task printed
   * with console.warn/error, to stderr.
   */
  readonly reportLog = (line: ReportLine): void => {
    if (line.task !== undefined && line.level !== "REPORT") {
      this.output.write("stderr", `${line.text}\n`);
    } else this.output.log(`${line.text}\n`);
  };

  watchRun(run: ShownRun): void {
    const display = showLiveRun(run, this.output, this.live);
    this.#runs.push(display);
    if (run.cancel === undefined) {
      followed.add(display);
      void display.settled.then(() => followed.delete(display));
    }
  }

  track(work: Promise<unknown>): void {
    const settled: Promise<void> = work.then(
      () => void this.#pending.delete(settled),
      () => void this.#pending.delete(settled),
    );
    this.#pending.add(settled);
  }

  /** Cancels this cell's runs that are still going: their tasks end KILLED. */
  cancelRuns(reason: string): void {
    this.#stopWaiting();
    for (const { run } of this.#runs) if (!ended(run)) run.cancel?.(reason);
  }

  /**
   * Waits until the displays of the runs that have ended show their final state: front ends
   * such as nbclient drop output that arrives after the cell's reply. No clock decides it
   * (the first display of a kernel loads the views, which takes seconds on a busy machine);
   * an interrupt ends the wait, and `timeoutMs`, when given, caps it. That includes submitted
   * runs shown under earlier cells, whose updates go out with this one.
   */
  async settle(timeoutMs?: number): Promise<void> {
    const done = [...new Set([...this.#runs, ...followed])].filter(({ run }) => ended(run));
    // what display() still draws is waited for as the final pictures of runs are
    const work = [...this.#pending, ...done.map((live) => live.settled)];
    if (work.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(work),
      this.#interrupted,
      ...(timeoutMs === undefined
        ? []
        : [new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]),
    ]);
    clearTimeout(timer);
  }
}

/** Whether a run has ended, whichever way. */
function ended(run: ShownRun): boolean {
  return isTerminalRun(run.state);
}
