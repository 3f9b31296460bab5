import { join } from "node:path";
import { ESLint } from "eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { layerZones, topZones } from "../../eslint.config.js";
import { root } from "../support/built.js";

/** Lints `code` as if it were the file at `path`, with only the layer rules on. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["**/*.ts"],
        plugins: { "import-x": importX },
        languageOptions: { parser: tseslint.parser },
        settings: { "import-x/resolver-next": [createTypeScriptImportResolver()] },
        rules: {
          "import-x/no-restricted-paths": ["error", { zones: [...layerZones, ...topZones] }],
        },
      },
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => m.message);
}

describe("the layers", () => {
  it("refuse an import from a higher engine layer", async () => {
    const errors = await layerErrors(
      "engine/store/probe.ts",
      'import { run } from "../schedule/run.js";\nexport const x = run;\n',
    );
    expect(errors).toEqual([
      expect.stringContaining("engine/store/ may import only from itself, engine/model/"),
    ]);
  });

  it("refuse a deep import into the engine from outside it", async () => {
    const errors = await layerErrors(
      "widgets/probe.ts",
      'import { Run } from "../engine/schedule/run-handle.js";\nexport const y = Run;\n',
    );
    expect(errors).toEqual([expect.stringContaining("through its entries")]);
  });

  it("refuse an import of the kernel from the engine", async () => {
    const errors = await layerErrors(
      "engine/model/probe.ts",
      'import { display } from "../../kernel/index.js";\nexport const z = display;\n',
    );
    expect(errors).toEqual([expect.stringContaining("engine/ is the bottom layer")]);
  });

  it("let a layer import the layers below it and the entries", async () => {
    expect(
      await layerErrors(
        "engine/schedule/probe.ts",
        'import { task } from "../author/task.js";\nexport const t = task;\n',
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        "kernel/probe.ts",
        'import { run } from "../engine/index.js";\nexport const r = run;\n',
      ),
    ).toEqual([]);
  });
});
