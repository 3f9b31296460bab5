/** Which report lines are about a task: those that name it as a whole word, and its own prints. */

/** A report line as the task panel reads it. */
interface LogLine {
  readonly message: string;
  readonly text: string;
  readonly task?: { readonly name: string };
}

/** The lines whose message names the task (`add` matches "Task: add, …", not "add1"). */
export function linesAbout(taskName: string, lines: readonly LogLine[]): string[] {
  const word = new RegExp(
    `(^|[^\\w$])${taskName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w$])`,
  );
  return lines
    .filter((line) =>
      line.task !== undefined ? line.task.name === taskName : word.test(line.message),
    )
    .map((line) => line.text);
}
