/**
 * The names a cell declares at its top level, read from its syntax alone, with what each one
 * is: a value, a type, or both. They decide what the cell exports to later cells and which
 * earlier declarations it shadows.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

/** What a name stands for. */
export interface NameMeaning {
  value: boolean;
  type: boolean;
}

/** The top-level names of `file`, and which of them the cell itself already exports. */
export interface CellNames {
  readonly declared: ReadonlyMap<string, NameMeaning>;
  readonly exported: ReadonlySet<string>;
}

/** Reads the top-level declarations of a parsed cell. */
export function cellNames(ts: typeof TypeScript, file: TypeScript.SourceFile): CellNames {
  const declared = new Map<string, NameMeaning>();
  const exported = new Set<string>();
  const add = (name: string, value: boolean, type: boolean, isExported: boolean) => {
    const meaning = declared.get(name) ?? { value: false, type: false };
    meaning.value ||= value;
    meaning.type ||= type;
    declared.set(name, meaning);
    if (isExported) exported.add(name);
  };
  for (const statement of file.statements) {
    const isExported = hasExportModifier(ts, statement);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingNames(ts, declaration.name)) add(name, true, false, isExported);
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name !== undefined) {
      add(statement.name.text, true, false, isExported);
    } else if (
      (ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isModuleDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    ) {
      add(statement.name.text, true, true, isExported);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      add(statement.name.text, false, true, isExported);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, !statement.isTypeOnly, true, isExported);
    } else if (ts.isImportDeclaration(statement) && statement.importClause !== undefined) {
      const clause = statement.importClause;
      const value = !clause.isTypeOnly;
      if (clause.name !== undefined) add(clause.name.text, value, true, false);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
        add(bindings.name.text, value, true, false);
      } else if (bindings !== undefined) {
        for (const element of bindings.elements) {
          add(element.name.text, value && !element.isTypeOnly, true, false);
        }
      }
    }
  }
  return { declared, exported };
}

function hasExportModifier(ts: typeof TypeScript, statement: TypeScript.Statement): boolean {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

function bindingNames(ts: typeof TypeScript, name: TypeScript.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) names.push(...bindingNames(ts, element.name));
  }
  return names;
}
