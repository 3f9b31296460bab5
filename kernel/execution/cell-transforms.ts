/**
 * What compiling a cell adds to TypeScript's own CommonJS output: a name an earlier cell
 * declared is read from the cells' shared `exports` (`x` becomes `exports.x`), and the value of
 * a last expression statement is kept under {@link LAST_VALUE}. Declaration output loses its
 * `export { … }` statements: the next cell sees them as its own scope's declarations.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";

/** The key of `exports` that holds the value of the cell's last expression. */
export const LAST_VALUE = "<last expression>";

/** What the transformers need to know about the cell being emitted. */
export interface CellTransformContext {
  readonly checker: TypeScript.TypeChecker;
  /** The declarations of earlier cells, which the cell file is scoped under. */
  readonly previous: TypeScript.SourceFile;
  /** The cell's last statement when it is an expression statement. */
  readonly last: TypeScript.ExpressionStatement | undefined;
}

/** The transformers of one cell's emit. */
export function cellTransformers(
  ts: typeof TypeScript,
  cell: CellTransformContext,
): TypeScript.CustomTransformers {
  const { checker } = cell;
  const previousLocals = (cell.previous as { locals?: ReadonlyMap<string, TypeScript.Symbol> })
    .locals;
  const isPrevious = (symbol: TypeScript.Symbol | undefined): boolean =>
    symbol !== undefined && previousLocals?.get(symbol.escapedName as string) === symbol;

  const after: TypeScript.TransformerFactory<TypeScript.SourceFile> = (context) => {
    const { factory } = context;
    const exportsOf = (name: string) =>
      factory.createPropertyAccessExpression(factory.createIdentifier("exports"), name);
    const visit = (node: TypeScript.Node): TypeScript.Node => {
      if (ts.isIdentifier(node)) {
        const original = ts.getParseTreeNode(node, ts.isIdentifier);
        return original !== undefined && isPrevious(checker.getSymbolAtLocation(original))
          ? exportsOf(node.text)
          : node;
      }
      if (ts.isPropertyAccessExpression(node)) {
        // `a.x`: only `a` may be a name of an earlier cell.
        const target = ts.visitNode(node.expression, visit, ts.isExpression);
        return factory.updatePropertyAccessExpression(node, target, node.name);
      }
      if (ts.isShorthandPropertyAssignment(node)) {
        const original = ts.getParseTreeNode(node, ts.isShorthandPropertyAssignment);
        if (
          original !== undefined &&
          isPrevious(checker.getShorthandAssignmentValueSymbol(original))
        ) {
          return factory.createPropertyAssignment(node.name, exportsOf(node.name.text));
        }
        return node;
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (file) => {
      const visited = ts.visitEachChild(file, visit, context);
      if (cell.last === undefined) return visited;
      const statements = [...visited.statements];
      for (let i = statements.length - 1; i >= 0; i--) {
        const statement = statements[i];
        if (
          statement !== undefined &&
          ts.isExpressionStatement(statement) &&
          ts.getOriginalNode(statement) === cell.last
        ) {
          const target = factory.createElementAccessExpression(
            factory.createIdentifier("exports"),
            factory.createStringLiteral(LAST_VALUE),
          );
          statements[i] = factory.createExpressionStatement(
            factory.createAssignment(target, statement.expression),
          );
          return factory.updateSourceFile(visited, statements);
        }
      }
      return visited;
    };
  };

  const afterDeclarations: TypeScript.TransformerFactory<
    TypeScript.SourceFile | TypeScript.Bundle
  > = (context) => (file) =>
    ts.isSourceFile(file)
      ? context.factory.updateSourceFile(
          file,
          file.statements.filter((s) => !ts.isExportDeclaration(s)),
        )
      : file;

  return { after: [after], afterDeclarations: [afterDeclarations] };
}
