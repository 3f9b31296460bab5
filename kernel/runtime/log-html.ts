/**
 * A run's log lines as HTML that reads well in a narrow output area. Front ends show stream
 * text in a `<pre>` that may break anywhere (`word-break: break-all` in JupyterLab and in
 * classic Notebook's stylesheet), which cuts `[12|WorkGraphImperativeEngine|update_task_state]:`
 * mid-word. Here the parts of a line's prefix (date and time, level, `[pk|label|step]:`) never
 * break inside a word: a line wraps between those parts, after a `|` of the last one when the
 * output is narrower than it, and inside its message; what wraps is indented under the
 * line's start. Styles are inline (front ends keep inline styles of
 * untrusted HTML, and drop `<style>` elements).
 */

/** The output metadata that marks a display as a run's log (its text is the lines as printed). */
export const LOG_METADATA = { workgraph: "log" } as const;

/** Whether an output's metadata marks it as a run's log. */
export function isLogOutput(metadata: unknown): boolean {
  return (
    typeof metadata === "object" &&
    metadata !== null &&
    (metadata as { workgraph?: unknown }).workgraph === LOG_METADATA.workgraph
  );
}

/** `2026-12-01 22:10:30.979 [REPORT] [1|WorkGraphImperativeEngine|continue_workgraph]: …` */
const LINE =
  /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}|invalid time \([^)]*\)) (\[[A-Z]+\]) (\[[^\]\s]*\]:)/;

const BOX =
  "font-family:monospace;font-size:13px;line-height:1.4;white-space:normal;" +
  "word-break:normal;overflow-wrap:anywhere;overflow-x:auto;padding:2px 0";
const LINE_STYLE = "padding-left:4ch;text-indent:-4ch";
const WHOLE = "white-space:nowrap";
const MESSAGE = "white-space:pre-wrap";
/** Moves to the next line whole; breaks after a `|` only when wider than a whole line. */
const SOURCE = "display:inline-block;max-width:100%;text-indent:0;vertical-align:top";
const LEVEL_COLOURS: Readonly<Record<string, string>> = {
  "[WARNING]": "#9a5b00",
  "[ERROR]": "#c62828",
};

/** The HTML of `text` (lines as printed, each ending with a newline). */
export function logHtml(text: string): string {
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const rows: { prefix: string; message: string }[] = [];
  for (const line of lines) {
    const match = LINE.exec(line);
    const last = rows.at(-1);
    if (match === null) {
      // a message's further lines (a task printed several) belong to the row above
      if (last !== undefined) last.message += `\n${line}`;
      else rows.push({ prefix: "", message: line });
      continue;
    }
    const [prefix, time = "", level = "", source = ""] = match;
    const colour = LEVEL_COLOURS[level];
    const parts = [
      `<span style="${WHOLE}">${escapeHtml(time)}</span>`,
      `<span style="${WHOLE}${colour !== undefined ? `;color:${colour}` : ""}">${level}</span>`,
      `<span class="workgraph-log-source" style="${SOURCE}">${sourceHtml(source)}</span>`,
    ];
    rows.push({ prefix: parts.join(" "), message: line.slice(prefix.length) });
  }
  const html = rows.map(
    ({ prefix, message }) =>
      `<div class="workgraph-log-line" style="${LINE_STYLE}">${prefix}<span style="${MESSAGE}">${escapeHtml(message)}</span></div>`,
  );
  return `<div class="workgraph-log" style="${BOX}">${html.join("")}</div>`;
}

/** The pieces of `[pk|label|step]:`, each whole, with a break allowed after each `|`. */
function sourceHtml(source: string): string {
  const pieces = source.split(/(?<=\|)/);
  return pieces.map((piece) => `<span style="${WHOLE}">${escapeHtml(piece)}</span>`).join("<wbr>");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
