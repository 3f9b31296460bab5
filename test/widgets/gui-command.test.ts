import { describe, expect, it, vi } from "vitest";
import { UsageError } from "../../cli/command.js";
import { gui } from "../../cli/commands/gui.js";

describe("workgraph gui", () => {
  it("names a wrong argument", async () => {
    await expect(gui.run(["--port", "x"])).rejects.toThrow(
      new UsageError('--port must be a port number, not "x"'),
    );
    await expect(gui.run(["--colour"])).rejects.toThrow(
      new UsageError('unknown option "--colour"'),
    );
    await expect(gui.run(["--profile"])).rejects.toThrow(new UsageError("--profile needs a value"));
    await expect(gui.run(["--profile", "../x"])).rejects.toThrow(UsageError);
  });

  it("says where it looked when there is no store", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await gui.run(["--store", "/nonexistent/store.sqlite"])).toBe(1);
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining("no store at /nonexistent/store.sqlite"),
      );
    } finally {
      error.mockRestore();
    }
  });
});
