/** Where Jupyter looks for kernelspecs, by install scope (the rules of jupyter_core). */
import { execFileSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where to install: the user's data dir, the Python environment's prefix, or a prefix. */
export type Scope =
  | { readonly kind: "user" }
  | { readonly kind: "sys-prefix" }
  | { readonly kind: "prefix"; readonly prefix: string };

/** The `kernels` folder of a scope. */
export function kernelsDir(scope: Scope, env: NodeJS.ProcessEnv = process.env): string {
  switch (scope.kind) {
    case "user":
      return join(userDataDir(env), "kernels");
    case "sys-prefix":
      return join(pythonPrefix(env), "share", "jupyter", "kernels");
    case "prefix":
      return join(scope.prefix, "share", "jupyter", "kernels");
  }
}

/** jupyter_core's `jupyter_data_dir()`. */
function userDataDir(env: NodeJS.ProcessEnv): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") {
    return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "jupyter");
  }
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/** The active Python environment's `sys.prefix`, where its Jupyter looks too. */
function pythonPrefix(env: NodeJS.ProcessEnv): string {
  const active = env.VIRTUAL_ENV || env.CONDA_PREFIX;
  if (active) return active;
  for (const python of ["python3", "python"]) {
    try {
      return execFileSync(python, ["-c", "import sys; print(sys.prefix)"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error("--sys-prefix: no Python environment found (activate one, or use --prefix)");
}
