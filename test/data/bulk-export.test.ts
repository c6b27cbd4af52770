import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';

describeEachDialect('exports and bulk operations go through the enforcement point', (dialect) => {
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
  });
  afterAll(async () => app?.close());

  it('a CSV export holds exactly the rows of the caller\'s list (V-6: exports are scoped)', async () => {
    const r = await w.users.sales_001002!.client.get('/api/data/order/export?fields=number,amount,salesman.department.code&sort=number');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = String(r.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,number,amount,salesman.department.code,salesman.department.id,salesman.id');
    const mine = w.orders.filter((o) => o.salesmanDept === '001002');
    expect(lines.length - 1).toBe(mine.length);
    for (const line of lines.slice(1)) expect(line.split(',')[3]).toBe('001002');
  });

  it('a bad export parameter is a clean 400 before any CSV is sent', async () => {
    const r = await w.users.sales_001002!.client.get('/api/data/order/export?sort=nope');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_query');
  });

  it('bulk update is all or nothing, and cannot reach records outside the caller\'s scope', async () => {
    const admin = await app.admin();
    await admin.post('/api/data/permission', { role: w.roles.staff, module: 'customer', actions: ['read', 'update'] }).then((r) => {
      // staff already has a read permission on customer: the unique (role, module) pair refuses a second one.
      expect(r.status).toBe(409);
    });
    const perms = await admin.get(`/api/data/permission?filter=${encodeURIComponent(JSON.stringify({ role: w.roles.staff, module: 'order' }))}`);
    const perm = perms.body.data[0];
    expect((await admin.patch(`/api/data/permission/${perm.id}`, { actions: ['read', 'update'] })).status).toBe(200);
    const client = w.users.sales_001002!.client;
    const mine = w.orders.filter((o) => o.salesmanDept === '001002').map((o) => o.id);
    const foreign = w.orders.find((o) => o.salesmanDept === '001003')!.id;
    const refused = await client.post('/api/data/order/bulk', { action: 'update', ids: [mine[0], foreign], values: { number: 'changed' } });
    expect(refused.status).toBe(404);
    expect(refused.body.error.id).toBe(foreign);
    const first = await admin.get(`/api/data/order/${mine[0]}`);
    expect(first.body.number).not.toBe('changed');
    const done = await client.post('/api/data/order/bulk', { action: 'update', ids: mine, values: { number: 'changed' } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ action: 'update', count: mine.length });
    const after = await admin.get(`/api/data/order?filter=${encodeURIComponent(JSON.stringify({ number: 'changed' }))}&pageSize=500`);
    expect(after.body.data.map((o: { id: number }) => o.id).sort((a: number, b: number) => a - b)).toEqual([...mine].sort((a, b) => a - b));
  });

  it('bulk delete without the delete permission is 403 and deletes nothing', async () => {
    const client = w.users.sales_001002!.client;
    const line = w.lines[0]!.id;
    const r = await client.post('/api/data/receipt/bulk', { action: 'delete', ids: [w.receipts[0]!.id] });
    expect(r.status).toBe(403);
    expect(r.body.error.permission).toBe('receipt:delete');
    const admin = await app.admin();
    expect((await admin.get(`/api/data/orderline/${line}`)).status).toBe(200);
    expect((await admin.get(`/api/data/receipt/${w.receipts[0]!.id}`)).status).toBe(200);
  });

  it('a bad bulk request names every fault', async () => {
    const admin = await app.admin();
    const r = await admin.post('/api/data/order/bulk', { action: 'merge', ids: [] });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/action', '/ids']);
  });
});
