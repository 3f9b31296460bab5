/**
 * `task.shell(command, options)`: a task that runs an executable. Its arguments are an argv
 * array (never a shell string), each `{name}` in them replaced by the input of that name; its
 * outputs are stdout, stderr, the exit code and the files it was asked to keep.
 */
import { z } from "zod";
import { checkKnownKeys } from "../model/known-keys.js";
import * as messages from "../model/messages.js";
import { declareParameters } from "./function-params.js";
import { parseOutputSpec } from "./output-layout.js";
import type { TaskDefinition } from "./task-definition.js";
import { handlersSchema, type TaskHandler } from "./task-handlers.js";

/** Options of `task.shell()`. */
export interface ShellOptions {
  /** The task's name; defaults to the command's base name. */
  readonly name?: string;
  /** The arguments, one argv entry each; `{x}` is replaced by input `x` (an array input fills several entries when it is the whole entry). */
  readonly args?: readonly string[];
  /** Exit codes that count as success (default `[0]`); any other is a FAILED task with the code. */
  readonly okExitCodes?: readonly number[];
  /** Files the command leaves in its working folder, returned (as text) in the `files` output. */
  readonly outputFiles?: readonly string[];
  /** Variables added to the command's environment (values may use `{x}` too). */
  readonly env?: Readonly<Record<string, string>>;
  /** Stop the command's whole process group after this many milliseconds (FAILED with a timeout). */
  readonly timeout?: number;
  /** Run the command again this many times when it fails. */
  readonly retries?: number;
  /** Handlers of failures by exit code: they may retry with other inputs or give up. */
  readonly handlers?: readonly TaskHandler[];
}

/**
 * What a shell task is called with: one object of named inputs. `{name}` placeholders read
 * them; `stdin` is written to the command's standard input; `files` (name → text) are written
 * into its working folder before it starts.
 */
export type ShellInputs = Readonly<Record<string, unknown>> & {
  readonly stdin?: string;
  readonly files?: Readonly<Record<string, string>>;
};

/** What a shell task returns. */
export interface ShellResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** The kept output files by name (only when `outputFiles` is given). */
  readonly files?: Readonly<Record<string, string>>;
}

/** What the executor needs to run a shell task. */
export interface ShellSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly okExitCodes: readonly number[];
  readonly outputFiles: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The input names the placeholders of `args` and `env` use. */
  readonly placeholders: readonly string[];
}

const optionsSchema = z.object({
  name: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  okExitCodes: z.array(z.number().int().min(0).max(255)).min(1).optional(),
  outputFiles: z
    .array(
      z
        .string()
        .min(1)
        .refine((f) => !f.startsWith("/") && !f.split(/[\\/]/).includes(".."), {
          message: "a file name inside the working folder (no absolute path, no ..)",
        }),
    )
    .optional(),
  env: z.record(z.string(), z.string()).optional(),
  timeout: z.number().positive().optional(),
  retries: z.number().int().nonnegative().optional(),
  handlers: handlersSchema.optional(),
});

const PLACEHOLDER = /\{([A-Za-z_$][\w$]*)\}/g;

/** The input names used by `{name}` placeholders, in order of first use. */
export function placeholdersOf(texts: readonly string[]): string[] {
  const names: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      const name = match[1] as string;
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/** What the scheduler knows of a shell task. */
export function shellDefinition(command: unknown, options?: ShellOptions): TaskDefinition {
  if (typeof command !== "string" || command.trim() === "") {
    throw new TypeError(messages.badShellCommand(command));
  }
  const base = command.split("/").pop() ?? command;
  const name = options?.name ?? base;
  checkKnownKeys(`task.shell ${name}`, options, Object.keys(optionsSchema.shape));
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new TypeError(`Options of task.shell ${name}: ${z.prettifyError(parsed.error)}`);
  }
  const o = parsed.data;
  const args = o.args ?? [];
  const env = o.env ?? {};
  const spec: ShellSpec = {
    command,
    args,
    okExitCodes: o.okExitCodes ?? [0],
    outputFiles: o.outputFiles ?? [],
    env,
    placeholders: placeholdersOf([...args, ...Object.values(env)]),
  };
  for (const reserved of ["stdin", "files"]) {
    if (spec.placeholders.includes(reserved)) {
      throw new TypeError(messages.reservedShellInput(name, reserved));
    }
  }
  // never called: the executor runs the command; the function carries the name and the shape
  const fn = Object.defineProperty(
    function shell(_inputs: ShellInputs) {
      throw new Error(`shell task ${name} runs through its executor`);
    },
    "name",
    { value: name },
  );
  declareParameters(fn, {
    names: ["inputs"],
    optional: [true],
    objectParameter: true,
    rest: false,
  });
  const outputs = [
    "stdout",
    "stderr",
    "exitCode",
    ...(spec.outputFiles.length > 0 ? ["files"] : []),
  ];
  return {
    name,
    kind: "shell",
    fn,
    source: `${command} ${JSON.stringify(args)}${
      spec.outputFiles.length > 0 ? ` files: ${JSON.stringify(spec.outputFiles)}` : ""
    }${Object.keys(env).length > 0 ? ` env: ${JSON.stringify(env)}` : ""} ok: ${JSON.stringify(spec.okExitCodes)}`,
    parameters: { names: ["inputs"], optional: [true], objectParameter: true, rest: false },
    outputs,
    outputLayout: parseOutputSpec(name, outputs),
    outputSchemas: undefined,
    inputSchema: undefined,
    timeoutMs: o.timeout,
    retries: o.retries ?? 0,
    shell: spec,
    ...(o.handlers !== undefined ? { handlers: o.handlers as readonly TaskHandler[] } : {}),
  };
}
