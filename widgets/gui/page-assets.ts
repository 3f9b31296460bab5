/**
 * The files the page loads, all from this package's own dependencies (the page works with no
 * network): the browser builds of vega, vega-lite and vega-embed, and the page's script.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pageScript } from "./client/page-script.js";

/** A file the server sends: its type and contents. */
export interface Asset {
  readonly type: string;
  readonly body: string | Buffer;
}

const require = createRequire(import.meta.url);

// Each package's entry point lies in its build folder, beside the minified browser bundle.
const VENDOR: Readonly<Record<string, readonly [pkg: string, file: string]>> = {
  "/assets/vega.js": ["vega", "vega.min.js"],
  "/assets/vega-lite.js": ["vega-lite", "vega-lite.min.js"],
  "/assets/vega-embed.js": ["vega-embed", "vega-embed.min.js"],
};

const cache = new Map<string, Promise<Asset>>();

/** The asset served at `path`, or undefined when there is none. */
export function asset(path: string): Promise<Asset> | undefined {
  if (path === "/assets/page.js")
    return cache.get(path) ?? remember(path, Promise.resolve(pageAsset()));
  const vendor = VENDOR[path];
  if (vendor === undefined) return undefined;
  const [pkg, file] = vendor;
  return cache.get(path) ?? remember(path, readVendor(pkg, file));
}

/** The paths of the page's scripts, in load order. */
export const SCRIPT_PATHS = [...Object.keys(VENDOR), "/assets/page.js"];

/** Where a package's browser bundle is on disk. */
export function vendorFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(pkg)), file);
}

async function readVendor(pkg: string, file: string): Promise<Asset> {
  return { type: "text/javascript; charset=utf-8", body: await readFile(vendorFile(pkg, file)) };
}

function remember(path: string, loading: Promise<Asset>): Promise<Asset> {
  cache.set(path, loading);
  loading.catch(() => cache.delete(path));
  return loading;
}

// The page script is a typed function of this package, sent as its source. Bundlers and
// loaders that keep function names wrap nested functions in `__name(…)`: the shim makes
// that a no-op in the browser.
function pageAsset(): Asset {
  const body = `"use strict";
var __name = (target) => target;
(${pageScript.toString()})({ document, location, WebSocket, vega, vegaEmbed, hooks: (window.workgraph = {}) });
`;
  return { type: "text/javascript; charset=utf-8", body };
}
