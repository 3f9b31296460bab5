/** The parts of the Jupyter notebook format (nbformat 4) that notebooks here use, parsed with zod. */
import { readFileSync } from "node:fs";
import { z } from "zod";

const multiline = z.union([z.string(), z.array(z.string())]);

const output = z.union([
  z.object({
    output_type: z.literal("stream"),
    name: z.enum(["stdout", "stderr"]),
    text: multiline,
  }),
  z.object({
    output_type: z.enum(["display_data", "execute_result"]),
    data: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()).default({}),
    execution_count: z.number().nullable().optional(),
  }),
  z.object({
    output_type: z.literal("error"),
    ename: z.string(),
    evalue: z.string(),
    traceback: z.array(z.string()),
  }),
]);

const cell = z.union([
  z.object({
    cell_type: z.literal("code"),
    source: multiline,
    metadata: z.record(z.string(), z.unknown()).default({}),
    outputs: z.array(output).default([]),
    execution_count: z.number().nullable().default(null),
    id: z.string().optional(),
  }),
  z.object({
    cell_type: z.enum(["markdown", "raw"]),
    source: multiline,
    metadata: z.record(z.string(), z.unknown()).default({}),
    id: z.string().optional(),
  }),
]);

const notebook = z.object({
  nbformat: z.literal(4),
  nbformat_minor: z.number(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  cells: z.array(cell),
});

/** A notebook. */
export type Notebook = z.infer<typeof notebook>;
/** A cell of a notebook. */
export type Cell = Notebook["cells"][number];
/** A code cell. */
export type CodeCell = Extract<Cell, { cell_type: "code" }>;
/** One output of a code cell. */
export type Output = z.infer<typeof output>;

/** A cell's source or a stream's text as one string. */
export function text(value: string | readonly string[]): string {
  return typeof value === "string" ? value : value.join("");
}

/** Reads a notebook file; a malformed one gives an error naming the file and the problem. */
export function readNotebook(file: string): Notebook {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file} is not a notebook: ${(error as Error).message}`);
  }
  const parsed = notebook.safeParse(data);
  if (!parsed.success)
    throw new Error(`${file} is not a notebook (nbformat 4): ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** A notebook as Jupyter writes it: one-space indent, sources as line arrays, trailing newline. */
export function formatNotebook(nb: Notebook): string {
  const lines = (s: string | readonly string[]) => text(s).split(/(?<=\n)/);
  const cells = nb.cells.map((c) =>
    c.cell_type === "code"
      ? {
          ...c,
          source: lines(c.source),
          outputs: c.outputs.map((o) =>
            o.output_type === "stream" ? { ...o, text: lines(o.text) } : o,
          ),
        }
      : { ...c, source: lines(c.source) },
  );
  return `${JSON.stringify({ ...nb, cells }, null, 1)}\n`;
}
