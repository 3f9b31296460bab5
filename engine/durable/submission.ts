/**
 * What a submitted run stores so that another process can run it: where its flow comes from
 * (a module's export, or the source of a flow written in a notebook cell), kept in the run
 * node's attributes and parsed with zod when read back.
 */
import { z } from "zod";

/** A flow exported from a module: re-imported by path and export name where it runs. */
export const moduleFlowSchema = z.object({
  kind: z.literal("module"),
  /** An absolute file path or a package specifier. */
  module: z.string().min(1),
  export: z.string().min(1),
});

/** One definition a flow written in a cell uses, as source text. */
export const sourceDefinitionSchema = z.object({
  /** The identifier the flow's code uses for it. */
  name: z.string().min(1),
  /**
   * `task`/`job`: a task over the function `source`; `shell`: a shell task of the command
   * `source`; `flow`: a helper flow (or the flow);
   * `value`: JSON data; `module`: the module named by `source` (`workgraph`, `node:…`), or
   * one export of the package (`workgraph:waitFor`).
   */
  kind: z.enum(["task", "job", "shell", "flow", "value", "module"]),
  source: z.string(),
  /** The task's options that can travel (name, outputs, timeout, retries; a command's args, files, codes, env). */
  options: z.record(z.string(), z.unknown()).optional(),
});

/** A flow written in a notebook cell: its source and every definition it uses. */
export const sourceFlowSchema = z.object({
  kind: z.literal("source"),
  name: z.string(),
  source: z.string().min(1),
  definitions: z.array(sourceDefinitionSchema),
});

/** Where a submitted run's flow comes from. */
export const flowReferenceSchema = z.discriminatedUnion("kind", [
  moduleFlowSchema,
  sourceFlowSchema,
]);

/** Where a submitted run's flow comes from. */
export type FlowReference = z.infer<typeof flowReferenceSchema>;

/** One definition of a flow sent as source. */
export type SourceDefinition = z.infer<typeof sourceDefinitionSchema>;

/** The attributes a submitted run node carries. */
export const submittedSchema = z.object({
  durable: z.literal(true),
  submitted: z.object({ flow: flowReferenceSchema, maxConcurrency: z.number().optional() }),
});

/** A submitted run as stored: its flow reference and how it runs. */
export type Submitted = z.infer<typeof submittedSchema>["submitted"];
