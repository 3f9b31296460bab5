/**
 * A notebook as one self-contained HTML page: markdown rendered, code highlighted (highlight.js,
 * here, with its stylesheet inlined), its outputs, and charts drawn by vega-embed from scripts
 * inlined in the page (no CDN), one per row. Charts are compiled to Vega here with the package's
 * own Vega-Lite, so the page needs no compiler and the browser no version check. Each chart's
 * SVG is there too, so the page reads well with scripts off. Sanitized (`sanitize: true`),
 * nothing the notebook holds runs script in the page: markdown's raw HTML and `text/html`
 * outputs are shown as text, and SVG goes in as an image (scripts in an image never run).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import type { TopLevelSpec } from "vega-lite";
import { isLogOutput, logHtml } from "../../kernel/runtime/log-html.js";
import { compileToVega } from "../../widgets/index.js";
import { escapeHtml as escape } from "./escape-html.js";
import { markdownHtml } from "./markdown-html.js";
import { text, type Notebook, type Output } from "./nbformat.js";

hljs.registerLanguage("typescript", typescript);

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

/** Report lines may break after each `|` of their `[pk|label|step]` part, not inside a word. */
function streamHtml(value: string): string {
  return escape(value).replace(/\[(\d+)\|([^|\]\s]+)\|([^\]\s]+)\]/g, "[$1|<wbr>$2|<wbr>$3]");
}

/** SVG as an image: what it contains cannot touch the page. */
function svgImage(svg: string): string {
  return `<img alt="chart" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">`;
}

/** TypeScript as highlighted HTML. */
function codeHtml(source: string): string {
  return hljs.highlight(source, { language: "typescript", ignoreIllegals: true }).value;
}

/** Renders outputs, numbering charts from 1 within a page. */
class OutputRenderer {
  #charts = 0;

  constructor(private readonly sanitize: boolean) {}

  async html(output: Output): Promise<string> {
    const sanitize = this.sanitize;
    switch (output.output_type) {
      case "stream":
        return `<pre class="stream ${output.name}">${streamHtml(text(output.text))}</pre>`;
      case "error":
        return `<pre class="error">${escape(stripAnsi(output.traceback.join("\n")))}</pre>`;
      default: {
        const data = output.data;
        const plain = data["text/plain"];
        // A run's log: drawn here from its text (escaped), so it reads the same sanitized.
        if (isLogOutput(output.metadata) && plain !== undefined) {
          return `<div class="stream log">${logHtml(text(plain as string | string[]))}</div>`;
        }
        const svg = data["image/svg+xml"];
        const svgSource = svg === undefined ? "" : text(svg as string | string[]);
        const svgText = sanitize && svgSource !== "" ? svgImage(svgSource) : svgSource;
        if (data[VEGA_LITE] !== undefined) {
          const id = `chart-${++this.#charts}`;
          const vega = await compileToVega(data[VEGA_LITE] as TopLevelSpec);
          const spec = JSON.stringify(vega).replace(/</g, "\\u003c");
          return `<div class="chart" id="${id}">${svgText}</div><script type="application/json" data-chart="${id}">${spec}</script>`;
        }
        if (svgText !== "") return `<div class="chart">${svgText}</div>`;
        const html = data["text/html"];
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
}

/** How the page is written. */
export interface NotebookHtmlOptions {
  /** Keep the notebook's own HTML and SVG from running script in the page; default false. */
  readonly sanitize?: boolean;
}

/** The HTML page of a notebook, with vega and vega-embed inlined. */
export async function notebookHtml(
  nb: Notebook,
  title: string,
  options: NotebookHtmlOptions = {},
): Promise<string> {
  const sanitize = options.sanitize ?? false;
  const outputs = new OutputRenderer(sanitize);
  const sections: string[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") {
      sections.push(
        cell.cell_type === "markdown"
          ? `<section class="markdown">${markdownHtml(text(cell.source), sanitize)}</section>`
          : `<pre class="raw">${escape(text(cell.source))}</pre>`,
      );
      continue;
    }
    const count = cell.execution_count ?? " ";
    const shown: string[] = [];
    for (const output of cell.outputs) shown.push(await outputs.html(output));
    sections.push(
      `<section class="code"><div class="prompt">[${count}]:</div><pre class="source"><code class="hljs language-typescript">${codeHtml(text(cell.source))}</code></pre>${shown.join("")}</section>`,
    );
  }
  const body = sections.join("\n");
  const scripts = [
    packageFile("vega", "build/vega.min.js"),
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
.stream{background:#fff;border-left:3px solid #ddd}.log{margin:1em 0;padding:.3em .8em}.stderr{border-color:#e0a800}
.stream,.result{white-space:pre-wrap;overflow-wrap:anywhere}
.error{background:#fdecea;color:#8a1c1c}
.chart,.chart.vega-embed{display:block;overflow-x:auto;margin:.6em 0}
pre code.hljs{background:none;padding:0}
${packageFile("highlight.js", "styles/github.css")}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3em .6em}
</style></head><body>
${body}
${scripts}
<script>
for (const data of document.querySelectorAll("script[data-chart]")) {
  const target = document.getElementById(data.dataset.chart);
  vegaEmbed(target, JSON.parse(data.textContent), { mode: "vega", actions: false }).catch(() => {});
}
</script>
</body></html>
`;
}
