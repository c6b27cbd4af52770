/**
 * What a plugin author can name holds no database: the declarations of everything
 * core/plugins/define-plugin.ts exports, followed through every file they import, mention no
 * sequelize (nor another driver) and no engine context or database type. Emitted in memory by
 * the TypeScript compiler, as a published .d.ts would be.
 */
import path from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'core/plugins/define-plugin.ts');

/** The emitted declarations reachable from the entry's, by path relative to the repository. */
function publicDeclarations(): Map<string, string> {
  const emitted = new Map<string, string>();
  const program = ts.createProgram([ENTRY], {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, skipLibCheck: true, resolveJsonModule: true, esModuleInterop: true,
    declaration: true, emitDeclarationOnly: true, noEmit: false, rootDir: ROOT, outDir: path.join(ROOT, '.d.ts-in-memory'),
  });
  program.emit(undefined, (file, text) => emitted.set(path.relative(path.join(ROOT, '.d.ts-in-memory'), file), text));
  const reachable = new Map<string, string>();
  const visit = (file: string) => {
    if (reachable.has(file)) return;
    const text = emitted.get(file);
    if (text === undefined) throw new Error(`no declaration emitted for ${file}`);
    reachable.set(file, text);
    for (const [, spec] of text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
      if (spec!.startsWith('.')) visit(path.join(path.dirname(file), spec!).replace(/\.js$/, '.d.ts'));
      else reachable.set(`package:${spec}`, spec!);
    }
  };
  visit('core/plugins/define-plugin.d.ts');
  return reachable;
}

it('the public plugin types reach no sequelize, no driver, no engine context and no database handle', () => {
  const files = publicDeclarations();
  expect(files.has('core/plugins/types.d.ts')).toBe(true);
  const found = [...files].flatMap(([file, text]) =>
    [/sequelize/i, /mysql2|sqlite3/, /\bDataContext\b/, /\bDatabase\b/, /\bTransaction\b/].filter((re) => re.test(text)).map((re) => `${file}: ${re}`));
  expect(found).toEqual([]);
  // Packages the plugin types may name at all: hono's request, nothing that opens a database.
  expect([...files.keys()].filter((f) => f.startsWith('package:')).sort()).toEqual(['package:hono']);
}, 60_000);
