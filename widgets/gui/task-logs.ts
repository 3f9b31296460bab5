/** Which report lines are about a task: those that name it as a whole word. */

/** The lines whose message names the task (`add` matches "Task: add, …", not "add1"). */
export function linesAbout(
  taskName: string,
  lines: readonly { readonly message: string; readonly text: string }[],
): string[] {
  const word = new RegExp(
    `(^|[^\\w$])${taskName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w$])`,
  );
  return lines.filter((line) => word.test(line.message)).map((line) => line.text);
}
