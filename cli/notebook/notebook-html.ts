/**
 * A notebook as one self-contained HTML page: markdown rendered, code with its outputs, and
 * charts drawn by vega-embed from scripts inlined in the page (no CDN). Each chart's SVG is
 * there too, so the page reads well with scripts off. Sanitized (`sanitize: true`), nothing
 * the notebook holds runs script in the page: markdown's raw HTML and `text/html` outputs are
 * shown as text, and SVG goes in as an image (scripts in an image never run).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { escapeHtml as escape } from "./escape-html.js";
import { markdownHtml } from "./markdown-html.js";
import { text, type Notebook, type Output } from "./nbformat.js";

const VEGA_LITE = "application/vnd.vegalite.v5+json";
const require = createRequire(import.meta.url);

/** The text of a file inside an installed package (its `exports` may hide the file). */
function packageFile(name: string, relative: string): string {
  const entry = require.resolve(name);
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
      };
      if (manifest.name === name) return readFileSync(join(dir, relative), "utf8");
    } catch {
      // not the package root yet
    }
  }
  throw new Error(`Cannot find ${relative} of the package ${name}`);
}

function stripAnsi(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\u001b\[[0-9;]*m/g, "");
}

let charts = 0;

/** SVG as an image: what it contains cannot touch the page. */
function svgImage(svg: string): string {
  return `<img alt="chart" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">`;
}

function outputHtml(output: Output, sanitize: boolean): string {
  switch (output.output_type) {
    case "stream":
      return `<pre class="stream ${output.name}">${escape(text(output.text))}</pre>`;
    case "error":
      return `<pre class="error">${escape(stripAnsi(output.traceback.join("\n")))}</pre>`;
    default: {
      const data = output.data;
      const svg = data["image/svg+xml"];
      const svgSource = svg === undefined ? "" : text(svg as string | string[]);
      const svgText = sanitize && svgSource !== "" ? svgImage(svgSource) : svgSource;
      if (data[VEGA_LITE] !== undefined) {
        const id = `chart-${++charts}`;
        const spec = JSON.stringify(data[VEGA_LITE]).replace(/</g, "\\u003c");
        return `<div class="chart" id="${id}">${svgText}</div><script type="application/json" data-chart="${id}">${spec}</script>`;
      }
      if (svgText !== "") return `<div class="chart">${svgText}</div>`;
      const html = data["text/html"];
      const plain = data["text/plain"];
      if (html !== undefined && !(sanitize && plain !== undefined)) {
        const markup = text(html as string | string[]);
        return sanitize
          ? `<pre class="result">${escape(markup)}</pre>`
          : `<div class="html">${markup}</div>`;
      }
      return plain === undefined
        ? ""
        : `<pre class="result">${escape(text(plain as string | string[]))}</pre>`;
    }
  }
}

/** How the page is written. */
export interface NotebookHtmlOptions {
  /** Keep the notebook's own HTML and SVG from running script in the page; default false. */
  readonly sanitize?: boolean;
}

/** The HTML page of a notebook, with vega, vega-lite and vega-embed inlined. */
export function notebookHtml(
  nb: Notebook,
  title: string,
  options: NotebookHtmlOptions = {},
): string {
  const sanitize = options.sanitize ?? false;
  const body = nb.cells
    .map((cell) => {
      if (cell.cell_type !== "code") {
        return cell.cell_type === "markdown"
          ? `<section class="markdown">${markdownHtml(text(cell.source), sanitize)}</section>`
          : `<pre class="raw">${escape(text(cell.source))}</pre>`;
      }
      const count = cell.execution_count ?? " ";
      return `<section class="code"><div class="prompt">[${count}]:</div><pre class="source"><code>${escape(text(cell.source))}</code></pre>${cell.outputs.map((o) => outputHtml(o, sanitize)).join("")}</section>`;
    })
    .join("\n");
  const scripts = [
    packageFile("vega", "build/vega.min.js"),
    packageFile("vega-lite", "build/vega-lite.min.js"),
    packageFile("vega-embed", "build/vega-embed.min.js"),
  ]
    .map((source) => `<script>${source.replace(/<\/script/gi, "<\\/script")}</script>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;border-radius:4px;font-size:13px}
.code{margin:1.2em 0}.prompt{color:#888;font:12px monospace}
.stream{background:#fff;border-left:3px solid #ddd}.stderr{border-color:#e0a800}
.error{background:#fdecea;color:#8a1c1c}.chart{overflow-x:auto}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3em .6em}
</style></head><body>
${body}
${scripts}
<script>
for (const data of document.querySelectorAll("script[data-chart]")) {
  const target = document.getElementById(data.dataset.chart);
  vegaEmbed(target, JSON.parse(data.textContent), { actions: false }).catch(() => {});
}
</script>
</body></html>
`;
}
