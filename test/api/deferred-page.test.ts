/**
 * A department-restricted user's unfiltered page, read newest first through the
 * (sort, id, _scope) index, picks its ids from the index alone and then reads those rows (a
 * deferred join, MariaDB): newer records of other departments on top of the index cost no row
 * reads. The answers are those of the plain page — first page, a later page by offset, keyset
 * pages — and anything but the bare department condition keeps the plain form.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, ok } from '../access/helpers.js';

const DEFERRED = /IN \(SELECT `id` FROM \(SELECT `t0`\.`id` AS `id` FROM `sale` AS `t0` FORCE INDEX/;

describeEachDialect('a restricted page picked from the index first', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let sales: Client;
  let statements: MockInstance;
  /** Every sale sales_0010 may read, newest first (the default sort, then id). */
  let expected: number[];
  /** The list's page: the statement that reads sales in order (not the grants or the total). */
  const pageStatement = () => statements.mock.calls.map(([s]) => s.sql as string)
    .find((sql) => /FROM [`"]sale[`"] AS [`"]t0[`"]/.test(sql) && sql.includes('ORDER BY'))!;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
    admin = await app.admin();
    sales = w.users.sales_0010!.client;
    // Listed newest first by date: the engine keeps (saleDate, id, _scope) for that order.
    await ok(admin.post('/api/modules', {
      $id: 'sale', type: 'object',
      properties: { number: { type: 'string', maxLength: 20 }, saleDate: { type: 'string', format: 'date' }, salesman: { type: 'integer', 'x-ref': 'salesman' } },
      required: ['number', 'saleDate'],
      'x-list': { sort: '-saleDate' },
    }));
    await ok(admin.post('/api/data/permission', { role: w.roles.staff, module: 'sale', actions: ['read'] }));
    const date = (day: number) => `2024-${String(1 + (day % 12)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`;
    const mine: { id: number; saleDate: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const s = w.salesmen[i % w.salesmen.length]!;
      mine.push(await ok(admin.post('/api/data/sale', { number: `mine-${i}`, saleDate: date(i * 5), salesman: s.id })));
    }
    // Newer sales than any of sales_0010's, in a department they do not see: the top of the index.
    const outsider = (await ok(admin.post('/api/data/salesman', { name: 'outsider', department: w.dept['0002'] }))).id;
    for (let i = 0; i < 60; i++) await ok(admin.post('/api/data/sale', { number: `outside-${i}`, saleDate: '2025-06-01', salesman: outsider }));
    expected = [...mine].sort((a, b) => (a.saleDate === b.saleDate ? b.id - a.id : a.saleDate < b.saleDate ? 1 : -1)).map((r) => r.id);
  });
  afterAll(async () => app?.close());

  const spy = () => {
    statements?.mockRestore();
    statements = vi.spyOn(app.stratum.db, 'all');
  };

  it('the first page and a later page by offset are the plain page, read through the index first on MariaDB', async () => {
    spy();
    const first = expectStatus(await sales.get('/api/data/sale?pageSize=3'), 200).body;
    expect(first.data.map((r: { id: number }) => r.id)).toEqual(expected.slice(0, 3));
    expect(first.meta.total).toBe(expected.length);
    if (dialect === 'mariadb') expect(pageStatement()).toMatch(DEFERRED);
    else expect(pageStatement()).not.toContain('FORCE INDEX');
    const second = expectStatus(await sales.get('/api/data/sale?pageSize=3&page=2'), 200).body;
    expect(second.data.map((r: { id: number }) => r.id)).toEqual(expected.slice(3, 6));
  });

  it('keyset pages walk the same records', async () => {
    const seen: number[] = [];
    let after = '';
    for (let i = 0; i < 50; i++) {
      const r = expectStatus(await sales.get(`/api/data/sale?pageSize=4&total=none&after=${encodeURIComponent(after)}`), 200).body;
      seen.push(...r.data.map((d: { id: number }) => d.id));
      if (!r.meta.next) break;
      after = r.meta.next;
    }
    expect(seen).toEqual(expected);
  });

  it('a filtered page keeps the plain form', async () => {
    spy();
    const r = expectStatus(await sales.get(`/api/data/sale?pageSize=3&filter=${encodeURIComponent(JSON.stringify({ number: { startsWith: 'mine' } }))}`), 200).body;
    expect(r.data.length).toBeGreaterThan(0);
    expect(pageStatement()).not.toMatch(DEFERRED);
  });
});
