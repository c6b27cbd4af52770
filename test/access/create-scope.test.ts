/**
 * Writes stay inside the caller's scope (API.md "Record visibility"): a create whose new record
 * falls outside the create scope is 403 with nothing written; an update may not move a record out
 * of the update scope; a reference may only name a record the caller can see (400 with a pointer,
 * the same answer as for an id that does not exist). The seed-003 world, plus a `writer` role.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, forbiddenFor, listIds, ok, sorted, tableCount, tableRow } from './helpers.js';

describeEachDialect('create and update scopes', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let s2: Client;
  let s23: Client;
  const salesmanOf = (code: string) => w.salesmen.find((s) => s.dept === code)!.id;
  const orderOf = (code: string) => w.orders.find((o) => o.salesmanDept === code)!.id;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
    admin = await app.admin();
    const writer = (await ok(admin.post('/api/data/role', { name: 'writer' }))).id;
    for (const module of ['salesman', 'order', 'orderline', 'receipt']) {
      await ok(admin.post('/api/data/permission', { role: writer, module, actions: ['read', 'create', 'update'] }));
    }
    for (const u of ['sales_001002', 'sales_2_and_3']) await ok(admin.patch(`/api/data/user/${w.users[u]!.id}`, { roles: [w.roles.staff, writer] }), 200);
    // sales_2_and_3 reads 001002 and 001003, but creates and updates salesmen (and so orders) of their own department only.
    await ok(admin.post('/api/data/rule', { name: 'write in own department', module: 'salesman', filter: { department: '$user.department' }, actions: ['create', 'update'], users: [w.users.sales_2_and_3!.id] }));
    s2 = w.users.sales_001002!.client;
    s23 = w.users.sales_2_and_3!.client;
  });
  afterAll(async () => app?.close());

  it('inside the create scope: 201, and the new record is visible to its creator', async () => {
    const before = await tableCount(app, 'salesman');
    const created = expectStatus(await s2.post('/api/data/salesman', { name: 'new in 2', department: w.dept['001002'] }), 201).body;
    expect(created).toMatchObject({ name: 'new in 2', department: w.dept['001002'], createdBy: w.users.sales_001002!.id });
    expect(await tableCount(app, 'salesman')).toBe(before + 1);
    expect(await listIds(s2, 'salesman')).toContain(created.id);
    const order = expectStatus(await s2.post('/api/data/order', { number: 'in-scope-1', amount: 10, salesman: created.id }), 201).body;
    expect(order).toMatchObject({ number: 'in-scope-1', salesman: created.id });
  });

  it('a create checks its references inside its INSERT: no statement reads them before it (the million-row benchmark\'s Q5)', async () => {
    const reads = vi.spyOn(app.stratum.db, 'all');
    const inserts = vi.spyOn(app.stratum.db, 'insertIf');
    try {
      const created = expectStatus(await s2.post('/api/data/order', { number: 'one-trip-1', amount: 3, salesman: salesmanOf('001002') }), 201).body;
      expect(created).toMatchObject({ number: 'one-trip-1', salesman: salesmanOf('001002') });
      expect(inserts).toHaveBeenCalledTimes(1);
      expect(inserts.mock.calls[0]![0].sql).toMatch(/^INSERT INTO .* SELECT .* WHERE \(SELECT COUNT\(\*\) FROM \(SELECT/);
      // Only a refused INSERT asks which reference failed.
      expect(reads.mock.calls.some(([statement]) => statement.sql.includes('UNION ALL'))).toBe(false);
      const before = await tableCount(app, 'order');
      const refused = expectStatus(await s2.post('/api/data/order', { number: 'one-trip-2', amount: 3, salesman: salesmanOf('001003') }), 400).body;
      expect(refused.error.details).toEqual([expect.objectContaining({ path: '/salesman', code: 'invalid_reference' })]);
      expect(await tableCount(app, 'order')).toBe(before);
    } finally {
      reads.mockRestore();
      inserts.mockRestore();
    }
  });

  it('a record whose path to the department is broken (no department, no salesman) is outside: 403, nothing written', async () => {
    const salesmen = await tableCount(app, 'salesman');
    const orders = await tableCount(app, 'order');
    expect(expectStatus(await s2.post('/api/data/salesman', { name: 'loose' }), 403).body).toEqual(forbiddenFor('salesman:create'));
    expect(expectStatus(await s2.post('/api/data/order', { number: 'loose-1', amount: 5 }), 403).body).toEqual(forbiddenFor('order:create'));
    expect(await tableCount(app, 'salesman')).toBe(salesmen);
    expect(await tableCount(app, 'order')).toBe(orders);
    // The admin may create both.
    const loose = expectStatus(await admin.post('/api/data/order', { number: 'loose-admin', amount: 5 }), 201).body;
    expectStatus(await admin.delete(`/api/data/order/${loose.id}`), 204);
  });

  it('a sales-2 user creating a salesman in sales 3 or an order for a sales-3 salesman: 400 pointing at the reference, nothing written', async () => {
    const salesmen = await tableCount(app, 'salesman');
    const orders = await tableCount(app, 'order');
    const lines = await tableCount(app, 'orderline');
    const receipts = await tableCount(app, 'receipt');
    const refused: [string, object, string][] = [
      ['salesman', { name: 'in 3', department: w.dept['001003'] }, '/department'],
      ['order', { number: 'foreign-1', amount: 1, salesman: salesmanOf('001003') }, '/salesman'],
      ['orderline', { order: orderOf('001001'), amount: 1 }, '/order'],
      ['receipt', { orderline: w.lines.find((l) => l.order === orderOf('0010'))!.id, amount: 1 }, '/orderline'],
    ];
    for (const [module, body, path] of refused) {
      const r = await s2.post(`/api/data/${module}`, body);
      expect({ module, status: r.status, details: r.body.error?.details }).toEqual({ module, status: 400, details: [expect.objectContaining({ path, code: 'invalid_reference' })] });
    }
    expect([await tableCount(app, 'salesman'), await tableCount(app, 'order'), await tableCount(app, 'orderline'), await tableCount(app, 'receipt')]).toEqual([salesmen, orders, lines, receipts]);
    // An invisible record and a missing one get the same answer: the reference does not reveal existence.
    const missing = await s2.post('/api/data/order', { number: 'foreign-2', amount: 1, salesman: 999_999 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: '/salesman', code: 'invalid_reference' })]);
  });

  it('a create scope narrower than the read scope: visible references, but outside what one may create → 403, nothing written', async () => {
    const visible = sorted(w.salesmen.filter((s) => s.dept === '001002' || s.dept === '001003').map((s) => s.id));
    expect((await listIds(s23, 'salesman')).filter((id) => visible.includes(id))).toEqual(visible);
    const salesmen = await tableCount(app, 'salesman');
    const orders = await tableCount(app, 'order');
    expect(expectStatus(await s23.post('/api/data/salesman', { name: 'sneaky 3', department: w.dept['001003'] }), 403).body).toEqual(forbiddenFor('salesman:create'));
    expect(expectStatus(await s23.post('/api/data/order', { number: 'sneaky-o', amount: 1, salesman: salesmanOf('001003') }), 403).body).toEqual(forbiddenFor('order:create'));
    expect(await tableCount(app, 'salesman')).toBe(salesmen);
    expect(await tableCount(app, 'order')).toBe(orders);
    expect(expectStatus(await s23.post('/api/data/salesman', { name: 'fine 2', department: w.dept['001002'] }), 201).body.department).toBe(w.dept['001002']);
    expect(expectStatus(await s23.post('/api/data/order', { number: 'fine-o', amount: 1, salesman: salesmanOf('001002') }), 201).body.salesman).toBe(salesmanOf('001002'));
  });

  it('an update that would move a record out of the update scope: 403, nothing written', async () => {
    const mine = salesmanOf('001002');
    const before = await tableRow(app, 'salesman', mine);
    expect(expectStatus(await s2.patch(`/api/data/salesman/${mine}`, { department: null, name: 'renamed' }), 403).body).toEqual(forbiddenFor('salesman:update'));
    expect(await tableRow(app, 'salesman', mine)).toEqual(before);

    // sales_2_and_3 may read 001003 but update only in 001002: moving there is refused.
    expect(expectStatus(await s23.patch(`/api/data/salesman/${mine}`, { department: w.dept['001003'] }), 403).body).toEqual(forbiddenFor('salesman:update'));
    expect(await tableRow(app, 'salesman', mine)).toEqual(before);
    // ... and a 001003 salesman, visible to them, cannot be changed at all.
    const theirs = salesmanOf('001003');
    const theirsBefore = await tableRow(app, 'salesman', theirs);
    expect(expectStatus(await s23.patch(`/api/data/salesman/${theirs}`, { name: 'x' }), 403).body).toEqual(forbiddenFor('salesman:update'));
    expect(await tableRow(app, 'salesman', theirs)).toEqual(theirsBefore);

    const order = orderOf('001002');
    const orderBefore = await tableRow(app, 'order', order);
    expect(expectStatus(await s2.patch(`/api/data/order/${order}`, { salesman: null }), 403).body).toEqual(forbiddenFor('order:update'));
    const toForeign = expectStatus(await s2.patch(`/api/data/order/${order}`, { salesman: salesmanOf('001003') }), 400);
    expect(toForeign.body.error.details).toEqual([expect.objectContaining({ path: '/salesman', code: 'invalid_reference' })]);
    expect(await tableRow(app, 'order', order)).toEqual(orderBefore);

    // Inside the scope the same calls work.
    expect(expectStatus(await s2.patch(`/api/data/salesman/${mine}`, { name: 'renamed' }), 200).body).toMatchObject({ name: 'renamed', department: w.dept['001002'] });
  });

  it('updating a record outside the read scope is 404, nothing written', async () => {
    const foreign = salesmanOf('001001');
    const before = await tableRow(app, 'salesman', foreign);
    expect(expectStatus(await s2.patch(`/api/data/salesman/${foreign}`, { name: 'hijacked', department: w.dept['001002'] }), 404).body.error.code).toBe('not_found');
    expect(await tableRow(app, 'salesman', foreign)).toEqual(before);
  });
});
