/**
 * The page `workgraph run-notebook --html` writes, opened in headless Chromium: code is
 * highlighted, every chart has a row of its own, and the browser console stays silent (no
 * Vega-Lite version warning, no empty-extent warning), with nothing loaded from elsewhere; in a
 * narrow window a run's log lines wrap without breaking their prefixes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { executeWithRunNotebook, notebookJson, useNotebookScratch } from "../support/notebooks.js";
import { launchChromium } from "../widgets/support/chromium.js";

const scratch = useNotebookScratch("workgraph-page-", { kernel: false });

const CELLS = [
  `import { run, task, display } from "workgraph";
const add = task(function add(x: number, y: number) { return x + y; });
async function chain(x: number) {
  const a = add(x, 1);
  return { b: add(a.result, 1).result };
}
// two tasks with no edge between them: a chart whose edge layers would have no rows
async function apart(x: number) {
  return { a: add(x, 1).result, b: add(x, 2).result };
}
const first = run(chain, { x: 1 }, { log: false });
await first;`,
  `await run(apart, { x: 1 }, { log: "tasks" });`,
  `display(first.timeline());`,
];

describe("the HTML page of a notebook", () => {
  it("highlights code, gives each chart its own row and keeps the console silent", async () => {
    const file = join(scratch.folder, "page.ipynb");
    const page = join(scratch.folder, "page.html");
    writeFileSync(file, notebookJson(CELLS));
    const out = join(scratch.folder, "out.ipynb");
    const result = executeWithRunNotebook(scratch, [file, "--out", out, "--html", page, "--quiet"]);
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const html = readFileSync(page, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain(".hljs-keyword");

    const browser = await launchChromium();
    try {
      const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const messages: string[] = [];
      const requests: string[] = [];
      tab.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`));
      tab.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
      tab.on("request", (r) => requests.push(r.url()));
      await tab.goto(pathToFileURL(page).href);
      // vega-embed replaces each chart's SVG fallback with a view of its own
      await tab.waitForFunction(
        () =>
          document.querySelectorAll(".chart.vega-embed").length ===
          document.querySelectorAll("script[data-chart]").length,
      );
      const boxes = await tab.$$eval(".chart", (charts) =>
        charts.map((chart) => {
          const box = chart.getBoundingClientRect();
          return { top: box.top, bottom: box.bottom, left: box.left };
        }),
      );
      expect(boxes.length).toBe(3);
      for (let i = 1; i < boxes.length; i++) {
        expect(boxes[i]?.top).toBeGreaterThanOrEqual(boxes[i - 1]?.bottom ?? Infinity);
        expect(boxes[i]?.left).toBe(boxes[0]?.left);
      }
      expect(messages).toEqual([]);
      expect(
        requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:")),
      ).toEqual([]);

      // A narrow window: each log line starts with its date, and its `[pk|label|step]:` moves
      // to the next line whole rather than breaking inside (front ends break <pre> anywhere).
      await tab.setViewportSize({ width: 520, height: 900 });
      const lines = await tab.$$eval(".workgraph-log-line", (rows) =>
        rows.map((row) => {
          const box = row.getBoundingClientRect();
          const first = row.firstElementChild?.getBoundingClientRect();
          const source = row.querySelector(".workgraph-log-source");
          const spans: Element[] =
            source === null ? [] : Array.from(source.querySelectorAll("span"));
          const pieces = spans.map((piece) => {
            const rects = piece.getClientRects();
            return { rects: rects.length, top: rects[0]?.top };
          });
          return {
            text: row.textContent ?? "",
            // the date opens the row: at its left edge, on its first line
            startsLine:
              first !== undefined &&
              Math.abs(first.left - box.left) < 1 &&
              first.top - box.top < first.height / 2,
            wraps: box.height > (first?.height ?? 0) * 1.5,
            pieces,
          };
        }),
      );
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) {
        expect(line.text).toMatch(
          /^\d{4}-\d\d-\d\d .* \[REPORT\] \[\d+\|WorkGraphImperativeEngine\|/,
        );
        expect(line.startsLine).toBe(true);
        expect(line.wraps).toBe(true);
        expect(line.pieces).toHaveLength(3);
        for (const piece of line.pieces) {
          expect(piece.rects).toBe(1);
          expect(piece.top).toBe(line.pieces[0]?.top);
        }
      }
    } finally {
      await browser.close();
    }
  }, 180_000);
});
