/**
 * A run's log under its cell: lines go out as one display (text as printed, HTML whose line
 * prefixes never break), updated in place once per turn of the event loop; other output ends
 * it, so order is kept; a display holds at most 200 lines.
 */
import { describe, expect, it } from "vitest";
import { createCellOutput } from "../../../kernel/runtime/cell-output.js";
import { logHtml } from "../../../kernel/runtime/log-html.js";
import { RecordingOutbox, request } from "../support/messages.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));
const LINE = (n: number) =>
  `2026-12-01 22:10:30.979 [REPORT] [1|WorkGraphImperativeEngine|continue_workgraph]: line ${n}\n`;

function newOutput() {
  const outbox = new RecordingOutbox();
  const parent = request("execute_request");
  const output = createCellOutput(outbox, parent.header, false);
  const kinds = () =>
    outbox.for(parent).map((m) => {
      const id = (m.content.transient as { display_id?: string } | undefined)?.display_id;
      return m.msgType === "stream" ? `stream ${String(m.content.text)}` : `${m.msgType} ${id}`;
    });
  return { outbox, parent, output, kinds };
}

describe("a run's log display", () => {
  it("shows lines as one display updated in place, ended by other output", async () => {
    const { outbox, parent, output, kinds } = newOutput();
    output.log(LINE(1));
    output.log(LINE(2));
    await turn();
    output.log(LINE(3));
    await turn();
    output.write("stdout", "printed\n");
    output.log(LINE(4));
    output.flush();
    const sent = kinds();
    expect(sent).toHaveLength(4);
    const [first, update, stream, second] = sent;
    const firstId = first?.replace("display_data ", "");
    expect(first).toMatch(/^display_data workgraph-log-/);
    expect(update).toBe(`update_display_data ${firstId}`);
    expect(stream).toBe("stream printed\n");
    expect(second).toMatch(/^display_data workgraph-log-/);
    expect(second).not.toBe(first);
    expect(outbox.log(parent)).toBe(LINE(1) + LINE(2) + LINE(3) + LINE(4));
    const shown = outbox.for(parent)[1]?.content;
    expect(shown?.metadata).toEqual({ workgraph: "log" });
    expect((shown?.data as Record<string, string>)["text/html"]).toBe(
      logHtml(LINE(1) + LINE(2) + LINE(3)),
    );
  });

  it("starts a new display past 200 lines", () => {
    const { outbox, parent, output, kinds } = newOutput();
    for (let n = 0; n < 201; n++) output.log(LINE(n));
    output.flush();
    expect(kinds().map((k) => k.split(" ")[0])).toEqual(["display_data", "display_data"]);
    expect(outbox.log(parent).split("\n")).toHaveLength(202);
  });
});

describe("the HTML of log lines", () => {
  it("keeps each part of a prefix whole and escapes the message", () => {
    const html = logHtml(
      "2026-12-01 22:10:30.979 [WARNING] [7|square|console.warn]: a <b> & c\nsecond\n",
    );
    expect(html).toContain('<span style="white-space:nowrap">2026-12-01 22:10:30.979</span>');
    expect(html).toContain(">[WARNING]</span>");
    // `[pk|label|step]:` moves to the next line whole; it breaks after a `|` only when wider
    expect(html).toContain(
      '<span class="workgraph-log-source" style="display:inline-block;max-width:100%;text-indent:0;vertical-align:top">' +
        '<span style="white-space:nowrap">[7|</span><wbr><span style="white-space:nowrap">square|</span><wbr>' +
        '<span style="white-space:nowrap">console.warn]:</span></span>',
    );
    expect(html).toContain(
      '<span style="white-space:pre-wrap"> a &#60;b&#62; &#38; c\nsecond</span>',
    );
    expect(html.match(/workgraph-log-line/g)).toHaveLength(1);
  });
});
