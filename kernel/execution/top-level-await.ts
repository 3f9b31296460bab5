/**
 * A cell may `await` at its top level (it then runs inside an async function). TypeScript,
 * compiling to CommonJS, reports such an `await` as an error: these are the errors to drop.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

/** "Top-level 'await' expressions are only allowed when…", its `for await` twin, and 1308. */
export const TOP_LEVEL_AWAIT_CODES: ReadonlySet<number> = new Set([1308, 1375, 1378, 1431, 1432]);

/** Whether `position` in `file` lies outside every function, class and namespace. */
export function isTopLevelAwait(
  ts: typeof TypeScript,
  file: TypeScript.SourceFile,
  position: number,
): boolean {
  let node: TypeScript.Node = file;
  for (;;) {
    const child: TypeScript.Node | undefined = ts.forEachChild(node, (c) =>
      c.pos <= position && position < c.end ? c : undefined,
    );
    if (child === undefined) return true;
    if (ts.isFunctionLike(child) || ts.isClassLike(child) || ts.isModuleDeclaration(child)) {
      return false;
    }
    node = child;
  }
}
