/**
 * The repository's import graph, read with TypeScript's own pre-processor (no type checking, no
 * extra dependency): for each source file, the repository files it imports, with whether the
 * import is type-only (erased when compiled, so it ties the code to a declaration, not to a module
 * that runs).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Import {
  /** Repository-relative, with forward slashes: `core/http-app.ts`. */
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** `./x.js` from a TypeScript file names `./x.ts` (NodeNext resolution); folders are not imported by name here. */
function resolve(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Every import between repository files under `folders`: static imports, re-exports and `import()`. */
export function importsOf(folders: readonly string[]): Import[] {
  const out: Import[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(path.join(ROOT, folder))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
      const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
        if (!specifier || !ts.isStringLiteral(specifier)) return;
        const target = resolve(file, specifier.text);
        if (target) out.push({ from: rel(file), to: rel(target), typeOnly });
      };
      const visit = (node: ts.Node) => {
        if (ts.isImportDeclaration(node)) {
          const clause = node.importClause;
          const allTypes = clause !== undefined && (clause.isTypeOnly || (!clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
            && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
          add(node.moduleSpecifier, allTypes);
        } else if (ts.isExportDeclaration(node)) {
          add(node.moduleSpecifier, node.isTypeOnly);
        } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
          add(node.arguments[0], false);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
          add(node.argument.literal as ts.Expression, true);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return out;
}

export const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');
