import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { kernel } from "../../cli/commands/kernel.js";
import { UsageError } from "../../cli/command.js";
import { installKernel, uninstallKernel } from "../../kernel/install.js";
import { kernelsDir } from "../../kernel/kernelspec/locations.js";
import { root } from "../support/built.js";
import { PYTHON } from "./support/python.js";

const scratch = mkdtempSync(join(tmpdir(), "workgraph-kernelspec-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Checks a PNG's chunks (CRCs included) and returns its size and decompressed pixel bytes. */
function readPng(file: Buffer): { width: number; height: number; pixels: number } {
  expect(file.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  const chunks = new Map<string, Buffer>();
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at);
    const typeAndData = file.subarray(at + 4, at + 8 + length);
    expect(file.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData) >>> 0);
    chunks.set(typeAndData.subarray(0, 4).toString("latin1"), typeAndData.subarray(4));
    at += 12 + length;
  }
  const header = chunks.get("IHDR") ?? Buffer.alloc(13);
  expect([...header.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
  expect(chunks.has("IEND")).toBe(true);
  const pixels = inflateSync(chunks.get("IDAT") ?? Buffer.alloc(0)).length;
  return { width: header.readUInt32BE(0), height: header.readUInt32BE(4), pixels };
}

describe("the kernelspec", () => {
  it("runs node on dist/kernel/main.js by absolute paths, with signal interrupts", async () => {
    const { dir, warnings } = await installKernel({
      scope: { kind: "prefix", prefix: join(scratch, "p1") },
    });
    expect(warnings).toEqual([]);
    expect(dir).toBe(join(scratch, "p1", "share", "jupyter", "kernels", "workgraph"));
    expect(JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"))).toEqual({
      argv: [process.execPath, join(root, "dist", "kernel", "main.js"), "{connection_file}"],
      display_name: "TypeScript (workgraph)",
      language: "typescript",
      interrupt_mode: "signal",
      metadata: { debugger: false },
    });
    for (const size of [32, 64]) {
      const png = readPng(readFileSync(join(dir, `logo-${size}x${size}.png`)));
      expect(png).toEqual({ width: size, height: size, pixels: size * (size * 4 + 1) });
    }
  });

  it("is found by jupyter_client", async () => {
    const prefix = join(scratch, "p2");
    await installKernel({ scope: { kind: "prefix", prefix } });
    const found = execFileSync(
      PYTHON,
      [
        "-c",
        "from jupyter_client.kernelspec import KernelSpecManager as M; s = M().get_kernel_spec('workgraph'); print(s.display_name, s.language, s.interrupt_mode)",
      ],
      { env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") }, encoding: "utf8" },
    );
    expect(found.trim()).toBe("TypeScript (workgraph) typescript signal");
  });

  it("goes where jupyter_core looks for the user's kernels", () => {
    expect(kernelsDir({ kind: "user" }, { JUPYTER_DATA_DIR: "/d" })).toBe("/d/kernels");
    if (process.platform === "linux") {
      expect(kernelsDir({ kind: "user" }, { XDG_DATA_HOME: "/x" })).toBe("/x/jupyter/kernels");
    }
    expect(kernelsDir({ kind: "sys-prefix" }, { VIRTUAL_ENV: "/venv" })).toBe(
      "/venv/share/jupyter/kernels",
    );
  });

  it("is removed by uninstall", async () => {
    const scope = { kind: "prefix", prefix: join(scratch, "p3") } as const;
    const { dir } = await installKernel({ scope });
    expect(await uninstallKernel({ scope })).toBe(dir);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("workgraph kernel", () => {
  it("installs and uninstalls under a prefix", async () => {
    const prefix = join(scratch, "cli");
    const spec = join(prefix, "share", "jupyter", "kernels", "workgraph", "kernel.json");
    expect(await kernel.run(["install", "--prefix", prefix])).toBe(0);
    expect(existsSync(spec)).toBe(true);
    expect(await kernel.run(["uninstall", `--prefix=${prefix}`])).toBe(0);
    expect(existsSync(spec)).toBe(false);
  });

  it("names a wrong use", async () => {
    await expect(kernel.run([])).rejects.toThrow(UsageError);
    await expect(kernel.run(["install", "--user", "--prefix", "/x"])).rejects.toThrow(
      /at most one/,
    );
    await expect(kernel.run(["install", "--prefix"])).rejects.toThrow(/--prefix needs a value/);
    await expect(kernel.run(["install", "--global"])).rejects.toThrow(/unknown option "--global"/);
  });
});
