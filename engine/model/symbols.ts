/**
 * Well-known symbols, declared here so the package's public types do not need Node's types:
 * both are registered symbols, equal to the ones Node and Jupyter kernels look up.
 */

/** Node's `util.inspect.custom`: how an object prints in the console and in `text/plain`. */
export const inspectSymbol: unique symbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * The rich-display protocol of TypeScript kernels (the convention of Deno's kernel): an object
 * with this method displays as the MIME bundle it returns.
 */
export const displaySymbol: unique symbol = Symbol.for("Jupyter.display");

/** A MIME bundle: MIME type to data. */
export type MimeBundle = Readonly<Record<string, unknown>>;
