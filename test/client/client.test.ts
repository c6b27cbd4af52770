/**
 * The typed client (core/client) against a real HTTP server on a random 127.0.0.1 port: what a
 * script does, through fetch, sessions and tokens included, on both dialects.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createClient, StratumError, type StratumClient } from '../../core/client/index.js';
import type { Modules } from '../../core/generated/modules.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { orderDef, salesmanDef } from '../api/crm.js';

interface Salesman {
  id: number;
  name: string;
  department: number | null;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  version: number;
}
interface Order {
  id: number;
  number: string;
  amount: number;
  orderDate: string | null;
  paidAt: string | null;
  status: 'open' | 'paid' | 'cancelled' | null;
  salesman: number | null;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  version: number;
}
// The CRM's order without its customer, so that customer (and tag) need not be defined too.
const { customer: _customer, ...orderProperties } = orderDef.properties;
const orderWithoutCustomer = { ...orderDef, properties: orderProperties };

/** The generated system modules plus the two this file defines at runtime. */
type TestModules = Modules & { salesman: Salesman; order: Order };

/** Whatever `fn` throws, which must be a StratumError. */
async function failure(fn: () => Promise<unknown>): Promise<StratumError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StratumError);
    return e as StratumError;
  }
  throw new Error('expected the call to fail');
}

describeEachDialect('typed client over HTTP', (dialect) => {
  let app: TestApp;
  let server: ServerType;
  let baseUrl: string;
  let admin: StratumClient<TestModules>;
  const dept: Record<string, number> = {};
  const sm: Record<string, number> = {};

  beforeAll(async () => {
    app = await startTestApp(dialect);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    admin = createClient<TestModules>({ baseUrl });
    await admin.auth.login('admin', ADMIN_PASSWORD);
    for (const def of [salesmanDef, orderWithoutCustomer]) await admin.request('POST', '/api/modules', { body: def });
    for (const code of ['0010', '001002', '0020']) dept[code] = (await admin.data('department').create({ code, name: `Dept ${code}` })).id;
    sm.ann = (await admin.data('salesman').create({ name: 'Ann', department: dept['001002']! })).id;
    sm.bob = (await admin.data('salesman').create({ name: 'Bob', department: dept['0020']! })).id;
    const orders = admin.data('order');
    await orders.create({ number: 'C-1', amount: 100, orderDate: '2024-01-05', salesman: sm.ann! });
    await orders.create({ number: 'C-2', amount: 250.5, orderDate: '2024-01-20', salesman: sm.ann! });
    await orders.create({ number: 'C-3', amount: 40, orderDate: '2024-02-03', salesman: sm.bob! });
    await orders.create({ number: 'C-4', amount: 7, orderDate: '2024-02-10' });
  });
  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  it('logs in with a session the client keeps, shows who is logged in, and logs out', async () => {
    const c = createClient({ baseUrl });
    expect((await failure(() => c.auth.me())).status).toBe(401);
    const me = await c.auth.login('admin', ADMIN_PASSWORD);
    expect(me).toMatchObject({ username: 'admin', isAdmin: true, roles: ['admin'] });
    expect(await c.auth.me()).toEqual(me);
    await c.auth.logout();
    const after = await failure(() => c.auth.me());
    expect([after.status, after.code]).toEqual([401, 'unauthenticated']);
    const wrong = await failure(() => c.auth.login('admin', 'not-the-password'));
    expect([wrong.status, wrong.code]).toEqual([401, 'invalid_credentials']);
  });

  it('creates, reads and lists records with the types of the module', async () => {
    const created = await admin.data('order').create({ number: 'T-1', amount: 12.5, status: 'paid', salesman: sm.bob! });
    expect(created).toMatchObject({ number: 'T-1', amount: 12.5, status: 'paid', salesman: sm.bob, orderDate: null, version: 1 });
    expect(await admin.data('order').get(created.id)).toEqual(created);
    const page = await admin.data('order').list({ filter: { number: { startsWith: 'C-' } }, sort: ['-amount'], pageSize: 3 });
    expect(page.meta).toEqual({ total: 4, page: 1, pageSize: 3 });
    expect(page.data.map((o) => o.number)).toEqual(['C-2', 'C-1', 'C-3']);
    const second = await admin.data('order').list({ filter: { number: { in: ['C-1', 'C-2', 'C-3', 'C-4'] } }, sort: '-amount', page: 2, pageSize: 3 });
    expect(second.data.map((o) => o.number)).toEqual(['C-4']);
    await admin.data('order').delete(created.id);
  });

  it('filters through a path of references and embeds the referenced record that fields names', async () => {
    const page = await admin.data('order').list({
      filter: { 'salesman.department.code': { startsWith: '0010' } },
      fields: ['number', 'salesman.name'],
      sort: 'number',
    });
    expect(page.data).toEqual([
      { id: expect.any(Number), number: 'C-1', salesman: { id: sm.ann, name: 'Ann' } },
      { id: expect.any(Number), number: 'C-2', salesman: { id: sm.ann, name: 'Ann' } },
    ]);
    // Variables and or/not reach the server as written.
    const recent = await admin.data('order').list({ filter: { or: [{ amount: { lt: 10 } }, { not: { orderDate: { lt: '2024-02-01' } } }], createdBy: '$user.id' }, sort: 'number' });
    expect(recent.data.map((o) => o.number)).toEqual(['C-3', 'C-4']);
  });

  it('updates with the version read: a stale version is refused with 409 stale and nothing written', async () => {
    const orders = admin.data('order');
    const o = await orders.create({ number: 'V-1', amount: 1 });
    const v2 = await orders.update(o.id, { amount: 2 }, { version: o.version });
    expect(v2).toMatchObject({ amount: 2, version: 2 });
    const stale = await failure(() => orders.update(o.id, { amount: 3 }, { version: o.version }));
    expect({ status: stale.status, code: stale.code, currentVersion: stale.info.currentVersion }).toEqual({ status: 409, code: 'stale', currentVersion: 2 });
    expect(await orders.get(o.id)).toMatchObject({ amount: 2, version: 2 });
    // Without a version the change is applied to whatever is there.
    expect(await orders.update(o.id, { status: 'cancelled' })).toMatchObject({ amount: 2, status: 'cancelled', version: 3 });
    await orders.delete(o.id);
  });

  it('deletes; the record is then 404 not_found', async () => {
    const o = await admin.data('order').create({ number: 'D-1', amount: 1 });
    await admin.data('order').delete(o.id);
    const gone = await failure(() => admin.data('order').get(o.id));
    expect([gone.status, gone.code]).toEqual([404, 'not_found']);
    expect((await failure(() => admin.data('order').delete(o.id))).status).toBe(404);
  });

  it('aggregates, with rows keyed by the expressions asked for', async () => {
    const rows = await admin.data('order').aggregate({
      groupBy: ['month(orderDate)'],
      metrics: ['count()', 'sum(amount)', 'max(amount)'],
      filter: { number: { startsWith: 'C-' } },
    });
    const byMonth = [...rows].sort((a, b) => String(a['month(orderDate)']).localeCompare(String(b['month(orderDate)'])));
    expect(byMonth).toEqual([
      { 'month(orderDate)': '2024-01', 'count()': 2, 'sum(amount)': 350.5, 'max(amount)': 250.5 },
      { 'month(orderDate)': '2024-02', 'count()': 2, 'sum(amount)': 47, 'max(amount)': 40 },
    ]);
    const bySalesman = await admin.data('order').aggregate({ groupBy: ['salesman.name'], filter: { salesman: { isNull: false }, number: { startsWith: 'C-' } } });
    expect(bySalesman.sort((a, b) => String(a['salesman.name']).localeCompare(String(b['salesman.name'])))).toEqual([
      { 'salesman.name': 'Ann', 'count()': 2 },
      { 'salesman.name': 'Bob', 'count()': 1 },
    ]);
  });

  it('throws a 400 StratumError whose details point at each fault', async () => {
    const orders = admin.data('order');
    const before = (await orders.list({ pageSize: 1 })).meta.total;
    // Casts stand for data that did not come from typed code (a form, a file).
    const bad = await failure(() => orders.create({ amount: -5 } as never));
    expect([bad.status, bad.code]).toEqual([400, 'invalid']);
    expect(bad.details.map((d) => d.path).sort()).toEqual(['/amount', '/number']);
    expect((await orders.list({ pageSize: 1 })).meta.total).toBe(before);
    const filter = await failure(() => orders.list({ filter: { amount: { gt: 'lots' } } as never }));
    expect([filter.status, filter.code]).toEqual([400, 'invalid_query']);
    expect(filter.details).toEqual([expect.objectContaining({ path: '/filter/amount/gt' })]);
    const sort = await failure(() => orders.list({ sort: 'nosuchfield' as never }));
    expect(sort.details).toEqual([expect.objectContaining({ path: '/sort' })]);
  });

  it('authenticates a script with an API token, until the token is revoked', async () => {
    const made = await admin.auth.createToken('client test', { expiresInDays: 1 });
    expect(made.token.length).toBeGreaterThan(20);
    const script = createClient<TestModules>({ baseUrl, token: made.token });
    expect(await script.auth.me()).toMatchObject({ username: 'admin' });
    expect((await script.data('salesman').list({ sort: 'name' })).data.map((s) => s.name)).toEqual(['Ann', 'Bob']);
    expect((await admin.auth.tokens()).map((t) => t.id)).toContain(made.id);
    await admin.auth.revokeToken(made.id);
    const revoked = await failure(() => script.data('salesman').list());
    expect([revoked.status, revoked.code]).toEqual([401, 'unauthenticated']);
  });

  it('sends the headers it is given and uses the fetch it is given', async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), headers: new Headers(init?.headers) });
      return fetch(input, init);
    };
    const c = createClient({ baseUrl: baseUrl.replace(/\/$/, ''), fetch: spy, headers: { 'x-request-id': 'abc' } });
    await c.auth.login('admin', ADMIN_PASSWORD);
    await c.data('department').list({ filter: { code: '0010' }, fields: ['code'] });
    expect(seen[1]!.url).toBe(`${baseUrl}api/data/department?filter=${encodeURIComponent('{"code":"0010"}')}&fields=code`);
    expect(seen[1]!.headers.get('x-request-id')).toBe('abc');
    expect(seen[1]!.headers.get('cookie')).toMatch(/=.+/);
  });
});
