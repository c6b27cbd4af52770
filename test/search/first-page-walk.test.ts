/**
 * The million-row benchmark's Q3: the first page of a search whose matches are dense among the rows the caller sees
 * is found by walking the primary key, newest first, and stopping after a bounded number of rows
 * (MariaDB's `LIMIT … ROWS EXAMINED`, core/data/search-plan.ts planSearchedPage). A full page
 * from the walk is the true page; a short one is read again through the postings. Every plan
 * answers as the plain LIKE does, on both dialects (SQLite never walks).
 *
 * 800 prospects: the 70 oldest are "Zorblat …" (their walk from the newest row stops short), then
 * every tenth is "Quimby …" (met within the first rows walked), the rest "Item …".
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { defineSearchableModule } from '../support/searchable-module.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, ok } from '../access/helpers.js';
import type { Compiled } from '../../core/query/ast.js';
import { CompileError, QueryCompiler } from '../../core/query/compile.js';

describeEachDialect('a dense search walks the primary key for its first page', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let statements: MockInstance;
  const names: string[] = [];
  const reads = () => statements.mock.calls.map(([s]) => s as Compiled).filter((s) => /FROM [`"]prospect[`"] AS [`"]t0[`"]/.test(s.sql));
  const walks = () => reads().filter((s) => s.sql.includes('ROWS EXAMINED'));
  const pageReads = () => reads().filter((s) => !s.sql.includes('COUNT(*)'));
  const spy = () => {
    statements?.mockRestore();
    statements = vi.spyOn(app.stratum.db, 'all');
  };
  /** The newest `n` prospects whose name contains `text` (ids follow the names' order). */
  const newest = (text: string, n: number) => names.map((name, i) => ({ id: i + 1, name })).filter((r) => r.name.toLowerCase().includes(text)).reverse().slice(0, n);

  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
    admin = await app.admin();
    await defineSearchableModule(admin, w, 'prospect');
    for (let i = 0; i < 800; i++) names.push(i < 70 ? `Zorblat ${i}` : i % 10 === 0 ? `Quimby ${i}` : `Item ${i}`);
    const salesman = w.salesmen[0]!.id;
    const q = (s: string) => app.stratum.db.quote(s);
    const now = '2025-01-01 00:00:00.000';
    // Written around the engine in a few statements, then made whole as a bulk load is.
    for (let from = 0; from < names.length; from += 200) {
      const chunk = names.slice(from, from + 200);
      const params: unknown[] = [now, salesman];
      const values = chunk.map((name) => `($${params.push(name)}, $2, $1, $1, 1)`);
      await app.stratum.db.insert({
        sql: `INSERT INTO ${q('prospect')} (${q('name')}, ${q('salesman')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ${values.join(', ')}`,
        params,
      });
    }
    await app.stratum.afterBulkLoad();
    // Each caller once before the spies: a caller's first read after a change is answered twice.
    await ok(admin.get('/api/data/prospect?pageSize=1'), 200);
    await ok(w.users.sales_001002!.client.get('/api/data/prospect?pageSize=1'), 200);
  });
  afterAll(async () => app?.close());

  it('finds a dense term in the newest rows: one bounded walk, no postings for the page', async () => {
    spy();
    const found = expectStatus(await admin.get('/api/data/prospect?q=quimby&pageSize=5'), 200).body;
    expect(found.data.map((r: { id: number; name: string }) => ({ id: r.id, name: r.name }))).toEqual(newest('quimby', 5));
    expect(found.meta.total).toBe(73);
    if (dialect === 'mariadb') {
      expect(walks()).toHaveLength(1);
      expect(pageReads()).toHaveLength(1);
      // The walk follows the key in the sort order: a sorted read stopped early would answer a wrong page.
      const [walk] = walks();
      const plan = await app.stratum.db.all({ sql: `EXPLAIN ${walk!.sql}`, params: walk!.params });
      expect(plan[0]!.key).toBe('PRIMARY');
      expect(String(plan[0]!.Extra)).not.toMatch(/filesort/i);
    } else {
      expect(walks()).toEqual([]);
    }
  });

  it('reads the postings when the walk stops short of a page: the oldest rows match', async () => {
    spy();
    const found = expectStatus(await admin.get('/api/data/prospect?q=zorblat&pageSize=5'), 200).body;
    expect(found.data.map((r: { id: number; name: string }) => ({ id: r.id, name: r.name }))).toEqual(newest('zorblat', 5));
    expect(found.meta.total).toBe(70);
    const pages = pageReads();
    expect(pages.at(-1)!.sql).toContain('_stratum_trigrams');
    expect(walks()).toHaveLength(dialect === 'mariadb' ? 1 : 0);
  });

  it('does not walk a page sorted by another field, or a page after the first', async () => {
    spy();
    const sorted = expectStatus(await admin.get('/api/data/prospect?q=quimby&pageSize=5&sort=name'), 200).body;
    expect(sorted.data.map((r: { name: string }) => r.name)).toEqual(newest('quimby', 73).map((r) => r.name).sort().slice(0, 5));
    const second = expectStatus(await admin.get('/api/data/prospect?q=quimby&pageSize=5&page=2'), 200).body;
    expect(second.data.map((r: { id: number }) => r.id)).toEqual(newest('quimby', 10).slice(5).map((r) => r.id));
    expect(walks()).toEqual([]);
  });

  it('a caller who sees a few rows reads them, without a walk', async () => {
    spy();
    // sales_001002 sees no prospect (all belong to another department's salesman, or the first's).
    const client = w.users.sales_001002!.client;
    const seen = expectStatus(await client.get('/api/data/prospect?q=quimby&pageSize=5'), 200).body;
    expect(walks()).toEqual([]);
    expect(seen.data.every((r: { name: string }) => r.name.startsWith('Quimby'))).toBe(true);
  });

  it('the compiler refuses ROWS EXAMINED without a forced index: a sorted read must not stop early', async () => {
    const compiler = new QueryCompiler(await app.stratum.registry.graph(), app.stratum.db.dialect);
    expect(() => compiler.select({
      module: 'prospect', where: { kind: 'const', value: true }, columns: [{ refs: [], field: 'id' }],
      orderBy: [{ target: { refs: [], field: 'id' }, desc: true }], limit: 5, rowsExamined: 100,
    })).toThrow(CompileError);
  });
});
