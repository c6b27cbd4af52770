import type { Client, TestApp } from '../support/app.js';

/**
 * The example of seed 003 (SCENARIOS V-1..V-9): the department tree, salesmen, customers,
 * orders, order lines and receipts, and the users of the seed, created through the API.
 */
export interface World {
  dept: Record<string, number>;
  users: Record<string, { id: number; client: Client }>;
  orders: { id: number; amount: number; salesmanDept: string; grade: string; year: string }[];
  lines: { id: number; order: number }[];
  receipts: { id: number; line: number }[];
  salesmen: { id: number; dept: string }[];
  roles: { staff: number };
}

export const PASSWORD = 'password-for-tests';

const ok = async <T = any>(p: Promise<{ status: number; body: T }>, status = 201): Promise<T> => {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
};

export async function buildSeed003(app: TestApp): Promise<World> {
  const admin = await app.admin();
  const defs = [
    { $id: 'salesman', type: 'object', properties: { name: { type: 'string', maxLength: 60 }, department: { type: 'integer', 'x-ref': 'department' } }, required: ['name'] },
    { $id: 'customer', type: 'object', properties: { name: { type: 'string', maxLength: 60 }, grade: { type: 'string', enum: ['gold', 'silver', 'bronze'] }, industry: { type: 'string', maxLength: 30 } }, required: ['name'] },
    {
      $id: 'order', type: 'object',
      properties: { number: { type: 'string', maxLength: 20 }, amount: { type: 'number' }, orderDate: { type: 'string', format: 'date' }, customer: { type: 'integer', 'x-ref': 'customer' }, salesman: { type: 'integer', 'x-ref': 'salesman' } },
      required: ['number', 'amount'],
    },
    { $id: 'orderline', type: 'object', properties: { order: { type: 'integer', 'x-ref': 'order' }, amount: { type: 'number' } }, required: ['order', 'amount'] },
    { $id: 'receipt', type: 'object', properties: { orderline: { type: 'integer', 'x-ref': 'orderline' }, amount: { type: 'number' } }, required: ['orderline', 'amount'] },
  ];
  for (const d of defs) await ok(admin.post('/api/modules', d));

  const dept: Record<string, number> = {};
  const flags: Record<string, object> = { '0001': { seeAll: true }, '0002': { seeAll: true }, '001001': { seeSameLevel: true } };
  for (const code of ['00', '0001', '0002', '0010', '001001', '001002', '001003']) {
    dept[code] = (await ok(admin.post('/api/data/department', { code, name: `dept ${code}`, ...flags[code] }))).id;
  }
  const staff = (await ok(admin.post('/api/data/role', { name: 'staff' }))).id;
  for (const module of ['salesman', 'customer', 'order', 'orderline', 'receipt', 'department']) {
    await ok(admin.post('/api/data/permission', { role: staff, module, actions: ['read'] }));
  }

  const salesmen: World['salesmen'] = [];
  for (const code of ['001001', '001002', '001003', '0010']) {
    for (let i = 0; i < 2; i++) salesmen.push({ id: (await ok(admin.post('/api/data/salesman', { name: `s${code}-${i}`, department: dept[code] }))).id, dept: code });
  }
  const grades = ['gold', 'silver', 'bronze'];
  const customers: { id: number; grade: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const grade = grades[i % 3]!;
    customers.push({ id: (await ok(admin.post('/api/data/customer', { name: `c${i}`, grade, industry: i % 2 ? 'edu' : 'it' }))).id, grade });
  }
  const orders: World['orders'] = [];
  const lines: World['lines'] = [];
  const receipts: World['receipts'] = [];
  for (let i = 0; i < 24; i++) {
    const s = salesmen[i % salesmen.length]!;
    const c = customers[i % customers.length]!;
    const amount = [5_000, 150_000, 99_999, 100_001, 250_000, 42][i % 6]!;
    const year = i % 2 ? '2024' : '2025';
    const o = await ok(admin.post('/api/data/order', { number: `o${i}`, amount, orderDate: `${year}-0${1 + (i % 9)}-15`, customer: c.id, salesman: s.id }));
    orders.push({ id: o.id, amount, salesmanDept: s.dept, grade: c.grade, year });
    const l = await ok(admin.post('/api/data/orderline', { order: o.id, amount: amount / 2 }));
    lines.push({ id: l.id, order: o.id });
    const r = await ok(admin.post('/api/data/receipt', { orderline: l.id, amount: amount / 4 }));
    receipts.push({ id: r.id, line: l.id });
  }

  const users: World['users'] = {};
  const makeUser = async (username: string, code: string, extra: object = {}) => {
    const u = await ok(admin.post('/api/data/user', { username, password: PASSWORD, department: dept[code], roles: [staff], ...extra }));
    users[username] = { id: u.id, client: await app.client().login(username, PASSWORD) };
  };
  await makeUser('office', '0001');
  await makeUser('finance', '0002');
  await makeUser('sales_0010', '0010');
  await makeUser('sales_001001', '001001');
  await makeUser('sales_001002', '001002');
  await makeUser('gold_analyst_001002', '001002');
  await makeUser('big_orders', '00');
  await makeUser('sales_2_and_3', '001002', { extraDepartments: [dept['001003']] });
  await ok(admin.post('/api/data/rule', { name: 'gold customers', module: 'customer', filter: { grade: 'gold' }, actions: ['read'], users: [users.gold_analyst_001002!.id] }));
  await ok(admin.post('/api/data/rule', { name: 'large orders', module: 'order', filter: { amount: { gt: 100000 } }, actions: ['read'], users: [users.big_orders!.id] }));
  return { dept, users, orders, lines, receipts, salesmen, roles: { staff } };
}
