/**
 * A create by a caller this process has authenticated before runs on a guess of who they are
 * (core/auth/identity-hint.ts), and its INSERT requires that the guess still holds (the million-row benchmark's Q5:
 * the authentication and the write are one statement). When another process has logged the
 * session out, deactivated the user or changed the rules, the INSERT writes nothing and the
 * request is answered again on the full path, which says why. A plugin's before hook never runs
 * on an unconfirmed guess. Changing rows straight in the database is what another server process
 * sharing it would do.
 */
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { listen } from '../support/http-server.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';
import { probePlugin, type Committed } from '../plugins/probe/plugin.js';

describeEachDialect('a create on a guessed identity, confirmed by its INSERT', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let reads: MockInstance;
  let inserts: MockInstance;
  const sink: Committed[] = [];
  const q = (s: string) => app.stratum.db.quote(s);
  const sessionOf = (client: Client) => client.cookie.split('=')[1]!;
  const salesmanIn = (code: string) => w.salesmen.find((s) => s.dept === code)!.id;
  /** A fresh login of sales_0010, who may create orders for salesmen of 0010 and below (not 0002). */
  const salesman = async () => {
    const sales = await app.client().login('sales_0010', 'password-for-tests');
    // A first request remembers the identity; the next ones guess it.
    expectStatus(await sales.get('/api/data/order?pageSize=1&total=none'), 200);
    return sales;
  };
  const order = (number: string, salesmanId = salesmanIn('0010')) => ({ number, amount: 10, salesman: salesmanId });
  const ordersNamed = async (prefix: string) =>
    (await app.stratum.db.all({ sql: `SELECT ${q('number')} AS n FROM ${q('order')} WHERE ${q('number')} LIKE $1`, params: [`${prefix}%`] })).map((r) => r.n);
  /** Full authentications: a session looked up on its own, not inside a read or an INSERT. */
  const lookups = () => reads.mock.calls.filter(([s]) => /^SELECT[\s\S]*FROM [`"]_stratum_sessions[`"] AS s/.test((s as { sql: string }).sql)).length;
  const logOut = (client: Client) =>
    app.stratum.db.update({ sql: `DELETE FROM ${q('_stratum_sessions')} WHERE ${q('id')} = $1`, params: [sessionOf(client)] });

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [probePlugin({ sink })] });
    w = await buildSeed003(app);
    admin = await app.admin();
    const permissions = (await ok(admin.get('/api/data/permission?pageSize=100'), 200)).data as { id: number; role: number; module: string }[];
    const orders = permissions.find((p) => p.role === w.roles.staff && p.module === 'order')!;
    await ok(admin.patch(`/api/data/permission/${orders.id}`, { actions: ['read', 'create'] }), 200);
    await ok(admin.post('/api/data/permission', { role: w.roles.staff, module: 'ticket', actions: ['read', 'create'] }));
    // The probe's after hook logs each new ticket as the caller.
    await ok(admin.post('/api/data/permission', { role: w.roles.staff, module: 'probe_log', actions: ['create'] }));
  });
  afterAll(async () => app?.close());
  beforeEach(() => {
    reads?.mockRestore();
    inserts?.mockRestore();
    reads = vi.spyOn(app.stratum.db, 'all');
    inserts = vi.spyOn(app.stratum.db, 'insertIf');
  });

  it('a create by a remembered session authenticates inside its INSERT: no lookup of its own', async () => {
    const sales = await salesman();
    reads.mockClear();
    const created = await ok(sales.post('/api/data/order', order('guess-c-1')));
    expect(created).toMatchObject({ number: 'guess-c-1', salesman: salesmanIn('0010') });
    expect(lookups()).toBe(0);
    const [insert] = inserts.mock.calls.map(([s]) => (s as { sql: string }).sql);
    expect(insert).toMatch(/^INSERT INTO [`"]order[`"][\s\S]*EXISTS \(SELECT 1 FROM [`"]_stratum_sessions[`"]/);
    // The first create of a login (not yet remembered) takes the full path: a lookup, then a plain INSERT.
    const fresh = await app.client().login('sales_0010', 'password-for-tests');
    reads.mockClear();
    inserts.mockClear();
    await ok(fresh.post('/api/data/order', order('guess-c-2')));
    expect(lookups()).toBe(1);
    expect(inserts.mock.calls.map(([s]) => (s as { sql: string }).sql)[0]).not.toContain('_stratum_sessions');
  });

  it('a session another process logged out gets 401 and a blank cookie, and nothing is written', async () => {
    const sales = await salesman();
    await logOut(sales);
    const r = await sales.post('/api/data/order', order('guess-out-1'));
    expect(r.status).toBe(401);
    expect(r.headers.get('set-cookie')).toMatch(/stratum_session=;/);
    expect(await ordersNamed('guess-out')).toEqual([]);
  });

  it('a user deactivated by another process is refused, and nothing is written', async () => {
    const temp = await ok(admin.post('/api/data/user', { username: 'guess_creator', password: 'password-123', department: w.dept['0010'], roles: [w.roles.staff] }));
    const client = await app.client().login('guess_creator', 'password-123');
    expectStatus(await client.get('/api/data/order?pageSize=1&total=none'), 200);
    await app.stratum.db.update({ sql: `UPDATE ${q('user')} SET ${q('active')} = $1 WHERE ${q('id')} = $2`, params: [false, temp.id] });
    expect((await client.post('/api/data/order', order('guess-inactive-1'))).status).toBe(401);
    expect(await ordersNamed('guess-inactive')).toEqual([]);
  });

  it('a rule added since the guess decides: the create is refused by the new rules, and nothing is written', async () => {
    const sales = await salesman();
    const rule = await ok(admin.post('/api/data/rule', { name: 'guess: create big orders only', module: 'order', filter: { amount: { gt: 1_000_000 } }, actions: ['create'], users: [w.users.sales_0010!.id] }));
    try {
      const r = expectStatus(await sales.post('/api/data/order', order('guess-rule-1')), 403);
      expect(r.body.error.code).toBe('forbidden');
      expect(await ordersNamed('guess-rule')).toEqual([]);
    } finally {
      expectStatus(await admin.delete(`/api/data/rule/${rule.id}`), 204);
    }
    await ok(sales.post('/api/data/order', order('guess-rule-2')));
    expect(await ordersNamed('guess-rule')).toEqual(['guess-rule-2']);
  });

  it('a reference the caller may not use is named with its pointer, as on the full path, and nothing is written', async () => {
    const sales = await salesman();
    const r = expectStatus(await sales.post('/api/data/order', order('guess-ref-1', salesmanIn('001001') + 10_000)), 400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: '/salesman', code: 'invalid_reference' })]);
    // A salesman of 0002 exists but is not theirs to read: refused alike.
    const outsider = (await ok(admin.post('/api/data/salesman', { name: 'guess outsider', department: w.dept['0002'] }))).id;
    const hidden = expectStatus(await sales.post('/api/data/order', order('guess-ref-2', outsider)), 400);
    expect(hidden.body.error.details).toEqual([expect.objectContaining({ path: '/salesman', code: 'invalid_reference' })]);
    expect(await ordersNamed('guess-ref')).toEqual([]);
  });

  it("a plugin's before hook runs only once the guess is confirmed by a full authentication", async () => {
    const sales = await salesman();
    reads.mockClear();
    const created = await ok(sales.post('/api/data/ticket', { subject: '!  printer on fire' }));
    expect(created).toMatchObject({ subject: 'printer on fire', priority: 'high' });
    expect(lookups()).toBe(1);
    // Logged out: the before hook would refuse this subject with 400; the caller learns only 401.
    const tickets = await tableCount(app, 'ticket');
    await logOut(sales);
    expect((await sales.post('/api/data/ticket', { subject: 'this is forbidden' })).status).toBe(401);
    expect(await tableCount(app, 'ticket')).toBe(tickets);
  });

  it('over real HTTP (@hono/node-server), a refused guess is answered again with the body read the first time', async () => {
    const { base, close } = await listen(app);
    try {
      const sales = await salesman();
      const post = (body: unknown) => fetch(`${base}/api/data/order`, {
        method: 'POST', headers: { cookie: sales.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body),
      });
      expect((await post(order('guess-http-1'))).status).toBe(201);
      // The guarded INSERT refuses a bad reference; the full path reads the same body and names the field.
      const bad = await post(order('guess-http-2', 987_654));
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.details).toEqual([expect.objectContaining({ path: '/salesman', code: 'invalid_reference' })]);
      await logOut(sales);
      const refused = await post(order('guess-http-3'));
      expect(refused.status).toBe(401);
      expect(await ordersNamed('guess-http')).toEqual(['guess-http-1']);
    } finally {
      await close();
    }
  });
});
