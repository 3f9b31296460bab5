/**
 * Declarations of earlier cells, filtered by name: what a new cell declares again shadows them
 * (as a later `const x` in IPython replaces an earlier `x`), and a cell that threw keeps only
 * the values it reached, as IPython keeps the names a failing cell bound before the error.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";
import type { NameMeaning } from "./cell-names.js";

/** Whether a declaration of `name`, meaning `meaning`, is to go. */
type Drops = (name: string, meaning: NameMeaning) => boolean;

const VALUE: NameMeaning = { value: true, type: false };
const TYPE: NameMeaning = { value: false, type: true };
const BOTH: NameMeaning = { value: true, type: true };

/**
 * `declarations` (the declaration output of a cell: earlier cells' and its own) without the
 * declarations of `unreached`, values the cell declares but never assigned.
 */
export function keptDeclarations(
  ts: typeof TypeScript,
  declarations: string,
  unreached: ReadonlySet<string>,
): string {
  if (unreached.size === 0) return declarations;
  return filterDeclarations(ts, declarations, (name, m) => m.value && unreached.has(name));
}

/** `declarations` without what a cell declaring `names` shadows (a value a value, a type a type). */
export function unshadowedDeclarations(
  ts: typeof TypeScript,
  declarations: string,
  names: ReadonlyMap<string, NameMeaning>,
): string {
  if (names.size === 0 || declarations === "") return declarations;
  return filterDeclarations(ts, declarations, (name, m) => {
    const shadow = names.get(name);
    return shadow !== undefined && ((shadow.value && m.value) || (shadow.type && m.type));
  });
}

function filterDeclarations(ts: typeof TypeScript, declarations: string, drops: Drops): string {
  const file = ts.createSourceFile("kept.d.ts", declarations, ts.ScriptTarget.Latest, true);
  const text = (node: TypeScript.Node) => node.getText(file);
  const kept: string[] = [];
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList;
      const reached = list.declarations.filter(
        (d) => !ts.isIdentifier(d.name) || !drops(d.name.text, VALUE),
      );
      if (reached.length === list.declarations.length) kept.push(text(statement));
      else if (reached.length > 0) {
        const keyword =
          list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
        kept.push(`declare ${keyword} ${reached.map(text).join(", ")};`);
      }
    } else if (ts.isImportDeclaration(statement)) {
      const reduced = reducedImport(ts, statement, drops, text);
      if (reduced !== undefined) kept.push(reduced);
    } else {
      const named = statementName(ts, statement);
      if (named === undefined || !drops(named.name, named.meaning)) kept.push(text(statement));
    }
  }
  return kept.join("\n") + "\n";
}

function statementName(
  ts: typeof TypeScript,
  statement: TypeScript.Statement,
): { readonly name: string; readonly meaning: NameMeaning } | undefined {
  if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
    return { name: statement.name.text, meaning: VALUE };
  }
  if (
    (ts.isClassDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement)) &&
    statement.name !== undefined &&
    ts.isIdentifier(statement.name)
  ) {
    return { name: statement.name.text, meaning: BOTH };
  }
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
    return { name: statement.name.text, meaning: TYPE };
  }
  if (ts.isImportEqualsDeclaration(statement)) {
    return { name: statement.name.text, meaning: statement.isTypeOnly ? TYPE : BOTH };
  }
  return undefined;
}

/** The import without the names that go, or undefined when none is left. */
function reducedImport(
  ts: typeof TypeScript,
  statement: TypeScript.ImportDeclaration,
  drops: Drops,
  text: (node: TypeScript.Node) => string,
): string | undefined {
  const clause = statement.importClause;
  if (clause === undefined) return text(statement);
  const meaning = clause.isTypeOnly ? TYPE : BOTH;
  const parts: string[] = [];
  if (clause.name !== undefined && !drops(clause.name.text, meaning)) parts.push(text(clause.name));
  const bindings = clause.namedBindings;
  if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
    if (!drops(bindings.name.text, meaning)) parts.push(text(bindings));
  } else if (bindings !== undefined) {
    const names = bindings.elements
      .filter((e) => !drops(e.name.text, e.isTypeOnly ? TYPE : meaning))
      .map(text);
    if (names.length > 0) parts.push(`{ ${names.join(", ")} }`);
  }
  if (parts.length === 0) return undefined;
  const keyword = clause.isTypeOnly ? "import type" : "import";
  return `${keyword} ${parts.join(", ")} from ${text(statement.moduleSpecifier)};`;
}
