/** Errors as plain data, so they can cross a process boundary or enter the store. */

/** An error reduced to plain data. */
export interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: SerialisedError;
  /** The exit code the error carries (a command's exit, a `TaskExitError`), so handlers see it across processes. */
  readonly exitCode?: number;
}

/** Turns any thrown value into plain data, keeping name, message, stack and causes. */
export function serialiseError(error: unknown, depth = 0): SerialisedError {
  if (error instanceof Error) {
    const cause =
      error.cause !== undefined && depth < 8 ? serialiseError(error.cause, depth + 1) : undefined;
    const exitCode = (error as { exitCode?: unknown }).exitCode;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack !== undefined ? { stack: error.stack } : {}),
      ...(cause !== undefined ? { cause } : {}),
      ...(Number.isInteger(exitCode) ? { exitCode: exitCode as number } : {}),
    };
  }
  return { name: "Error", message: typeof error === "string" ? error : thrownText(error) };
}

/** Rebuilds an Error from its plain-data form: same name, message, stack and causes. */
export function deserialiseError(data: SerialisedError): Error {
  const error = new Error(data.message, data.cause ? { cause: deserialiseError(data.cause) } : {});
  error.name = data.name;
  if (data.stack !== undefined) error.stack = data.stack;
  if (data.exitCode !== undefined) Object.assign(error, { exitCode: data.exitCode });
  return error;
}

/** What a thrown non-Error says: `throw undefined` must still leave a message behind. */
function thrownText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return `threw ${text}`;
}
