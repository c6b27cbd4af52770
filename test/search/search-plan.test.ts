/**
 * The million-row benchmark's Q3: a search over a trigram-indexed field is planned from statistics, per request
 * (core/data/search-plan.ts): the gram with the fewest postings narrows, not the one the letters
 * look rarest; and when the rarest gram still leaves more than a tenth of the rows the caller may
 * see (the maintained department counts), the plain LIKE runs without the index. Every plan
 * answers as the plain LIKE does.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { defineSearchableModule } from '../support/searchable-module.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, ok } from '../access/helpers.js';
import { GRAM_COUNT_CAP } from '../../core/data/search-plan.js';

describeEachDialect('a search planned from posting and department counts', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  /** Sees the leads of department 001002 only: 4 of 57. */
  let narrow: Client;
  let statements: MockInstance;
  const sqlOf = () => statements.mock.calls.map(([s]) => s as { sql: string; params: unknown[] });
  const reads = (module: string) => sqlOf().filter((s) => new RegExp(`FROM [\`"]${module}[\`"] AS [\`"]t0[\`"]`).test(s.sql));
  const planning = () => sqlOf().filter((s) => s.sql.includes(`LIMIT ${GRAM_COUNT_CAP}`) || s.sql.includes('_stratum_counts'));
  const spy = () => {
    statements?.mockRestore();
    statements = vi.spyOn(app.stratum.db, 'all');
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
    admin = await app.admin();
    narrow = w.users.sales_001002!.client;
    await defineSearchableModule(admin, w, 'lead');
    const near = w.salesmen.find((s) => s.dept === '001002')!.id;
    const far = w.salesmen.find((s) => s.dept === '001001')!.id;
    const leads: [string, number][] = [
      ...Array.from({ length: 3 }, (_, i): [string, number] => [`Zed Near ${i}`, near]),
      ...Array.from({ length: 40 }, (_, i): [string, number] => [`Zed Far ${i}`, far]),
      // "jqz" looks the rarest gram by its letters, and is the most common of "Jqz Eta".
      ...Array.from({ length: 13 }, (_, i): [string, number] => [`Jqz Lee ${i}`, far]),
      ['Jqz Eta', near],
    ];
    for (const [name, salesman] of leads) await ok(admin.post('/api/data/lead', { name, salesman }));
  });
  afterAll(async () => app?.close());

  it('narrows by the gram with the fewest postings, not by the rarest-looking letters', async () => {
    spy();
    const found = expectStatus(await admin.get('/api/data/lead?q=Jqz%20Eta'), 200).body;
    expect(found.data.map((r: { name: string }) => r.name)).toEqual(['Jqz Eta']);
    expect(found.meta.total).toBe(1);
    const [page] = reads('lead');
    expect(page!.sql).toContain('_stratum_trigrams');
    const gram = page!.params.find((p) => typeof p === 'string' && p.length === 3 && !p.includes('%')) as string;
    expect(gram).not.toBe('jqz');
    const [posted] = await app.stratum.db.all({ sql: 'SELECT COUNT(*) AS n FROM _stratum_trigrams WHERE module = $1 AND field = $2 AND gram = $3', params: ['lead', 'name', gram] });
    expect(Number(posted!.n)).toBe(1);
  });

  it('reads a common term without the index: the plain LIKE, same records and total', async () => {
    spy();
    const all = expectStatus(await admin.get('/api/data/lead?q=zed&pageSize=5'), 200).body;
    expect(all.meta.total).toBe(43);
    expect(reads('lead').every((s) => !s.sql.includes('_stratum_trigrams'))).toBe(true);
    expect(reads('lead').some((s) => /LIKE/.test(s.sql))).toBe(true);
  });

  it('reads without the index when the caller sees fewer rows than ten times the candidates', async () => {
    spy();
    // 4 visible leads against "near"'s 3 candidates: the department's rows are read instead.
    const mine = expectStatus(await narrow.get('/api/data/lead?q=near'), 200).body;
    expect(mine.data.map((r: { name: string }) => r.name).sort()).toEqual(['Zed Near 0', 'Zed Near 1', 'Zed Near 2']);
    expect(mine.meta.total).toBe(3);
    expect(reads('lead').every((s) => !s.sql.includes('_stratum_trigrams'))).toBe(true);
    // The admin sees 57: 3 candidates are fewer than a tenth, so the index narrows.
    spy();
    const all = expectStatus(await admin.get('/api/data/lead?q=near'), 200).body;
    expect(all.meta.total).toBe(3);
    expect(reads('lead').every((s) => s.sql.includes('_stratum_trigrams'))).toBe(true);
  });

  it('aggregate with q is planned the same way and counts the same records', async () => {
    spy();
    const counted = expectStatus(await narrow.get('/api/data/lead/aggregate?q=zed&metrics=count()'), 200).body;
    expect(counted.data).toEqual([{ 'count()': 3 }]);
    expect(reads('lead').every((s) => !s.sql.includes('_stratum_trigrams'))).toBe(true);
  });

  it('keeps the statistics a while: the same search again plans without a statement', async () => {
    expectStatus(await admin.get('/api/data/lead?q=Jqz%20Lee'), 200);
    spy();
    const again = expectStatus(await admin.get('/api/data/lead?q=Jqz%20Lee'), 200).body;
    expect(again.meta.total).toBe(13);
    expect(planning()).toEqual([]);
  });
});
