import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';

/**
 * Issue 4: each row's department copy (`_scope`) stays equal to the department its references
 * reach — after moves up the path, code changes, deletes and bulk loads — and so does what users see.
 */
describeEachDialect('the maintained department column stays true', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  const q = (s: string) => app.stratum.db.quote(s);
  /** Every row's `_scope` next to the code its references reach, for one module. */
  async function drift(table: string, path: string[]): Promise<unknown[]> {
    let from = `${q(table)} AS m`;
    let prev = 'm';
    let module = table;
    const targets: Record<string, Record<string, string>> = {
      order: { salesman: 'salesman' }, orderline: { order: 'order' }, receipt: { orderline: 'orderline' }, salesman: { department: 'department' },
    };
    path.forEach((ref, i) => {
      const target = targets[module]![ref]!;
      from += ` LEFT JOIN ${q(target)} AS j${i} ON j${i}.${q('id')} = ${prev}.${q(ref)}`;
      prev = `j${i}`;
      module = target;
    });
    const rows = await app.stratum.db.all({ sql: `SELECT m.${q('id')} AS id, m.${q('_scope')} AS s, ${prev}.${q('code')} AS c FROM ${from}`, params: [] });
    return rows.filter((r) => (r.s ?? null) !== (r.c ?? null));
  }
  const noDrift = async () => {
    expect(await drift('salesman', ['department'])).toEqual([]);
    expect(await drift('order', ['salesman', 'department'])).toEqual([]);
    expect(await drift('orderline', ['order', 'salesman', 'department'])).toEqual([]);
    expect(await drift('receipt', ['orderline', 'order', 'salesman', 'department'])).toEqual([]);
  };
  const total = async (user: string, module: string) => (await w.users[user]!.client.get(`/api/data/${module}?pageSize=1`)).body.meta.total as number;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
    admin = await app.admin();
  });
  afterAll(async () => app?.close());

  it('is filled on create, through every level of the path', noDrift);

  it('a salesman changing department moves their orders, order lines and receipts', async () => {
    const s = w.salesmen.find((x) => x.dept === '001003')!;
    const orders = w.orders.filter((o) => w.salesmen.find((x) => x.id === s.id) && o.salesmanDept === '001003');
    const before = await total('sales_001002', 'receipt');
    expect((await admin.patch(`/api/data/salesman/${s.id}`, { department: w.dept['001002'] })).status).toBe(200);
    await noDrift();
    const moved = (await admin.get(`/api/data/order?filter=${encodeURIComponent(JSON.stringify({ salesman: s.id }))}&pageSize=500`)).body.meta.total;
    expect(moved).toBeGreaterThan(0);
    expect(await total('sales_001002', 'receipt')).toBe(before + moved);
    expect(orders.length).toBeGreaterThan(0);
  });

  it('an order changing salesman moves it and its lines', async () => {
    const order = w.orders.find((o) => o.salesmanDept === '001001')!;
    const target = w.salesmen.find((x) => x.dept === '001002')!;
    const before = await total('sales_001002', 'orderline');
    expect((await admin.patch(`/api/data/order/${order.id}`, { salesman: target.id })).status).toBe(200);
    await noDrift();
    expect(await total('sales_001002', 'orderline')).toBe(before + 1);
  });

  it('a department changing its code carries its rows along', async () => {
    expect((await admin.patch(`/api/data/department/${w.dept['001003']}`, { code: '001009' })).status).toBe(200);
    await noDrift();
    expect((await admin.patch(`/api/data/department/${w.dept['001003']}`, { code: '001003' })).status).toBe(200);
    await noDrift();
  });

  it('a record deleted up the path leaves rows below it without a department (set-null)', async () => {
    await admin.post('/api/modules', { $id: 'visit', type: 'object', properties: { note: { type: 'string', maxLength: 20 }, salesman: { type: 'integer', 'x-ref': 'salesman', 'x-on-delete': 'set-null' } } });
    await admin.post('/api/data/permission', { role: w.roles.staff, module: 'visit', actions: ['read'] });
    const s = (await admin.post('/api/data/salesman', { name: 'temp', department: w.dept['001002'] })).body.id;
    await admin.post('/api/data/visit', { note: 'v', salesman: s });
    expect(await total('sales_001002', 'visit')).toBe(1);
    expect((await admin.delete(`/api/data/salesman/${s}`)).status).toBe(204);
    expect(await total('sales_001002', 'visit')).toBe(0);
    const rows = await app.stratum.db.all({ sql: `SELECT ${q('salesman')} AS s, ${q('_scope')} AS c FROM ${q('visit')}`, params: [] });
    expect(rows).toEqual([{ s: null, c: null }]);
  });

  it('rows written around the engine are put right by afterBulkLoad', async () => {
    await app.stratum.db.update({ sql: `UPDATE ${q('order')} SET ${q('_scope')} = NULL`, params: [] });
    expect((await drift('order', ['salesman', 'department'])).length).toBeGreaterThan(0);
    await app.stratum.afterBulkLoad();
    await noDrift();
  });

  it('a new shorter path (a reference added by PUT) rebuilds the column along it', async () => {
    const def = (await admin.get('/api/modules/visit')).body.definition;
    const put = await admin.put('/api/modules/visit', { ...def, properties: { ...def.properties, department: { type: 'integer', 'x-ref': 'department' } } });
    expect(put.status).toBe(200);
    await admin.post('/api/data/visit', { note: 'direct', department: w.dept['001002'] });
    expect(await total('sales_001002', 'visit')).toBe(1);
    const rows = await app.stratum.db.all({ sql: `SELECT ${q('note')} AS n, ${q('_scope')} AS c FROM ${q('visit')} ORDER BY ${q('id')}`, params: [] });
    expect(rows).toEqual([{ n: 'v', c: null }, { n: 'direct', c: '001002' }]);
  });
});
