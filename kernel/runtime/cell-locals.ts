/**
 * The variables the notebook's cells have defined (tslab keeps them on one object, read by
 * later cells as `exports.name`): what a flow defined in a cell refers to when it is submitted.
 */

let locals: Readonly<Record<string, unknown>> | undefined;

/** Makes `object` the cells' variables (the executor's locals). */
export function setCellLocals(object: Readonly<Record<string, unknown>>): void {
  locals = object;
}

/** The cell variable `name`, if a cell defined it. */
export function cellLocal(name: string): { readonly value: unknown } | undefined {
  return locals !== undefined && Object.hasOwn(locals, name) ? { value: locals[name] } : undefined;
}
