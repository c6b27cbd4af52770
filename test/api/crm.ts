/**
 * The small CRM the API tests define through `POST /api/modules`, as an admin would, and helpers
 * that create records and read ids back. `department` is built in; everything else is defined here.
 *
 *   department ◀── salesman ◀── customer ──▶ tag (many-to-many `tags`)
 *                     ▲            ▲   └── followups (one-to-many, followup.customer, cascade)
 *                     └── order ───┘
 *                           ▲
 *                       orderline (cascade)
 */
import { expect } from 'vitest';
import type { Client, Reply } from '../support/app.js';
import { filterParam } from '../support/app.js';

export const salesmanDef = {
  $id: 'salesman',
  title: 'Salesman',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 64 },
    department: { type: 'integer', 'x-ref': 'department' },
  },
  required: ['name'],
  'x-list': { search: ['name'], sort: 'name' },
};

export const tagDef = {
  $id: 'tag',
  type: 'object',
  properties: { name: { type: 'string', maxLength: 32, 'x-unique': true } },
  required: ['name'],
};

export const customerDef = {
  $id: 'customer',
  title: 'Customer',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100 },
    grade: { type: 'string', enum: ['gold', 'silver', 'bronze'] },
    industry: { type: 'string', maxLength: 64 },
    phone: { type: 'string', maxLength: 32, 'x-unique': true },
    since: { type: 'string', format: 'date' },
    lastContactAt: { type: 'string', format: 'date-time' },
    vip: { type: 'boolean', default: false },
    visits: { type: 'integer', minimum: 0 },
    salesman: { type: 'integer', 'x-ref': 'salesman', 'x-on-delete': 'set-null' },
    tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'tag' },
  },
  required: ['name'],
  'x-list': { search: ['name', 'phone'], sort: 'name' },
};

export const orderDef = {
  $id: 'order',
  title: 'Order',
  type: 'object',
  properties: {
    number: { type: 'string', maxLength: 32, 'x-unique': true },
    amount: { type: 'number', minimum: 0 },
    orderDate: { type: 'string', format: 'date' },
    paidAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['open', 'paid', 'cancelled'], default: 'open' },
    customer: { type: 'integer', 'x-ref': 'customer' },
    salesman: { type: 'integer', 'x-ref': 'salesman' },
  },
  required: ['number', 'amount'],
  'x-list': { search: ['number'], sort: '-orderDate' },
};

export const orderlineDef = {
  $id: 'orderline',
  type: 'object',
  properties: {
    order: { type: 'integer', 'x-ref': 'order', 'x-on-delete': 'cascade' },
    product: { type: 'string', maxLength: 64 },
    qty: { type: 'integer', minimum: 1 },
  },
  required: ['order', 'product'],
};

export const followupDef = {
  $id: 'followup',
  type: 'object',
  properties: {
    customer: { type: 'integer', 'x-ref': 'customer', 'x-on-delete': 'cascade' },
    date: { type: 'string', format: 'date' },
    method: { type: 'string', enum: ['phone', 'visit', 'wechat'] },
  },
  required: ['customer', 'date'],
};

/** customer with its one-to-many `followups`, added once followup exists (x-inverse needs it). */
export const customerWithFollowups = {
  ...customerDef,
  properties: { ...customerDef.properties, followups: { type: 'array', 'x-inverse': 'followup.customer' } },
};

/** Asserts the status, showing the body when it differs (a failing test should say why). */
export function expectStatus<T>(reply: Reply<T>, status: number): Reply<T> {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status });
  return reply;
}

export async function defineModule(admin: Client, def: object): Promise<void> {
  expectStatus(await admin.post('/api/modules', def), 201);
}

/** Defines the whole CRM above, in an order the definitions allow. */
export async function defineCrm(admin: Client): Promise<void> {
  for (const def of [salesmanDef, tagDef, customerDef, orderDef, orderlineDef, followupDef]) await defineModule(admin, def);
  expectStatus(await admin.put('/api/modules/customer', customerWithFollowups), 200);
}

/** Creates a record and returns its id. */
export async function create(client: Client, module: string, body: object): Promise<number> {
  const r = expectStatus(await client.post(`/api/data/${module}`, body), 201);
  return (r.body as { id: number }).id;
}

/** The ids a filter selects, sorted ascending (pageSize 500 so that nothing is cut off). */
export async function idsOf(client: Client, module: string, filter: unknown, extra = ''): Promise<number[]> {
  const r = expectStatus(await client.get(`/api/data/${module}?${filterParam(filter)}&pageSize=500${extra}`), 200);
  return (r.body as { data: { id: number }[] }).data.map((d) => d.id).sort((a, b) => a - b);
}

/** How many records a module holds (to prove a refused write wrote nothing). */
export async function countOf(client: Client, module: string): Promise<number> {
  const r = expectStatus(await client.get(`/api/data/${module}?pageSize=1`), 200);
  return (r.body as { meta: { total: number } }).meta.total;
}

/** `YYYY-MM-DD` of today plus `days` (UTC), as `$today` sees it. */
export function isoDay(days: number, from = new Date()): string {
  const d = new Date(from.getTime());
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** A second user with the built-in admin role, logged in: records it creates have another creator. */
export async function secondAdmin(admin: Client, fresh: () => Client, username: string, name: string): Promise<{ client: Client; id: number }> {
  const roles = expectStatus(await admin.get(`/api/data/role?${filterParam({ name: 'admin' })}`), 200).body as { data: { id: number }[] };
  const password = `${username}-password-1`;
  const id = await create(admin, 'user', { username, password, name, roles: [roles.data[0]!.id] });
  const client = await fresh().login(username, password);
  return { client, id };
}

/** Creates the department tree of V-1 that the tests use; returns ids by code. */
export async function departments(admin: Client, codes: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const code of codes) out[code] = await create(admin, 'department', { code, name: `Dept ${code}` });
  return out;
}

/** The small CRM dataset the list tests read: two salesmen, two tags, four customers, five orders. */
export async function seedSmallCrm(admin: Client) {
  await defineCrm(admin);
  const dept = await departments(admin, ['0010']);
  const s: Record<string, number> = {};
  const t: Record<string, number> = {};
  const c: Record<string, number> = {};
  const o: Record<string, number> = {};
  s.ann = await create(admin, 'salesman', { name: 'Ann', department: dept['0010'] });
  s.bob = await create(admin, 'salesman', { name: 'Bob' });
  t.x = await create(admin, 'tag', { name: 'x' });
  t.y = await create(admin, 'tag', { name: 'y' });
  c.beta = await create(admin, 'customer', { name: 'Beta Tech', phone: '555-0101', salesman: s.bob, tags: [t.y, t.x] });
  c.alpha = await create(admin, 'customer', { name: 'Alpha Foods', phone: '020-7777', salesman: s.ann, tags: [t.x] });
  c.gamma = await create(admin, 'customer', { name: 'Gamma Tech', phone: '020-5550' });
  c.delta = await create(admin, 'customer', { name: 'Delta 50% Off', phone: '030-1234', salesman: s.ann });
  o.n5 = await create(admin, 'order', { number: 'N-05', amount: 300, orderDate: '2024-01-05', customer: c.alpha, salesman: s.bob });
  o.n1 = await create(admin, 'order', { number: 'N-01', amount: 100, orderDate: '2024-01-01', customer: c.beta, salesman: s.ann });
  o.n3 = await create(admin, 'order', { number: 'N-03', amount: 300, orderDate: '2024-01-03', customer: c.alpha });
  o.n2 = await create(admin, 'order', { number: 'N-02', amount: 200, orderDate: '2024-01-02', salesman: s.bob });
  o.n4 = await create(admin, 'order', { number: 'N-04', amount: 100, orderDate: '2024-01-04', customer: c.gamma, salesman: s.ann });
  return { dept, s, t, c, o };
}

/** Removes a module as an admin does: the dry run, then the delete with its token. */
export async function dropModule(admin: Client, name: string): Promise<void> {
  const plan = expectStatus(await admin.delete(`/api/modules/${name}?dryRun=true`), 200).body.plan;
  expectStatus(await admin.delete(`/api/modules/${name}?confirm=${plan.token}`), 200);
}
