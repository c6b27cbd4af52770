import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { filterParam, startTestApp, type TestApp } from '../support/app.js';
import { buildSeed003, type World } from './seed-003-world.js';

const ids = (r: { body: { data: { id: number }[] } }) => r.body.data.map((d) => d.id).sort((a, b) => a - b);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describeEachDialect('seed 003: departments, stacked rules, counts and sums (V-1..V-9)', (dialect) => {
  let app: TestApp;
  let w: World;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    w = await buildSeed003(app);
  });
  afterAll(async () => app?.close());

  /** What each user should see of the orders, by the seed's own words. */
  const expected: Record<string, (o: World['orders'][number]) => boolean> = {
    office: () => true,
    finance: () => true,
    sales_0010: (o) => o.salesmanDept.startsWith('0010'),
    sales_001001: (o) => o.salesmanDept.startsWith('0010'),
    sales_001002: (o) => o.salesmanDept === '001002',
    gold_analyst_001002: (o) => o.salesmanDept === '001002' && o.grade === 'gold',
    big_orders: (o) => o.amount > 100_000,
    sales_2_and_3: (o) => o.salesmanDept === '001002' || o.salesmanDept === '001003',
  };

  for (const [user, sees] of Object.entries(expected)) {
    it(`${user}: order list, total, count and sum agree with the seed (V-2..V-9, V-6)`, async () => {
      const client = w.users[user]!.client;
      const want = w.orders.filter(sees);
      const list = await client.get('/api/data/order?pageSize=500');
      expect(list.status).toBe(200);
      expect(ids(list)).toEqual(sorted(want.map((o) => o.id)));
      expect(list.body.meta.total).toBe(want.length);
      const agg = await client.get('/api/data/order/aggregate?metrics=count(),sum(amount)');
      expect(agg.body.data).toEqual([{ 'count()': want.length, 'sum(amount)': want.length ? sum(want.map((o) => o.amount)) : null }]);
      const byYear = await client.get('/api/data/order/aggregate?groupBy=year(orderDate)&metrics=count(),sum(amount)');
      const years = [...new Set(want.map((o) => o.year))].sort();
      expect(byYear.body.data).toEqual(years.map((y) => {
        const inYear = want.filter((o) => o.year === y);
        return { 'year(orderDate)': y, 'count()': inYear.length, 'sum(amount)': sum(inYear.map((o) => o.amount)) };
      }));
    });
  }

  it('V-5: a 001002 user sees only 001002 salesmen, orders, order lines and receipts, however far from the department', async () => {
    const client = w.users.sales_001002!.client;
    const orders = w.orders.filter((o) => o.salesmanDept === '001002').map((o) => o.id);
    const lines = w.lines.filter((l) => orders.includes(l.order)).map((l) => l.id);
    const receipts = w.receipts.filter((r) => lines.includes(r.line)).map((r) => r.id);
    expect(ids(await client.get('/api/data/salesman'))).toEqual(sorted(w.salesmen.filter((s) => s.dept === '001002').map((s) => s.id)));
    expect(ids(await client.get('/api/data/orderline?pageSize=500'))).toEqual(sorted(lines));
    expect(ids(await client.get('/api/data/receipt?pageSize=500'))).toEqual(sorted(receipts));
    const count = await client.get('/api/data/receipt/aggregate?metrics=count()');
    expect(count.body.data[0]['count()']).toBe(receipts.length);
    // A single read of another department's receipt is a 404, as if it did not exist.
    const other = w.receipts.find((r) => !receipts.includes(r.id))!;
    expect((await client.get(`/api/data/receipt/${other.id}`)).status).toBe(404);
  });

  it('V-6: navigation counts per department node are scoped too', async () => {
    const client = w.users.sales_0010!.client;
    const nav = await client.get('/api/data/order/aggregate?groupBy=salesman.department.code&metrics=count()');
    const want = ['0010', '001001', '001002', '001003'].map((code) => ({ 'salesman.department.code': code, 'count()': w.orders.filter((o) => o.salesmanDept === code).length }));
    expect(nav.body.data).toEqual(want.filter((r) => r['count()'] > 0));
    const sales2 = await w.users.sales_001002!.client.get('/api/data/order/aggregate?groupBy=salesman.department.code&metrics=count()');
    expect(sales2.body.data).toEqual([{ 'salesman.department.code': '001002', 'count()': w.orders.filter((o) => o.salesmanDept === '001002').length }]);
  });

  it('V-3: "same level" makes 001001 see all of 0010, and its department list too', async () => {
    const depts = await w.users.sales_001001!.client.get('/api/data/department?sort=code');
    expect(depts.body.data.map((d: { code: string }) => d.code)).toEqual(['0010', '001001', '001002', '001003']);
  });

  it('V-8: the gold analyst of 001002 sees gold customers only, and searching or filtering cannot reach others', async () => {
    const client = w.users.gold_analyst_001002!.client;
    const customers = await client.get('/api/data/customer');
    expect(customers.body.data.every((c: { grade: string }) => c.grade === 'gold')).toBe(true);
    const silver = await client.get(`/api/data/order?${filterParam({ 'customer.grade': 'silver' })}`);
    expect(silver.body.meta.total).toBe(0);
  });

  it('no side channel: a filter on a related module only sees related records the user may see', async () => {
    // big_orders sees only large orders; counting order lines whose order is small must find none.
    const client = w.users.big_orders!.client;
    const small = await client.get(`/api/data/orderline?${filterParam({ 'order.amount': { lt: 100000 } })}`);
    expect(small.body.meta.total).toBe(0);
    const embedded = await client.get('/api/data/orderline?fields=amount,order.number&pageSize=500');
    const visibleOrders = new Set(w.orders.filter((o) => o.amount > 100_000).map((o) => o.id));
    for (const line of embedded.body.data) {
      if (line.order !== null) expect(visibleOrders.has(line.order.id)).toBe(true);
    }
  });

  it('explain shows the compiled SQL, its AST and the rules; per record it names the deciding rule and department', async () => {
    const admin = await app.admin();
    const gold = w.users.gold_analyst_001002!;
    const ex = await admin.get(`/api/data/order/explain?user=${gold.id}`);
    expect(ex.status).toBe(200);
    // 001002 is a leaf: equality, not a prefix (V-2's optimisation), on the order's own
    // maintained department column: no join to salesman and department (V-11).
    expect(ex.body.actions.read.sql).toMatch(/t0["`]\.["`]_scope["`] = \$\d/);
    expect(ex.body.actions.read.joins).not.toMatch(/department/);
    expect(ex.body.actions.read.params).toEqual(expect.arrayContaining(['gold', '001002']));
    const wide = await admin.get(`/api/data/order/explain?user=${w.users.sales_0010!.id}`);
    expect(wide.body.actions.read.sql).toMatch(/t0["`]\.["`]_scope["`] LIKE \$1/);
    expect(wide.body.actions.read.params).toEqual(['0010%']);
    expect(ex.body.actions.read.bases.map((b: { base: string; path: string }) => `${b.base}@${b.path}`).sort()).toEqual(['customer@customer', 'department@salesman.department']);
    const goldOrder = w.orders.find((o) => o.salesmanDept === '001002' && o.grade === 'gold')!;
    const silverOrder = w.orders.find((o) => o.salesmanDept === '001002' && o.grade === 'silver')!;
    const yes = await admin.get(`/api/data/order/${goldOrder.id}/explain?user=${gold.id}`);
    expect(yes.body.visible).toBe(true);
    expect(yes.body.recordDepartment).toBe('001002');
    const no = await admin.get(`/api/data/order/${silverOrder.id}/explain?user=${gold.id}`);
    expect(no.body.visible).toBe(false);
    const customerBase = no.body.bases.find((b: { base: string }) => b.base === 'customer');
    expect(customerBase.passes).toBe(false);
    expect(customerBase.rules).toEqual([{ id: expect.any(Number), name: 'gold customers', passes: false }]);
    // Non-admins may not explain.
    expect((await gold.client.get(`/api/data/order/explain?user=${gold.id}`)).status).toBe(403);
  });
});
