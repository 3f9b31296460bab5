/** What code running in a cell can reach: its output, the comm targets, the runs it starts. */
import type { ReportLine } from "../../engine/index.js";
import type { MimeBundle } from "../../engine/index.js";
import type { ShownRun } from "./live-run.js";

/** Data and metadata of one display. */
export interface DisplayContent {
  readonly data: MimeBundle;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Where the output of one cell goes. */
export interface CellOutput {
  write(stream: "stdout" | "stderr", text: string): void;
  /** A new display; with an id it can be updated later, from any cell. */
  display(content: DisplayContent, displayId?: string): void;
  updateDisplay(displayId: string, content: DisplayContent): void;
  clear(wait: boolean): void;
}

/** A message a comm carries. */
export type CommData = Readonly<Record<string, unknown>>;

/** One end of a comm: a channel between kernel code and a front-end widget. */
export interface Comm {
  readonly id: string;
  readonly targetName: string;
  send(data: CommData): void;
  close(data?: CommData): void;
  onMessage(handler: (data: CommData) => void): void;
  onClose(handler: (data: CommData) => void): void;
}

/** Called when a front end opens a comm for a target; `data` is the open message's data. */
export type CommTarget = (comm: Comm, data: CommData) => void;

/** The comm targets of the kernel. */
export interface CommTargets {
  register(targetName: string, target: CommTarget): void;
  unregister(targetName: string): void;
  /** Opens a comm from the kernel's side, on a target the front end knows. */
  open(targetName: string, data?: CommData): Comm;
}

/** The context of code running on behalf of one request (usually an execute_request). */
export interface CellScope {
  readonly output: CellOutput;
  readonly comms: CommTargets;
  /** Writes a run's report line under this cell. */
  readonly reportLog: (line: ReportLine) => void;
  /** Follows a run this cell started: live display, cancel on interrupt (runs of this process). */
  watchRun(run: ShownRun): void;
  /** Output still being made (a drawing): the cell's reply waits for it. */
  track(work: Promise<unknown>): void;
}
