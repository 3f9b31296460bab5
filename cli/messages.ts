/** Every message the `workgraph` command shows a person about how it was called. */

/** An option the command does not take. */
export const unknownOption = (raw: string): string => `unknown option "${raw}"`;

/** A positional argument beyond those the command takes. */
export const unexpectedArgument = (arg: string): string => `unexpected argument "${arg}"`;

/** A required positional argument is missing. */
export const missingOperand = (name: string): string => `missing ${name}`;

/** A string option came without its value. */
export const needsValue = (raw: string): string => `${raw} needs a value`;

/** A boolean option was given a value (`--quiet=yes`). */
export const takesNoValue = (raw: string): string => `${raw} takes no value`;

/** A group was called without a sub-command. */
export const missingSubcommand = (names: readonly string[]): string =>
  `missing sub-command (one of ${names.join(", ")})`;

/** A group was called with a sub-command it does not have. */
export const unknownSubcommand = (name: string, names: readonly string[]): string =>
  `unknown sub-command "${name}" (one of ${names.join(", ")})`;

/** No command of that name. */
export const unknownCommand = (name: string): string => `workgraph: unknown command "${name}"`;

/** The hint under a usage error. */
export const helpHint = (command: string): string =>
  `Run "${command} --help" for the options and an example.`;

/** A profile that does not exist, named, with those that do. */
export const noSuchProfile = (name: string, home: string, existing: readonly string[]): string =>
  `no profile "${name}" in ${home}; ` +
  (existing.length > 0 ? `existing profiles: ${existing.join(", ")}` : "there is no profile yet") +
  " (a run, `profile create NAME` or `archive import --profile NAME` creates one)";

/** An unexpected failure, reported without its stack unless asked. */
export const failed = (command: string, message: string): string =>
  `${command}: ${message}\n(set WORKGRAPH_DEBUG=1 to see the stack)`;

/** An output file's folder does not exist. */
export const missingFolder = (what: string, file: string, folder: string): string =>
  `${what} ${file}: its folder ${folder} does not exist`;

/** An input file does not exist. */
export const missingFile = (what: string, file: string): string => `${what} ${file} does not exist`;

/** A process command was given the pk of a data node. */
export const notAProcess = (pk: number): string =>
  `Node ${pk} is a data node, not a run or a task (see \`workgraph node show ${pk}\`)`;

/** `--storage` is neither sqlite nor a PostgreSQL URL (`masked`: its password masked). */
export const badStorage = (masked: string): string =>
  `--storage must be sqlite or a postgresql:// URL, got ${JSON.stringify(masked)}`;

/** `--broker` is not a Redis or PostgreSQL URL (`masked`: its password masked). */
export const badBroker = (masked: string): string =>
  `--broker must be a redis:// or postgresql:// URL, got ${JSON.stringify(masked)}`;

/** `profile create` of a name that exists. */
export const profileExists = (name: string): string =>
  `profile "${name}" exists already (see \`workgraph profile show ${name}\`)`;
export const workerNeedsBroker = (profile: string) =>
  `workgraph worker needs a broker: profile ${profile} names none; create a profile with one ` +
  "(`workgraph profile create NAME --storage postgresql://… --broker redis://…`) and pass " +
  "--profile NAME, or give --broker URL";
