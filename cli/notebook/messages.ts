/** Every message the notebook runner shows a person, in one place. */

/** A cell named for a person: its number, and its first line. */
export function cellName(index: number, source: string): string {
  const line = source.split("\n").find((l) => l.trim() !== "") ?? "";
  const short = line.trim().length > 50 ? `${line.trim().slice(0, 49)}…` : line.trim();
  return `cell ${index + 1}${short !== "" ? ` (${JSON.stringify(short)})` : ""}`;
}

/** The cell raised an error and the run stopped there. */
export const cellRaised = (cell: string, ename: string, evalue: string): string =>
  `${cell} raised ${ename}: ${evalue}; execution stopped there`;

/** The cell raised an error the notebook allows (tag or --allow-errors). */
export const cellRaisedAllowed = (cell: string, ename: string, evalue: string): string =>
  `${cell} raised ${ename}: ${evalue} (allowed; execution went on)`;

/** The kernel process ended while a cell ran. */
export const kernelDied = (cell: string, code: number | null, signal: string | null): string =>
  `the kernel died while running ${cell} (${signal !== null ? `killed by ${signal}` : `exit code ${code}`}); execution stopped there`;

/** The cell did not finish within the per-cell time limit. */
export const cellTimedOut = (cell: string, seconds: number): string =>
  `${cell} did not finish within ${seconds} s (--timeout); execution stopped there`;

/** run-notebook itself was interrupted or terminated. */
export const runInterrupted = (cell: string, signal: string): string =>
  `${signal} while running ${cell}: the kernel and its jobs were stopped`;

/** The kernel did not come up. */
export const kernelNotReady = (problem: string): string => `the kernel did not start: ${problem}`;
