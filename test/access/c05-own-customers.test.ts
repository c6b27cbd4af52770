/**
 * C-5 (SCENARIOS): each salesperson may modify only their own customers. A CRM without a
 * salesman module: `customer.owner` is a user, and the customer's department is the owner's,
 * reached through `customer.owner.department`. Role `sales` may read and update customers; a rule
 * `{ "owner": "$user.id" }` on customer, for `update` only, narrows what they may change.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, forbiddenFor, listIds, ok, sorted } from './helpers.js';

const PASSWORD = 'password-for-tests';

describeEachDialect('C-5: a salesperson reads the department\'s customers and changes only their own', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const dept: Record<string, number> = {};
  const users: Record<string, { id: number; client: Client }> = {};
  const cust: Record<string, number> = {};
  let ruleId: number;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await ok(admin.post('/api/modules', {
      $id: 'customer',
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 60 },
        phone: { type: 'string', maxLength: 20 },
        owner: { type: 'integer', 'x-ref': 'user' },
      },
      required: ['name'],
    }));
    for (const code of ['0010', '001001', '001002']) dept[code] = (await ok(admin.post('/api/data/department', { code, name: `sales ${code}` }))).id;
    const sales = (await ok(admin.post('/api/data/role', { name: 'sales' }))).id;
    const manager = (await ok(admin.post('/api/data/role', { name: 'sales manager' }))).id;
    await ok(admin.post('/api/data/permission', { role: sales, module: 'customer', actions: ['read', 'update'] }));
    await ok(admin.post('/api/data/permission', { role: manager, module: 'customer', actions: ['read', 'update'] }));
    ruleId = (await ok(admin.post('/api/data/rule', { name: 'own customers', module: 'customer', filter: { owner: '$user.id' }, actions: ['update'], roles: [sales] }))).id;
    const people: [string, string, number][] = [['alice', '001001', sales], ['bob', '001001', sales], ['carol', '001002', sales], ['mona', '0010', manager]];
    for (const [username, code, roleId] of people) {
      const u = await ok(admin.post('/api/data/user', { username, password: PASSWORD, department: dept[code], roles: [roleId] }));
      users[username] = { id: u.id, client: await app.client().login(username, PASSWORD) };
    }
    const customers: [string, string | null][] = [['a1', 'alice'], ['a2', 'alice'], ['b1', 'bob'], ['c1', 'carol'], ['nobody', null]];
    for (const [name, owner] of customers) {
      cust[name] = (await ok(admin.post('/api/data/customer', { name, phone: `p-${name}`, owner: owner ? users[owner]!.id : null }))).id;
    }
  });
  afterAll(async () => app?.close());

  const adminRead = async (id: number) => expectStatus(await admin.get(`/api/data/customer/${id}`), 200).body;

  it('a salesperson reads every customer of their department (through owner.department), and only those', async () => {
    expect(await listIds(users.alice!.client, 'customer')).toEqual(sorted([cust.a1!, cust.a2!, cust.b1!]));
    expect(await listIds(users.bob!.client, 'customer')).toEqual(sorted([cust.a1!, cust.a2!, cust.b1!]));
    expect(await listIds(users.carol!.client, 'customer')).toEqual([cust.c1]);
    // The manager of 0010 sees the whole subtree; a customer without owner has no department: nobody's.
    expect(await listIds(users.mona!.client, 'customer')).toEqual(sorted([cust.a1!, cust.a2!, cust.b1!, cust.c1!]));
    expect(expectStatus(await users.alice!.client.get(`/api/data/customer/${cust.b1}`), 200).body).toMatchObject({ name: 'b1', owner: users.bob!.id });
    expectStatus(await users.alice!.client.get(`/api/data/customer/${cust.c1}`), 404);
  });

  it('updates their own customer (200)', async () => {
    const r = expectStatus(await users.alice!.client.patch(`/api/data/customer/${cust.a1}`, { phone: 'alice-new' }), 200);
    expect(r.body).toMatchObject({ id: cust.a1, phone: 'alice-new', owner: users.alice!.id, version: 2, updatedBy: users.alice!.id });
    expect(await adminRead(cust.a1!)).toMatchObject({ phone: 'alice-new', version: 2 });
  });

  it('a colleague\'s customer, visible but not theirs: 403 and nothing written', async () => {
    const before = await adminRead(cust.b1!);
    const r = expectStatus(await users.alice!.client.patch(`/api/data/customer/${cust.b1}`, { phone: 'stolen' }), 403);
    expect(r.body).toEqual(forbiddenFor('customer:update'));
    expect(await adminRead(cust.b1!)).toEqual(before);
    // With If-Match as well: still the permission answer, not a version conflict.
    const withVersion = await users.alice!.client.patch(`/api/data/customer/${cust.b1}`, { phone: 'stolen' }, { 'if-match': `"${before.version}"` });
    expect(withVersion.status).toBe(403);
    expect(await adminRead(cust.b1!)).toEqual(before);
  });

  it('another department\'s customer, not visible: 404 and nothing written', async () => {
    const before = await adminRead(cust.c1!);
    const r = expectStatus(await users.alice!.client.patch(`/api/data/customer/${cust.c1}`, { phone: 'stolen' }), 404);
    expect(r.body.error.code).toBe('not_found');
    expect(await adminRead(cust.c1!)).toEqual(before);
    const orphan = await adminRead(cust.nobody!);
    expectStatus(await users.alice!.client.patch(`/api/data/customer/${cust.nobody}`, { phone: 'mine now' }), 404);
    expect(await adminRead(cust.nobody!)).toEqual(orphan);
  });

  it('giving their own customer away would move it out of what they may update: 403, nothing written', async () => {
    const before = await adminRead(cust.a2!);
    const r = expectStatus(await users.alice!.client.patch(`/api/data/customer/${cust.a2}`, { owner: users.bob!.id, phone: 'given away' }), 403);
    expect(r.body).toEqual(forbiddenFor('customer:update'));
    expect(await adminRead(cust.a2!)).toEqual(before);
  });

  it('the rule is what narrows updates: the manager (no rule) updates any customer of the subtree', async () => {
    expect(expectStatus(await users.mona!.client.patch(`/api/data/customer/${cust.b1}`, { phone: 'by manager' }), 200).body).toMatchObject({ phone: 'by manager' });
    expect(expectStatus(await users.mona!.client.patch(`/api/data/customer/${cust.c1}`, { phone: 'by manager' }), 200).body).toMatchObject({ phone: 'by manager' });
    expectStatus(await users.mona!.client.patch(`/api/data/customer/${cust.nobody}`, { phone: 'by manager' }), 404);
  });

  it('the rule restricts update only: reads, counts and filters are not narrowed by it', async () => {
    const c = users.bob!.client;
    expect(expectStatus(await c.get('/api/data/customer/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 3 }]);
    expect(await listIds(c, 'customer', { owner: users.alice!.id })).toEqual(sorted([cust.a1!, cust.a2!]));
    expect(expectStatus(await c.get(`/api/data/customer?${filterParam({ owner: users.carol!.id })}`), 200).body.meta.total).toBe(0);
  });

  it('explain shows the rule for update and not for read', async () => {
    const ex = expectStatus(await admin.get(`/api/data/customer/explain?user=${users.alice!.id}`), 200).body;
    const bases = (action: string) => ex.actions[action].bases.map((b: { base: string; path: string; rules: { name: string }[] }) => `${b.base}@${b.path}:${b.rules.map((r) => r.name).join('+')}`).sort();
    expect(bases('read')).toEqual(['department@owner.department:']);
    expect(bases('update')).toEqual(['customer@:own customers', 'department@owner.department:', 'department@owner.department:']);
    expect(ex.actions.update.params).toEqual(expect.arrayContaining(['001001', users.alice!.id]));
    expect(ex.actions.delete.allowed).toBe(false);
    const yes = expectStatus(await admin.get(`/api/data/customer/${cust.a1}/explain?user=${users.alice!.id}`), 200).body;
    expect(yes).toMatchObject({ visible: true, recordDepartment: '001001' });
    expect(ex.actions.update.bases.find((b: { base: string }) => b.base === 'customer')).toEqual({ base: 'customer', path: '', rules: [{ id: ruleId, name: 'own customers' }] });
  });

  it('deleting is not granted at all: 403 naming customer:delete, nothing deleted', async () => {
    expect(expectStatus(await users.alice!.client.delete(`/api/data/customer/${cust.a1}`), 403).body).toEqual(forbiddenFor('customer:delete'));
    expect((await adminRead(cust.a1!)).id).toBe(cust.a1);
  });
});
