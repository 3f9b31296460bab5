/**
 * Where cells keep what they declare: one object all cells read and write through `exports`
 * (tslab's converter turns a reference to an earlier cell's name into `exports.name`), which
 * also records the names a cell actually assigned, so a cell that throws keeps those.
 */

/** The shared object and the names assigned since the last {@link CellExports.startCell}. */
export interface CellExports {
  /** What compiled cells receive as `exports`. */
  readonly object: Record<string, unknown>;
  /** Forgets the names recorded for the previous cell. */
  startCell(): void;
  /** Names the running cell has assigned so far. */
  assigned(): ReadonlySet<string>;
}

/** Creates the object of one kernel. */
export function createCellExports(): CellExports {
  const values: Record<string, unknown> = {};
  let assigned = new Set<string>();
  // Named imports compile to defineProperty with a getter: store the value, so a later cell may
  // assign the name (tslab does the same).
  const object = new Proxy(values, {
    defineProperty(target, property, attributes) {
      if (property === "__esModule") return true;
      if (typeof property === "string") assigned.add(property);
      target[property as string] =
        attributes.get !== undefined ? attributes.get() : attributes.value;
      return true;
    },
  });
  return {
    object,
    startCell: () => void (assigned = new Set()),
    assigned: () => assigned,
  };
}

/**
 * TypeScript's CommonJS output starts by setting every exported name to `void 0` (one line),
 * which would wipe the values of earlier cells before anything in the cell ran; names are
 * assigned where they are declared anyway.
 */
export function withoutExportsPreamble(output: string): {
  readonly code: string;
  readonly declared: readonly string[];
} {
  const declared: string[] = [];
  // TypeScript writes the preamble in lines of at most 50 names.
  const code = output.replace(PREAMBLE, (line) => {
    for (const m of line.matchAll(/exports\.([^\s=]+) = /g)) declared.push(m[1] ?? "");
    // Kept as an empty line, so line numbers stay those of the compiled output.
    return "";
  });
  return { code, declared };
}

const PREAMBLE = /^exports\.[^\s=]+ = (?:exports\.[^\s=]+ = )*void 0;$/gm;
