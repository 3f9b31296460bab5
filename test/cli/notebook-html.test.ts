/**
 * The HTML page of a notebook, loaded in real Chromium: as written, the notebook's own HTML
 * runs (nbconvert's default); sanitized, nothing the notebook holds runs script.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Notebook } from "../../cli/notebook/nbformat.js";
import { notebookHtml } from "../../cli/notebook/notebook-html.js";
import { makeTempDir } from "../support/temp-home.js";
import { launchChromium } from "../widgets/support/chromium.js";

const hostile: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      cell_type: "markdown",
      metadata: {},
      source: [
        "# Title\n",
        "<script>window.ran = (window.ran || []).concat('markdown script')</script>\n",
        "\n",
        "<img src=x onerror=\"window.ran = (window.ran || []).concat('onerror')\">\n",
        "\n",
        "[a link](javascript:window.ran=['link']) and [the docs](https://example.org/docs)\n",
      ],
    },
    {
      cell_type: "code",
      metadata: {},
      source: "html()",
      execution_count: 1,
      outputs: [
        {
          output_type: "display_data",
          metadata: {},
          data: {
            "text/html":
              "<b>bold</b><script>window.ran = (window.ran || []).concat('output')</script>",
            "text/plain": "bold",
          },
        },
        {
          output_type: "display_data",
          metadata: {},
          data: {
            "image/svg+xml":
              '<svg xmlns="http://www.w3.org/2000/svg" onload="window.ran = (window.ran || []).concat(\'svg\')"><rect width="5" height="5"/></svg>',
          },
        },
      ],
    },
  ],
};

let browser: Browser;
const dir = makeTempDir();

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
});

/** Loads the page and returns what the notebook's scripts recorded, and the page's text. */
async function load(sanitize: boolean): Promise<{ ran: string[]; text: string; links: string[] }> {
  const file = join(dir, `page-${sanitize}.html`);
  writeFileSync(file, await notebookHtml(hostile, "hostile", { sanitize }));
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(file).href);
    await page.waitForTimeout(300); // the broken image's onerror fires after load
    // A string, not a function: the tests are compiled without the DOM's types.
    const ran = await page.evaluate<string[]>("window.ran || []");
    const text = await page.locator("body").innerText();
    const anchors = page.locator("a");
    const links: string[] = [];
    for (let i = 0; i < (await anchors.count()); i++) {
      links.push((await anchors.nth(i).getAttribute("href")) ?? "");
    }
    return { ran, text, links };
  } finally {
    await page.close();
  }
}

describe("the notebook's HTML page", () => {
  it("as written (the default), shows the notebook's own HTML as HTML, scripts included", async () => {
    const { ran } = await load(false);
    expect(ran).toEqual(expect.arrayContaining(["markdown script", "onerror", "output", "svg"]));
  }, 60_000);

  it("sanitized, runs none of it and shows it as text; safe links stay", async () => {
    const { ran, text, links } = await load(true);
    expect(ran).toEqual([]);
    expect(text).toContain("<script>window.ran");
    expect(text).toContain("<img src=x onerror=");
    expect(links).toEqual(["https://example.org/docs"]);
    expect(text).toContain("a link and the docs");
  }, 60_000);
});
