import { describe, expect, it } from "vitest";
import { reportLine } from "../../engine/model/report-line.js";
import { storedText } from "../../engine/store/sqlite/report-text.js";

describe("a report line's stored text", () => {
  const line = reportLine(12, "update_task_state", "Task: add, type: in-process, finished.");

  it("is NULL when the text is the line's fields in the engine's format", () => {
    expect(storedText(12, line)).toBeNull();
  });

  it("is the text when any part of it differs from the fields", () => {
    const edits = [
      `${line.text} `,
      ` ${line.text}`,
      line.text.replace("[REPORT]", "[WARNING]"),
      line.text.replace("12|", "13|"),
      line.text.replace("update_task_state", "update_task_stats"),
      line.text.replace("finished.", "finished!"),
      line.text.replace(/^\d{4}/, "1999"),
    ];
    for (const text of edits) expect(storedText(12, { ...line, text })).toBe(text);
    expect(storedText(13, line)).toBe(line.text);
  });

  it("is NULL for a plain copy of the line, checked field by field", () => {
    const copy = { ...line };
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(storedText(12, copy)).toBeNull();
    expect(storedText(12, JSON.parse(JSON.stringify(line)))).toBeNull();
    expect(storedText(12, { ...line, message: "Task: add, type: job, finished." })).toBe(line.text);
  });

  it("is NULL for lines of steps and runs that alternate", () => {
    for (let i = 0; i < 3; i++) {
      for (const [run, step] of [
        [12, "continue_workgraph"],
        [12, "update_task_state"],
        [13, "update_task_state"],
      ] as const) {
        const alternating = reportLine(run, step, `message ${i}`);
        expect(alternating.text).toBe(
          `${alternating.text.slice(0, 23)} [REPORT] [${run}|WorkGraphImperativeEngine|${step}]: message ${i}`,
        );
        expect(storedText(run, alternating)).toBeNull();
        expect(storedText(run === 12 ? 13 : 12, alternating)).toBe(alternating.text);
      }
    }
  });

  it("is the text when the time is one no date holds", () => {
    for (const at of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1]) {
      const bad = reportLine(12, "step", "message", "REPORT", at);
      expect(storedText(12, bad)).toBe(bad.text);
    }
  });
});
