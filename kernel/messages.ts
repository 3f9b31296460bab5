/** Every message the kernel shows a person, in one place, as typed functions. */

/** The banner of `kernel_info_reply`. */
export const banner = (version: string, typescript: string): string =>
  `workgraph ${version}: TypeScript ${typescript} (through tslab) with live workflow runs.\n` +
  'Start with: import { run, task } from "workgraph";';

/** A message Jupyter sent that the kernel dropped without acting on it. */
export const droppedMessage = (channel: string, reason: string): string =>
  `dropped a message on ${channel}: ${reason}`;

/** Why a message carrying a signature seen before was dropped. */
export const replayedSignature = "duplicate signature (a message sent again is not run twice)";

/** A request whose content does not fit its type. */
export const invalidRequest = (msgType: string, problem: string): string =>
  `invalid ${msgType}: ${problem}`;

/** A request of a type the kernel does not answer. */
export const unknownRequest = (msgType: string, channel: string): string =>
  `unknown message type ${msgType} on ${channel}: ignored`;

/** Why the cell stopped when interrupted. */
export const interrupted = "Interrupted";

/** The reason given to runs that an interrupt cancels. */
export const interruptReason = "kernel interrupt";

/** The live display of a run could not be drawn. */
export const liveDisplayFailed = (runName: string, problem: string): string =>
  `workgraph: the live display of run ${runName} failed: ${problem}\n`;

/** A cell API was used outside a kernel cell. */
export const outsideKernel = (api: string): string =>
  `${api}() works only in a workgraph kernel cell`;

/** A comm was opened for a target nobody registered. */
export const unknownCommTarget = (target: string): string =>
  `no comm target named "${target}"; register one with registerCommTarget()`;

/** A value had a MIME type whose data cannot travel as JSON. */
export const unserialisableMime = (mime: string): string =>
  `workgraph: dropped ${mime} from a display: its data is not JSON\n`;

/** The kernel is listening. */
export const started = (pid: number, shell: string, folder: string): string =>
  `started (pid ${pid}), shell on ${shell}, notebook folder ${folder}`;

/** The kernel process could not start. */
export const startFailed = (problem: string): string => `workgraph kernel: ${problem}`;

/** The kernelspec points into npx's cache, which npm may clean at any time. */
export const npxCacheWarning = (main: string): string =>
  `warning: ${main} is in npx's cache, which npm may clean; install the package ` +
  "(npm install workgraph, or npm install --global workgraph) and run this command again";

/** The first text of a submitted run's live display, until its view comes. */
export const submittedRun = (run: string): string => `${run}: submitted to the daemon`;
