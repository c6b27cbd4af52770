/**
 * `GET /api/meta/modules`: what the UI builds menus, lists and forms from. A non-admin gets only
 * the modules they may read (P-3), their granted actions, and their fields as far as readFields,
 * writeFields and filterFields allow; nothing about modules they may not read.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { ok } from './browser.js';
import { buildWorld, PASSWORD } from './crm-world.js';

describeEachDialect('GET /api/meta/modules', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let sam: Client;
  const meta = async (c: Client) => new Map<string, any>((await ok(c.get('/api/meta/modules'), 200)).data.map((m: any) => [m.name, m]));

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await buildWorld(admin);
    sam = await app.client().login('sam', PASSWORD);
  });
  afterAll(async () => app?.close());

  it('needs a session', async () => {
    expect((await app.client().get('/api/meta/modules')).status).toBe(401);
  });

  it('an admin gets every module with every action', async () => {
    const all = await meta(admin);
    expect([...all.keys()]).toEqual(['customer', 'department', 'followup', 'permission', 'region', 'role', 'rule', 'tag', 'user']);
    expect(all.get('customer').actions).toEqual(['read', 'create', 'update', 'delete']);
    expect(all.get('user').builtin).toBe(true);
  });

  it('P-3: a sales user gets only the modules they may read, with their actions', async () => {
    const mine = await meta(sam);
    expect([...mine.keys()]).toEqual(['customer', 'followup', 'region', 'tag', 'user']);
    expect(mine.get('customer').actions).toEqual(['read', 'create', 'update']);
    expect(mine.get('region').actions).toEqual(['read']);
    expect(mine.get('region').fields.filter((f: any) => f.writable)).toEqual([]);
  });

  it('describes fields for forms: kinds, rules, references, labels, i18n and the list settings', async () => {
    const customer = (await meta(sam)).get('customer');
    const field = (name: string) => customer.fields.find((f: any) => f.name === name);
    expect(field('phone')).toMatchObject({ kind: 'string', required: true, writable: true, unique: true, maxLength: 20, pattern: '^[0-9+ -]+$', i18n: { zh: '电话' } });
    expect(field('grade')).toMatchObject({ kind: 'enum', enum: ['gold', 'silver', 'bronze'], default: 'bronze' });
    expect(field('email')).toMatchObject({ format: 'email' });
    expect(field('visits')).toMatchObject({ kind: 'integer', minimum: 0, maximum: 1000 });
    expect(field('region')).toMatchObject({ kind: 'ref', ref: 'region', writable: true });
    expect(field('notes')).toMatchObject({ kind: 'text', sortable: false });
    expect(field('version')).toMatchObject({ system: true, writable: false });
    expect(customer.relations.map((r: any) => r.name)).toEqual(['tags', 'followups']);
    expect(customer.relations[0]).toMatchObject({ kind: 'many-to-many', target: 'tag', writable: true });
    expect(customer.relations.slice(1)).toEqual([{ name: 'followups', kind: 'one-to-many', target: 'followup', via: 'customer', title: 'Follow-ups', i18n: { zh: '跟进记录' }, writable: false, filterable: true }]);
    expect(customer).toMatchObject({ title: 'Customer', i18n: { zh: '客户' }, label: 'name', owner: 'owner', list: { columns: ['name', 'phone', 'grade', 'region', 'since', 'tags'], search: ['name', 'phone'], filters: ['grade', 'since'], sort: 'name' } });
  });

  it('readFields, writeFields and filterFields narrow the fields; a relation to an unreadable module is left out', async () => {
    const role = (await ok(admin.post('/api/data/role', { name: 'narrow' }))).id;
    await ok(admin.post('/api/data/permission', { role, module: 'customer', actions: ['read', 'update'], readFields: ['name', 'phone', 'grade'], writeFields: ['grade'], filterFields: ['grade'] }));
    await ok(admin.post('/api/data/user', { username: 'nora', password: PASSWORD, roles: [role] }));
    const nora = await app.client().login('nora', PASSWORD);
    const customer = (await meta(nora)).get('customer');
    const byName = new Map<string, any>(customer.fields.map((f: any) => [f.name, f]));
    expect([...byName.keys()].filter((n) => !byName.get(n).system)).toEqual(['name', 'phone', 'grade']);
    expect(customer.fields.filter((f: any) => f.writable).map((f: any) => f.name)).toEqual(['grade']);
    expect(customer.fields.filter((f: any) => f.filterable).map((f: any) => f.name)).toEqual(['grade']);
    // followup is not readable for nora, and region (a column) is not among her readFields.
    expect(customer.relations).toEqual([]);
    expect(customer.list.columns).toEqual(['name', 'phone', 'grade']);
    expect(customer.actions).toEqual(['read', 'update']);
  });

  it('a column through a module the caller may not read is left out (the API would refuse to fetch it)', async () => {
    const def = (await ok(admin.get('/api/modules/followup'), 200)).definition;
    await ok(admin.put('/api/modules/followup', { ...def, 'x-list': { ...def['x-list'], columns: ['date', 'customer.name', 'customer'] } }), 200);
    const role = (await ok(admin.post('/api/data/role', { name: 'followups only' }))).id;
    await ok(admin.post('/api/data/permission', { role, module: 'followup', actions: ['read'] }));
    await ok(admin.post('/api/data/user', { username: 'fred', password: PASSWORD, roles: [role] }));
    const fred = await app.client().login('fred', PASSWORD);
    expect((await meta(fred)).get('followup').list.columns).toEqual(['date', 'customer']);
    expect((await meta(sam)).get('followup').list.columns).toEqual(['date', 'customer.name', 'customer']);
    // What the UI then asks for is answered.
    expect((await fred.get('/api/data/followup?fields=date,customer')).status).toBe(200);
    expect((await fred.get('/api/data/followup?fields=date,customer.name')).status).toBe(400);
  });

  it('a password is offered to writers of users and never as readable', async () => {
    const user = (await meta(admin)).get('user');
    expect(user.fields.find((f: any) => f.name === 'password')).toMatchObject({ kind: 'password', writeOnly: true, writable: true, filterable: false });
    expect(user.relations.map((r: any) => [r.name, r.kind, r.writable])).toEqual([['roles', 'many-to-many', true], ['extraDepartments', 'many-to-many', true]]);
  });

  it('names records by a name field where there is one, and tells list-valued JSON fields apart', async () => {
    const all = await meta(admin);
    // A user is shown by name rather than login, a department by name rather than code.
    expect([all.get('user').label, all.get('department').label, all.get('region').label, all.get('permission').label]).toEqual(['name', 'name', 'name', 'module']);
    const permission = new Map<string, any>(all.get('permission').fields.map((f: any) => [f.name, f]));
    expect(permission.get('actions')).toMatchObject({ kind: 'json', items: ['read', 'create', 'update', 'delete'] });
    expect(permission.get('readFields')).toMatchObject({ kind: 'json', stringList: true });
    expect(permission.get('actions').stringList).toBeUndefined();
    // A permission's module is a module name: the form offers the modules (x-names).
    expect(permission.get('module').namesModule).toBe(true);
    expect(permission.get('readFields').namesModule).toBeUndefined();
  });
});
