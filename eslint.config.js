// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/**
 * The layers ARCHITECTURE.md draws, as lint rules: a file may import only from its own layer
 * or the layers below it. Inside engine/: model → author → execute, model → store → replay,
 * and schedule above them all. Between top folders: engine/ imports nothing of the rest, and
 * the rest reach engine/ only through its entries (index.ts for users, plumbing.ts for tools).
 */
const engineFolders = ["model", "author", "execute", "store", "replay", "schedule", "durable"];
const engineLayers = {
  model: [],
  author: ["model"],
  execute: ["model", "author"],
  store: ["model"],
  replay: ["model", "author", "store"],
  schedule: ["model", "author", "execute", "store", "replay"],
  durable: ["model", "author", "execute", "store", "replay", "schedule"],
};
export const layerZones = Object.entries(engineLayers)
  .filter(([folder, below]) => below.length < engineFolders.length - 1 || folder === "")
  .map(([folder, below]) => ({
    target: `./engine/${folder}`,
    from: engineFolders
      .filter((other) => other !== folder && !below.includes(other))
      .map((other) => `./engine/${other}`),
    message: `engine/${folder}/ may import only from ${["itself", ...below.map((b) => `engine/${b}/`)].join(", ")}: see ARCHITECTURE.md, "Layers".`,
  }));
export const topZones = [
  {
    target: "./engine",
    from: ["./kernel", "./widgets", "./cli", "./bench", "./test", "./index.ts"],
    message: "engine/ is the bottom layer: it imports nothing of kernel/, widgets/, cli/.",
  },
  {
    target: ["./kernel", "./widgets", "./cli", "./bench", "./index.ts"],
    from: "./engine",
    except: ["./index.ts", "./plumbing.ts"],
    message:
      "outside engine/, import the engine through its entries: engine/index.ts or engine/plumbing.ts.",
  },
  {
    target: "./widgets",
    from: ["./kernel", "./cli"],
    message: "widgets/ draws runs; it imports nothing of kernel/ or cli/.",
  },
  {
    target: "./kernel",
    from: ["./cli"],
    message: "kernel/ imports nothing of cli/.",
  },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "test-artifacts/", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  importX.flatConfigs.typescript,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver()] },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "import-x/no-cycle": "error",
      "import-x/no-self-import": "error",
      "import-x/no-restricted-paths": ["error", { zones: [...layerZones, ...topZones] }],
      // flows are async by convention, also when a flow awaits nothing itself
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      // tests hand deliberately odd values to the engine to check its errors
      "@typescript-eslint/no-unsafe-argument": "off",
    },
  },
);
