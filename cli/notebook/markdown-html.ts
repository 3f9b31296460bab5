/**
 * Markdown cells as HTML. As written, raw HTML in the markdown goes into the page as it is
 * (what JupyterLab shows for a trusted notebook, and nbconvert's default). Sanitized, nothing
 * of the notebook's own HTML reaches the page unescaped: raw HTML is shown as text, and links
 * and images keep only URLs that cannot run script. Escaping, not filtering, is safe by
 * construction: no parser has to agree with the browser's.
 */
import { Marked, type Tokens } from "marked";
import { escapeHtml } from "./escape-html.js";

/** URLs a sanitized page may link to: web, mail, in-page and relative ones. */
const SAFE_LINK = /^(https?:|mailto:|#|\/|\.|[^:]*$)/i;
/** Images a sanitized page may show: web, relative, and raster data URLs. */
const SAFE_IMAGE = /^(https?:|\/|\.|[^:]*$|data:image\/(png|jpeg|gif|webp);)/i;

const trusted = new Marked();

const sanitized = new Marked({
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link): string {
      const label = this.parser.parseInline(token.tokens);
      if (!SAFE_LINK.test(token.href.trim())) return label;
      const title = token.title != null ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(token.href)}"${title}>${label}</a>`;
    },
    image(token: Tokens.Image): string {
      if (!SAFE_IMAGE.test(token.href.trim())) return escapeHtml(token.text);
      return `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}">`;
    },
  },
});

/** The HTML of a markdown cell's source. */
export function markdownHtml(source: string, sanitize: boolean): string {
  return (sanitize ? sanitized : trusted).parse(source, { async: false });
}
