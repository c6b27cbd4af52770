/**
 * The catalogue of error codes (core/error-codes.ts) is the whole truth about them: every code
 * core/ answers with is in it, every entry in it is answered somewhere, all are snake_case, the UI
 * matches only on codes that exist, and docs/ERRORS.md is the catalogue as tables. The source is
 * read with TypeScript's parser, so a code written anywhere as a literal is found wherever it sits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DETAIL_CODES, ERROR_CODES, MISFIT_CODES, PLUGIN_OFF } from '../../core/error-codes.js';
import { DESIGNERS_EN } from '../../ui/strings/designers.js';
import { ROOT } from '../architecture/imports.js';

type Bucket = 'error' | 'detail' | 'misfit';
interface Use {
  readonly code: string;
  readonly bucket: Bucket;
  /** For a top-level code: the status written beside it. */
  readonly status?: number;
  readonly at: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const where = (sf: ts.SourceFile, n: ts.Node) => `${path.relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;

/** The string literals an expression may evaluate to (`a ? 'x' : 'y'`, `c ?? 'z'`, `'w' satisfies …`); `undefined` when it is computed. */
function literals(e: ts.Expression): string[] | undefined {
  if (ts.isStringLiteralLike(e)) return [e.text];
  if (ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e) || ts.isAsExpression(e)) return literals(e.expression);
  if (ts.isConditionalExpression(e)) {
    const [a, b] = [literals(e.whenTrue), literals(e.whenFalse)];
    return a && b ? [...a, ...b] : undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return literals(e.right);
  return undefined;
}

const numberOf = (e: ts.Expression | undefined) => (e && ts.isNumericLiteral(e) ? Number(e.text) : undefined);
const hasProperty = (o: ts.ObjectLiteralExpression, name: string) => o.properties.some((p) => p.name?.getText() === name);

/** Every code core/ writes: arguments of the throwing helpers, and `code:` of the objects it answers. */
function usesIn(dir: string): { uses: Use[]; computed: string[]; directLiterals: string[] } {
  const uses: Use[] = [];
  const computed: string[] = [];
  const directLiterals: string[] = [];
  // The catalogue itself is what the uses are checked against.
  for (const file of sourceFiles(path.join(ROOT, dir)).filter((f) => !f.endsWith(`core${path.sep}error-codes.ts`))) {
    const sf = parse(file);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
        const callee = n.expression.getText(sf);
        const args = n.arguments ?? [];
        const codeArg = callee === 'httpError' || callee === 'HttpError' ? args[1] : callee === 'badRequest' || callee === 'conflict' ? args[0] : undefined;
        if (codeArg) {
          const codes = literals(codeArg);
          const status = callee === 'badRequest' ? 400 : callee === 'conflict' ? 409 : numberOf(args[0]);
          if (codes) for (const code of codes) uses.push({ code, bucket: 'error', status, at: where(sf, n) });
          // A helper passes its parameter on and a rethrow keeps the code it caught; anything else computed is named below.
          else if (!/^(\w+\.)?code$/.test(codeArg.getText(sf))) computed.push(`${where(sf, n)} ${codeArg.getText(sf)}`);
          if (callee === 'HttpError' && codes && !file.endsWith(`core${path.sep}errors.ts`)) directLiterals.push(where(sf, n));
        }
      }
      if (ts.isPropertyAssignment(n) && n.name.getText(sf) === 'code' && ts.isObjectLiteralExpression(n.parent)) {
        const owner = n.parent;
        const inError = ts.isPropertyAssignment(owner.parent) && owner.parent.name.getText(sf) === 'error';
        const bucket: Bucket = inError ? 'error' : hasProperty(owner, 'misfit') || hasProperty(owner, 'reason') ? 'misfit' : 'detail';
        const status = inError ? numberOf((owner.parent.parent.parent as ts.CallExpression).arguments?.[1]) : undefined;
        for (const code of literals(n.initializer) ?? []) uses.push({ code, bucket, status, at: where(sf, n) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return { uses, computed, directLiterals };
}

const { uses, computed, directLiterals } = usesIn('core');
const CATALOGUE: Record<Bucket, Record<string, unknown>> = { error: ERROR_CODES, detail: DETAIL_CODES, misfit: MISFIT_CODES };
const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

describe('the catalogue of error codes', () => {
  it('finds the codes core/ writes (the scan itself works)', () => {
    const found = (bucket: Bucket, code: string) => uses.some((u) => u.bucket === bucket && u.code === code);
    expect([found('error', 'stale'), found('error', 'internal'), found('detail', 'above_maximum'), found('detail', 'name_clash'), found('misfit', 'out_of_range')]).toEqual([true, true, true, true, true]);
  });

  it('holds every code core/ answers with, each where it is used', () => {
    const missing = uses.filter((u) => !(u.code in CATALOGUE[u.bucket])).map((u) => `${u.at} ${u.bucket} ${u.code}`);
    expect(missing).toEqual([]);
  });

  it('gives each top-level code the statuses it is answered with', () => {
    const wrong = uses
      .filter((u) => u.bucket === 'error' && u.code in ERROR_CODES)
      .filter((u) => u.status === undefined || !(ERROR_CODES[u.code as keyof typeof ERROR_CODES].status as readonly number[]).includes(u.status))
      .map((u) => `${u.at} ${u.code} ${u.status}`);
    expect(wrong).toEqual([]);
  });

  it('has no entry that nothing answers with', () => {
    const dead = (Object.keys(CATALOGUE) as Bucket[]).flatMap((bucket) =>
      Object.keys(CATALOGUE[bucket]).filter((code) => !uses.some((u) => u.bucket === bucket && u.code === code)).map((code) => `${bucket} ${code}`),
    );
    expect(dead).toEqual([]);
  });

  it('names every code in snake_case', () => {
    const all = [...Object.keys(ERROR_CODES), ...Object.keys(DETAIL_CODES), ...Object.keys(MISFIT_CODES), PLUGIN_OFF.code.replace('<plugin>', 'plugin')];
    expect(all.filter((c) => !SNAKE.test(c))).toEqual([]);
  });

  it('is the only source of codes: core/ computes none but a disabled plugin\'s, and builds no HttpError from a literal', () => {
    // The typed helpers of core/errors.ts check codes and statuses as it compiles; a bare HttpError (the plugins' own) does not.
    expect(directLiterals).toEqual([]);
    expect(computed.map((c) => c.replace(/:\d+ /, ' '))).toEqual(['core/errors.ts `${plugin}_off`']);
  });

  it('is what the UI matches on', () => {
    const compared: string[] = [];
    for (const file of sourceFiles(path.join(ROOT, 'ui'))) {
      const sf = parse(file);
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(n.operatorToken.kind)) {
          if (/\.code$/.test(n.left.getText(sf)) && ts.isStringLiteral(n.right)) compared.push(n.right.text);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(compared).toContain('too_large');
    expect(compared.filter((c) => !(c in ERROR_CODES) && !(c in DETAIL_CODES))).toEqual([]);
  });

  it('has the UI word every misfit but `invalid` (which only the server\'s reason words)', () => {
    const words = Object.keys(DESIGNERS_EN).filter((k) => k.startsWith('misfit.')).map((k) => k.slice('misfit.'.length));
    expect(words.sort()).toEqual(Object.keys(MISFIT_CODES).filter((c) => c !== 'invalid').sort());
  });
});

describe('docs/ERRORS.md', () => {
  const doc = readFileSync(path.join(ROOT, 'docs/ERRORS.md'), 'utf8');
  /** The rows of the table under a heading: its cells, code unquoted. */
  const rows = (heading: string) => {
    const section = doc.split(/^## /m).find((s) => s.startsWith(heading));
    expect(section, `a section "## ${heading}"`).toBeDefined();
    return section!
      .split('\n')
      .filter((l) => /^\| `/.test(l))
      .map((l) => l.slice(2, -2).split(' | ').map((cell, i) => (i === 0 ? cell.replace(/^`|`$/g, '') : cell)));
  };

  it('lists the top-level codes as the catalogue has them', () => {
    expect(rows('Error codes')).toEqual([
      ...Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status.join(', '), e.meaning]),
      [PLUGIN_OFF.code, PLUGIN_OFF.status.join(', '), PLUGIN_OFF.meaning],
    ]);
  });

  it('lists the detail codes as the catalogue has them', () => {
    expect(rows('Detail codes')).toEqual(Object.entries(DETAIL_CODES).map(([code, meaning]) => [code, meaning]));
  });

  it('lists the misfit codes as the catalogue has them', () => {
    expect(rows('Misfit codes')).toEqual(Object.entries(MISFIT_CODES).map(([code, meaning]) => [code, meaning]));
  });
});
