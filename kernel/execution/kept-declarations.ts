/**
 * The declarations a cell that threw leaves behind, as IPython keeps the names a failing cell
 * bound before the error: the cell's declaration output without the values it never reached.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

/**
 * `declarations` (the converter's declaration output for the cell: earlier cells' and its own)
 * without the declarations of `unreached`, values the cell declares but never assigned.
 */
export function keptDeclarations(
  ts: typeof TypeScript,
  declarations: string,
  unreached: ReadonlySet<string>,
): string {
  if (unreached.size === 0) return declarations;
  const file = ts.createSourceFile("kept.d.ts", declarations, ts.ScriptTarget.Latest, true);
  const text = (node: TypeScript.Node) => node.getText(file);
  const kept: string[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList;
      const reached = list.declarations.filter(
        (d) => !ts.isIdentifier(d.name) || !unreached.has(d.name.text),
      );
      if (reached.length === list.declarations.length) kept.push(text(statement));
      else if (reached.length > 0) {
        const keyword =
          list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
        kept.push(`declare ${keyword} ${reached.map(text).join(", ")};`);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name !== undefined &&
      unreached.has(statement.name.text)
    ) {
      continue;
    } else if (ts.isImportDeclaration(statement)) {
      const reduced = reachedImport(ts, statement, unreached, text);
      if (reduced !== undefined) kept.push(reduced);
    } else {
      kept.push(text(statement));
    }
  }
  return kept.join("\n") + "\n";
}

/** The import without its unreached names, or undefined when none is left. */
function reachedImport(
  ts: typeof TypeScript,
  statement: TypeScript.ImportDeclaration,
  unreached: ReadonlySet<string>,
  text: (node: TypeScript.Node) => string,
): string | undefined {
  const clause = statement.importClause;
  if (clause === undefined || clause.isTypeOnly) return text(statement);
  const parts: string[] = [];
  if (clause.name !== undefined && !unreached.has(clause.name.text)) parts.push(text(clause.name));
  const bindings = clause.namedBindings;
  if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
    if (!unreached.has(bindings.name.text)) parts.push(text(bindings));
  } else if (bindings !== undefined) {
    const names = bindings.elements.filter((e) => !unreached.has(e.name.text)).map(text);
    if (names.length > 0) parts.push(`{ ${names.join(", ")} }`);
  }
  if (parts.length === 0) return undefined;
  return `import ${parts.join(", ")} from ${text(statement.moduleSpecifier)};`;
}
