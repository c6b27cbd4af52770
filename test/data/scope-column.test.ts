import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { countDrift as countDriftOf } from '../support/count-drift.js';
import { dropModule } from '../api/crm.js';

/**
 * Each row's department copy (`_scope`) stays equal to the department its references
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
  const countDrift = () => countDriftOf(app.stratum);
  const noDrift = async () => {
    expect(await countDrift()).toEqual([]);
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

  it('counts follow cascaded deletes, also down a tree of records (any depth)', async () => {
    await admin.post('/api/modules', { $id: 'task', type: 'object', properties: {
      title: { type: 'string', maxLength: 20 },
      salesman: { type: 'integer', 'x-ref': 'salesman', 'x-on-delete': 'cascade' },
      parent: { type: 'integer', 'x-ref': 'task', 'x-on-delete': 'cascade', 'x-scope': false },
    } });
    await admin.post('/api/modules', { $id: 'tasknote', type: 'object', properties: {
      text: { type: 'string', maxLength: 20 }, task: { type: 'integer', 'x-ref': 'task', 'x-on-delete': 'cascade' },
    } });
    const s = (await admin.post('/api/data/salesman', { name: 'tree', department: w.dept['001002'] })).body.id;
    const other = (await admin.post('/api/data/salesman', { name: 'other', department: w.dept['001001'] })).body.id;
    const root = (await admin.post('/api/data/task', { title: 'root', salesman: s })).body.id;
    const child = (await admin.post('/api/data/task', { title: 'child', salesman: other, parent: root })).body.id;
    const grandchild = (await admin.post('/api/data/task', { title: 'grandchild', salesman: other, parent: child })).body.id;
    await admin.post('/api/data/tasknote', { text: 'n', task: grandchild });
    await admin.post('/api/data/tasknote', { text: 'n', task: root });
    await noDrift();
    expect((await admin.delete(`/api/data/task/${root}`)).status).toBe(204);
    expect((await admin.get('/api/data/task')).body.meta.total).toBe(0);
    await noDrift();
    const t = (await admin.post('/api/data/task', { title: 'again', salesman: s })).body.id;
    await admin.post('/api/data/tasknote', { text: 'n', task: t });
    expect((await admin.delete(`/api/data/salesman/${s}`)).status).toBe(204);
    await noDrift();
    expect((await admin.get('/api/data/tasknote')).body.meta.total).toBe(0);
  });

  it('bulk updates and deletes keep the counts, and a deleted module leaves none behind', async () => {
    const ids = (await admin.get('/api/data/order?pageSize=3')).body.data.map((o: { id: number }) => o.id);
    const target = w.salesmen.find((x) => x.dept === '001001')!;
    expect((await admin.post('/api/data/order/bulk', { action: 'update', ids, values: { salesman: target.id } })).status).toBe(200);
    await noDrift();
    await admin.post('/api/modules', { $id: 'scratch', type: 'object', properties: { salesman: { type: 'integer', 'x-ref': 'salesman' } } });
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await admin.post('/api/data/scratch', { salesman: target.id })).body.id);
    expect((await admin.post('/api/data/scratch/bulk', { action: 'delete', ids: made.slice(1) })).status).toBe(200);
    await noDrift();
    await dropModule(admin, 'scratch');
    await admin.post('/api/modules', { $id: 'scratch', type: 'object', properties: { salesman: { type: 'integer', 'x-ref': 'salesman' } } });
    expect((await admin.get('/api/data/scratch')).body.meta.total).toBe(0);
    await noDrift();
  });

  it('a total from the maintained counts equals a real count, for admin and for a department', async () => {
    for (const user of ['sales_001002', 'sales_0010']) {
      const fast = await total(user, 'order');
      // q= makes the condition more than a department restriction: a real COUNT.
      const counted = (await w.users[user]!.client.get('/api/data/order?pageSize=1&total=capped&totalCap=1000000')).body.meta.total;
      expect(fast).toBe(counted);
    }
    const all = (await admin.get('/api/data/order?pageSize=1')).body.meta.total;
    const rows = await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${q('order')}`, params: [] });
    expect(all).toBe(Number(rows[0]!.n));
  });

  it('those totals really come from the counts, and only when the condition is only departments', async () => {
    // A marker row of 1000 in 001002's count: who reads the counts sees it, a real COUNT does not.
    const marker = { sql: `INSERT INTO ${q('_stratum_counts')} (${q('module')}, ${q('scope')}, ${q('slot')}, ${q('n')}) VALUES ('order', '001002', 99, 1000)`, params: [] };
    const before = { sales: await total('sales_001002', 'order'), admin: (await admin.get('/api/data/order?pageSize=1')).body.meta.total };
    const filtered = (await admin.get(`/api/data/order?pageSize=1&filter=${encodeURIComponent(JSON.stringify({ id: { gt: 0 } }))}`)).body.meta.total;
    await app.stratum.db.insert(marker);
    try {
      expect(await total('sales_001002', 'order')).toBe(before.sales + 1000);
      expect((await admin.get('/api/data/order?pageSize=1')).body.meta.total).toBe(before.admin + 1000);
      expect((await admin.get(`/api/data/order?pageSize=1&filter=${encodeURIComponent(JSON.stringify({ id: { gt: 0 } }))}`)).body.meta.total).toBe(filtered);
      expect((await admin.get('/api/data/order?pageSize=1&q=zzz-no-such')).body.meta.total).toBe(0);
    } finally {
      await app.stratum.db.delete({ sql: `DELETE FROM ${q('_stratum_counts')} WHERE ${q('slot')} = 99`, params: [] });
    }
  });

  it('rows written around the engine are put right by afterBulkLoad', async () => {
    await app.stratum.db.update({ sql: `UPDATE ${q('order')} SET ${q('_scope')} = NULL`, params: [] });
    await app.stratum.db.delete({ sql: `DELETE FROM ${q('_stratum_counts')}`, params: [] });
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
