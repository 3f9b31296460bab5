/**
 * A node row's names and times as stored (schema 7): a node's type, kind and state as one
 * letter each, where the name took 3–10 characters; `started_at` and `ended_at` as ms after
 * `ctime`, and `mtime` as ms after `ended_at` (or `ctime` while not ended), where each was an
 * epoch time of 6 bytes. A task that ends in the ms it was last changed stores `mtime` as 0,
 * which takes no bytes in SQLite's record, and a data node's `mtime` is always 0. Reads give
 * the names and times back in SQL (`NODE_COLUMNS` in sqlite-reader.ts), filters take the
 * stored forms.
 *
 * A name that is not one of the engine's (the store takes any text) is stored as it is, unless
 * it is itself one of the letters: then as the bytes of its text (a BLOB, which no letter
 * equals), and read back as text.
 */

/** The letter of each name, per column. */
const TYPES = { data: "d", task: "t", run: "r" } as const;
const KINDS = {
  "in-process": "p",
  Int: "I",
  Float: "F",
  Str: "S",
  Bool: "B",
  List: "L",
  Dict: "D",
  Data: "A",
  job: "j",
  flow: "f",
  shell: "s",
} as const;
const STATES = {
  FINISHED: "F",
  RUNNING: "R",
  PLANNED: "P",
  FAILED: "X",
  SKIPPED: "S",
  KILLED: "K",
  CREATED: "C",
  WAITING: "W",
  EXCEPTED: "E",
} as const;

type Codes = Readonly<Record<string, string>>;

/**
 * Encodes one column's names; `null` stays NULL. A number is a name as a write batch carries
 * it ({@link wireCoder}): the place of the name among the column's.
 */
function encoder(codes: Codes): (name: unknown) => unknown {
  const byName = new Map<unknown, string>(Object.entries(codes));
  const letters = new Set(Object.values(codes));
  const byPlace = Object.values(codes);
  return (name) => {
    if (typeof name === "number") return byPlace[name];
    const code = byName.get(name);
    if (code !== undefined) return code;
    return typeof name === "string" && letters.has(name) ? Buffer.from(name) : name;
  };
}

/**
 * One column's names as a write batch carries them to the writer thread: a known name as its
 * place among the column's (a small integer, which crosses in a byte or two and is read back as
 * no object of its own, where each string is a new one in the thread's heap), any other text
 * (or `null`) as it is.
 */
function wireCoder(codes: Codes): (name: string | null) => number | string | null {
  const byName = new Map<string | null, number>(Object.keys(codes).map((name, at) => [name, at]));
  return (name) => byName.get(name) ?? name;
}

/** SQL giving a column's stored form back as its name. */
function decoder(codes: Codes): (column: string) => string {
  const whens = Object.entries(codes)
    .map(([name, code]) => `WHEN '${code}' THEN '${name}'`)
    .join(" ");
  return (column) => `CASE ${column} ${whens} ELSE CAST(${column} AS TEXT) END`;
}

/** SQL turning a column's names into their stored forms (migrating stored rows). */
function encoderSql(codes: Codes, column: string): string {
  const names = Object.entries(codes).map(([name, code]) => `WHEN '${name}' THEN '${code}'`);
  const letters = Object.values(codes).map((code) => `WHEN '${code}' THEN CAST(${column} AS BLOB)`);
  return `CASE ${column} ${[...names, ...letters].join(" ")} ELSE ${column} END`;
}

/** SQL rewriting the rows of a store of schema 6 into the stored forms of schema 7. */
export function codesMigrationSql(): string {
  return `UPDATE nodes SET type = ${encoderSql(TYPES, "type")}, kind = ${encoderSql(KINDS, "kind")},
    state = ${encoderSql(STATES, "state")}, mtime = mtime - coalesce(ended_at, ctime),
    started_at = started_at - ctime, ended_at = ended_at - ctime`;
}

/** The stored form of a node's type. */
export const storedType = encoder(TYPES);
/** The stored form of a node's kind. */
export const storedKind = encoder(KINDS);
/** The stored form of a task's or run's state. */
export const storedState = encoder(STATES);

/** A node's type as a write batch carries it (its place in `NODE_TYPES`: known-types.ts). */
export const wireType = wireCoder(TYPES);
/** A node's kind as a write batch carries it. */
export const wireKind = wireCoder(KINDS);
/** A task's or run's state as a write batch carries it. */
export const wireState = wireCoder(STATES);

/** SQL: a stored type as its name. */
export const typeSql = decoder(TYPES);
/** SQL: a stored kind as its name. */
export const kindSql = decoder(KINDS);
/** SQL: a stored state as its name. */
export const stateSql = decoder(STATES);

/** Stored type letters, for SQL filters. */
export const DATA = `'${TYPES.data}'`;
export const TASK = `'${TYPES.task}'`;
export const RUN = `'${TYPES.run}'`;
/** Stored state letters, for SQL filters. */
export const FINISHED = `'${STATES.FINISHED}'`;

/** SQL: a state list as stored (`states` are names known to the engine). */
export function statesSql(states: readonly (keyof typeof STATES)[]): string {
  return states.map((state) => `'${STATES[state]}'`).join(", ");
}

/** The stored form of a time kept as ms after `base` (NULL stays NULL). */
export function storedAfter(time: number | null, base: number): number | null {
  return time === null ? null : time - base;
}

/** The stored `mtime`: ms after the end, or after `ctime` while not ended. */
export function storedMtime(mtime: number, ctime: number, endedAt: number | null): number {
  return mtime - (endedAt ?? ctime);
}

/**
 * Turns the type, kind and state of the task or run row starting at `at` of a flat array
 * (pk, uuid, type, kind, name, state, …: the order of the `nodes` table) into their stored
 * forms, in place.
 */
export function storeNodeNames(values: unknown[], at: number): void {
  values[at + 2] = storedType(values[at + 2]);
  values[at + 3] = storedKind(values[at + 3]);
  values[at + 5] = storedState(values[at + 5]);
}

/**
 * Turns the type, kind, state and times of the node row starting at `at` of a flat array
 * (pk, uuid, type, kind, name, state, exit_code, ctime, mtime, started_at, ended_at, …: the
 * order of the `nodes` table) into their stored forms, in place.
 */
export function storeNodeCodes(values: unknown[], at: number): void {
  storeNodeNames(values, at);
  const ctime = values[at + 7] as number;
  const ended = values[at + 10] as number | null;
  values[at + 8] = storedMtime(values[at + 8] as number, ctime, ended);
  values[at + 9] = storedAfter(values[at + 9] as number | null, ctime);
  values[at + 10] = storedAfter(ended, ctime);
}
