/**
 * A task's "finished" message, `Task: <name>, type: <kind>, finished.`, recognised without
 * joining one to compare: the stores keep such a line as its task, and check each line they
 * are given.
 */

const HEAD = "Task: ";
const MIDDLE = ", type: ";
const END = ", finished.";

/** Whether `message` is `Task: <name>, type: <kind>, finished.`. */
export function isFinishedMessage(
  message: string,
  name: string | null,
  kind: string | null,
): boolean {
  if (name === null || kind === null) return false;
  const middle = HEAD.length + name.length;
  const end = middle + MIDDLE.length + kind.length;
  return (
    message.length === end + END.length &&
    message.startsWith(HEAD) &&
    message.startsWith(name, HEAD.length) &&
    message.startsWith(MIDDLE, middle) &&
    message.startsWith(kind, middle + MIDDLE.length) &&
    message.endsWith(END)
  );
}
