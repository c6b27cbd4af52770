/**
 * Permissions (API.md "Identity, permissions, visibility"; SCENARIOS P-1, P-2, P-4): nothing is
 * allowed until a role's `permission` record grants it; field-level read and write lists; P-1's
 * "list only filtered by these fields"; system modules for admins only; write-only passwords
 * stored as scrypt hashes; API tokens that act with their owner's permissions.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, filterParam, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { storedDateTime } from '../../core/query/values.js';
import { expectStatus, forbiddenFor, idsOf, ok, sorted, tableCount, tableRow } from './helpers.js';

const PASSWORD = 'password-for-tests';
const SYSTEM_KEYS = ['createdAt', 'createdBy', 'id', 'updatedAt', 'updatedBy', 'version'];

describeEachDialect('permissions: deny by default, field lists, P-1, system modules, passwords, tokens', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let adminId: number;
  const role: Record<string, number> = {};
  const user: Record<string, { id: number; client: Client }> = {};
  const items: Record<string, number> = {};
  const suppliers: Record<string, number> = {};

  const makeUser = async (username: string, roles: number[], extra: object = {}) => {
    const u = await ok(admin.post('/api/data/user', { username, password: PASSWORD, roles, ...extra }));
    user[username] = { id: u.id, client: await app.client().login(username, PASSWORD) };
  };
  const grant = (r: number, body: object) => ok(admin.post('/api/data/permission', { role: r, ...body }));

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    adminId = (await admin.get('/api/auth/me')).body.user.id;
    await ok(admin.post('/api/modules', { $id: 'supplier', type: 'object', properties: { name: { type: 'string', maxLength: 60 }, rating: { type: 'integer' } }, required: ['name'] }));
    await ok(admin.post('/api/modules', {
      $id: 'item',
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 60 },
        category: { type: 'string', maxLength: 30 },
        price: { type: 'number' },
        cost: { type: 'number' },
        secret: { type: 'string', maxLength: 60 },
        supplier: { type: 'integer', 'x-ref': 'supplier' },
        // Not a scope path: items are not department-scoped, so users without a department see them.
        owner: { type: 'integer', 'x-ref': 'user', 'x-scope': false },
      },
      required: ['name'],
      'x-list': { search: ['name', 'secret'] },
    }));
    suppliers.acme = (await ok(admin.post('/api/data/supplier', { name: 'Acme', rating: 5 }))).id;
    suppliers.bolt = (await ok(admin.post('/api/data/supplier', { name: 'Bolt', rating: 2 }))).id;
    items.alpha = (await ok(admin.post('/api/data/item', { name: 'alpha', category: 'tools', price: 10, cost: 4, secret: 's-alpha', supplier: suppliers.acme, owner: adminId }))).id;
    items.beta = (await ok(admin.post('/api/data/item', { name: 'beta', category: 'toys', price: 20, cost: 8, secret: 's-beta', supplier: suppliers.bolt }))).id;
    items.gamma = (await ok(admin.post('/api/data/item', { name: 'gamma', category: 'tools', price: 30, cost: 12, secret: 's-gamma' }))).id;

    for (const name of ['viewer', 'limited', 'editor', 'lister', 'scripter']) role[name] = (await ok(admin.post('/api/data/role', { name }))).id;
    await grant(role.limited!, { module: 'item', actions: ['read'], readFields: ['name', 'price'] });
    await grant(role.editor!, { module: 'item', actions: ['read', 'create', 'update'], writeFields: ['name', 'price'] });
    await grant(role.lister!, { module: 'item', actions: ['read'], filterFields: ['category', 'price'] });
    await grant(role.scripter!, { module: 'item', actions: ['read'] });

    await makeUser('nobody', []);
    await makeUser('viewer', [role.viewer!]);
    await makeUser('limited', [role.limited!]);
    await makeUser('editor', [role.editor!]);
    await makeUser('lister', [role.lister!]);
    await makeUser('scripter', [role.scripter!]);
  });
  afterAll(async () => app?.close());

  const allItems = () => sorted([items.alpha!, items.beta!, items.gamma!]);

  describe('deny by default', () => {
    it('a logged-in user without permissions gets 403 naming <module>:<action> on every call, and nothing is written', async () => {
      const c = user.nobody!.client;
      const calls: [string, string, unknown, string][] = [
        ['GET', '/api/data/item', undefined, 'item:read'],
        ['GET', `/api/data/item/${items.alpha}`, undefined, 'item:read'],
        ['GET', '/api/data/item/aggregate?metrics=count()', undefined, 'item:read'],
        ['POST', '/api/data/item', { name: 'intruder' }, 'item:create'],
        ['PATCH', `/api/data/item/${items.alpha}`, { name: 'hacked' }, 'item:update'],
        ['DELETE', `/api/data/item/${items.alpha}`, undefined, 'item:delete'],
        ['GET', '/api/data/item/export', undefined, 'item:read'],
        ['POST', '/api/data/item/bulk', { action: 'delete', ids: [items.alpha] }, 'item:delete'],
        ['POST', '/api/data/item/bulk', { action: 'update', ids: [items.alpha], values: { name: 'hacked' } }, 'item:update'],
      ];
      for (const [method, url, body, permission] of calls) {
        const r = await c.request(method, url, body);
        expect({ call: `${method} ${url}`, status: r.status, body: r.body }).toEqual({ call: `${method} ${url}`, status: 403, body: forbiddenFor(permission) });
      }
      expect(await tableCount(app, 'item')).toBe(3);
      expect(await tableRow(app, 'item', items.alpha!)).toMatchObject({ name: 'alpha', version: 1 });
    });

    it('granting read through a role\'s permission record works on the very next request, and revoking it too', async () => {
      const c = user.viewer!.client;
      expect(expectStatus(await c.get('/api/data/item'), 403).body).toEqual(forbiddenFor('item:read'));
      const p = await grant(role.viewer!, { module: 'item', actions: ['read'] });
      const list = expectStatus(await c.get('/api/data/item'), 200);
      expect(idsOf(list)).toEqual(allItems());
      expect(list.body.meta.total).toBe(3);
      // Read only: creating is still refused.
      expect(expectStatus(await c.post('/api/data/item', { name: 'x' }), 403).body).toEqual(forbiddenFor('item:create'));
      expectStatus(await admin.delete(`/api/data/permission/${p.id}`), 204);
      expect(expectStatus(await c.get('/api/data/item'), 403).body).toEqual(forbiddenFor('item:read'));
    });
  });

  describe('readFields', () => {
    it('list and get return only the readable fields (and the system fields)', async () => {
      const c = user.limited!.client;
      const list = expectStatus(await c.get('/api/data/item?sort=name'), 200);
      expect(list.body.data.map((d: object) => Object.keys(d).sort())).toEqual(Array(3).fill([...SYSTEM_KEYS, 'name', 'price'].sort()));
      expect(list.body.data.map((d: { name: string; price: number }) => [d.name, d.price])).toEqual([['alpha', 10], ['beta', 20], ['gamma', 30]]);
      const one = expectStatus(await c.get(`/api/data/item/${items.beta}`), 200);
      expect(Object.keys(one.body).sort()).toEqual([...SYSTEM_KEYS, 'name', 'price'].sort());
      expect(one.body).toMatchObject({ id: items.beta, name: 'beta', price: 20 });
    });

    it('a hidden field cannot be asked for, embedded, filtered, sorted, searched, grouped or aggregated', async () => {
      const c = user.limited!.client;
      const refused: [string, string][] = [
        [`/api/data/item?fields=name,secret`, '/fields'],
        [`/api/data/item/${items.alpha}?fields=secret`, '/fields'],
        [`/api/data/item?fields=supplier.name`, '/fields'],
        [`/api/data/item?${filterParam({ secret: 's-alpha' })}`, '/filter/secret'],
        [`/api/data/item?${filterParam({ 'supplier.name': 'Acme' })}`, '/filter/supplier.name'],
        [`/api/data/item?${filterParam({ or: [{ name: 'alpha' }, { cost: { gt: 1 } }] })}`, '/filter/or/1/cost'],
        ['/api/data/item?sort=secret', '/sort'],
        ['/api/data/item/aggregate?groupBy=category&metrics=count()', '/groupBy'],
        ['/api/data/item/aggregate?metrics=sum(cost)', '/metrics'],
        [`/api/data/item/aggregate?metrics=count()&${filterParam({ cost: { gt: 5 } })}`, '/filter/cost'],
      ];
      for (const [url, path] of refused) {
        const r = await c.get(url);
        expect({ url, status: r.status, paths: r.body?.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ url, status: 400, paths: [path] });
      }
      // The same calls on readable fields work, with exact answers.
      expect(idsOf(expectStatus(await c.get(`/api/data/item?${filterParam({ price: { gte: 20 } })}`), 200))).toEqual(sorted([items.beta!, items.gamma!]));
      expect(expectStatus(await c.get('/api/data/item?sort=-price'), 200).body.data.map((d: { id: number }) => d.id)).toEqual([items.gamma, items.beta, items.alpha]);
      expect(expectStatus(await c.get('/api/data/item/aggregate?metrics=sum(price),count()'), 200).body.data).toEqual([{ 'sum(price)': 60, 'count()': 3 }]);
    });

    it('q searches only readable search fields: a hidden field\'s value finds nothing', async () => {
      const c = user.limited!.client;
      expect(expectStatus(await c.get('/api/data/item?q=s-alpha'), 200).body.meta.total).toBe(0);
      expect(idsOf(expectStatus(await c.get('/api/data/item?q=alph'), 200))).toEqual([items.alpha]);
      // The admin, who may read `secret`, finds it by the same text: the search itself works.
      expect(idsOf(expectStatus(await admin.get('/api/data/item?q=s-alpha'), 200))).toEqual([items.alpha]);
    });
  });

  describe('writeFields', () => {
    it('writing a field outside the list is 400 with a pointer, and nothing is written', async () => {
      const c = user.editor!.client;
      const before = await tableCount(app, 'item');
      const bad = expectStatus(await c.post('/api/data/item', { name: 'delta', price: 5, secret: 'mine' }), 400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ path: '/secret', code: 'field_forbidden' })]);
      expect(await tableCount(app, 'item')).toBe(before);

      const created = expectStatus(await c.post('/api/data/item', { name: 'delta', price: 5 }), 201).body;
      expect(created).toMatchObject({ name: 'delta', price: 5, secret: null, category: null });
      expect(await tableCount(app, 'item')).toBe(before + 1);

      const patch = expectStatus(await c.patch(`/api/data/item/${created.id}`, { name: 'delta 2', category: 'toys', cost: 1 }), 400);
      expect(patch.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/category', '/cost']);
      expect(await tableRow(app, 'item', created.id)).toMatchObject({ name: 'delta', category: null, version: 1 });

      const good = expectStatus(await c.patch(`/api/data/item/${created.id}`, { name: 'delta 2', price: 6 }), 200);
      expect(good.body).toMatchObject({ name: 'delta 2', price: 6, version: 2 });
      expectStatus(await admin.delete(`/api/data/item/${created.id}`), 204);
    });

    it('a many-to-many relation is a field too: writeFields without `roles` cannot grant roles', async () => {
      const dept = await ok(admin.post('/api/data/department', { code: '91', name: 'Help desk', seeAll: true }));
      const r = await ok(admin.post('/api/data/role', { name: 'helpdesk' }));
      await grant(r.id, { module: 'user', actions: ['read', 'update'], writeFields: ['name', 'email'] });
      await makeUser('helpdesk1', [r.id], { department: dept.id });
      const c = user.helpdesk1!.client;
      const adminRole = Number((await app.stratum.db.all({ sql: `SELECT id FROM ${app.stratum.db.quote('role')} WHERE ${app.stratum.db.quote('name')} = $1`, params: ['admin'] }))[0]!.id);
      const escalate = expectStatus(await c.patch(`/api/data/user/${user.helpdesk1!.id}`, { roles: [r.id, adminRole] }), 400);
      expect(escalate.body.error.details).toEqual([expect.objectContaining({ path: '/roles', code: 'field_forbidden' })]);
      expect((await admin.get(`/api/data/user/${user.helpdesk1!.id}`)).body).toMatchObject({ roles: [r.id], version: 1 });
      expectStatus(await c.get('/api/modules'), 403);
      // What the list allows still works.
      expect(expectStatus(await c.patch(`/api/data/user/${user.helpdesk1!.id}`, { name: 'Help Desk One' }), 200).body).toMatchObject({ name: 'Help Desk One', roles: [r.id] });
    });
  });

  describe('P-1 filterFields', () => {
    it('lists filtered, searched, sorted or grouped only by the listed fields: outside 403, inside 200', async () => {
      const c = user.lister!.client;
      expect(idsOf(expectStatus(await c.get('/api/data/item'), 200))).toEqual(allItems());
      expect(idsOf(expectStatus(await c.get(`/api/data/item?${filterParam({ category: 'tools' })}`), 200))).toEqual(sorted([items.alpha!, items.gamma!]));
      expect(idsOf(expectStatus(await c.get(`/api/data/item?${filterParam({ and: [{ category: 'tools' }, { price: { lt: 20 } }] })}`), 200))).toEqual([items.alpha]);
      expect(expectStatus(await c.get('/api/data/item?sort=-price'), 200).body.data.map((d: { id: number }) => d.id)).toEqual([items.gamma, items.beta, items.alpha]);
      expect(expectStatus(await c.get('/api/data/item/aggregate?groupBy=category&metrics=count()'), 200).body.data)
        .toEqual([{ category: 'tools', 'count()': 2 }, { category: 'toys', 'count()': 1 }]);

      const outside = [
        `/api/data/item?${filterParam({ name: 'alpha' })}`,
        `/api/data/item?${filterParam({ or: [{ category: 'tools' }, { name: 'beta' }] })}`,
        `/api/data/item?${filterParam({ not: { supplier: suppliers.acme } })}`,
        `/api/data/item?${filterParam({ supplier: { in: [suppliers.acme, suppliers.bolt] } })}`,
        '/api/data/item?q=alpha',
        '/api/data/item?sort=name',
        '/api/data/item?sort=price,-name',
        '/api/data/item/aggregate?groupBy=name&metrics=count()',
        `/api/data/item/aggregate?metrics=count()&${filterParam({ name: 'alpha' })}`,
      ];
      for (const url of outside) {
        const r = await c.get(url);
        expect({ url, status: r.status, body: r.body }).toEqual({ url, status: 403, body: forbiddenFor('item:read') });
      }
      // Reading one record is not a list: P-1 does not apply.
      expect(expectStatus(await c.get(`/api/data/item/${items.beta}`), 200).body.name).toBe('beta');
    });
  });

  describe('system modules', () => {
    const SYSTEM = ['user', 'role', 'permission', 'rule', 'department'] as const;

    it('are refused to non-admins by default: 403 on read, create, update and delete', async () => {
      const c = user.viewer!.client;
      const targets: Record<string, number> = { user: user.viewer!.id, role: role.viewer!, department: 0, permission: 0, rule: 0 };
      for (const m of SYSTEM) {
        expect((await c.get(`/api/data/${m}`)).body).toEqual(forbiddenFor(`${m}:read`));
        expect((await c.post(`/api/data/${m}`, { name: 'x' })).body).toEqual(forbiddenFor(`${m}:create`));
        const id = targets[m] || 1;
        expect((await c.get(`/api/data/${m}/${id}`)).body).toEqual(forbiddenFor(`${m}:read`));
        expect((await c.patch(`/api/data/${m}/${id}`, { name: 'x' })).body).toEqual(forbiddenFor(`${m}:update`));
        expect((await c.delete(`/api/data/${m}/${id}`)).body).toEqual(forbiddenFor(`${m}:delete`));
      }
      // Above all, no one grants themselves a role.
      const escalate = await c.patch(`/api/data/user/${user.viewer!.id}`, { roles: [role.viewer!, 1] });
      expect(escalate.status).toBe(403);
      expect((await admin.get(`/api/data/user/${user.viewer!.id}`)).body.roles).toEqual([role.viewer]);
    });

    it('are managed by admins through /api/data: create, read, update, delete each', async () => {
      const dept = expectStatus(await admin.post('/api/data/department', { code: '77', name: 'Lab' }), 201).body;
      expect(dept).toMatchObject({ code: '77', name: 'Lab', seeAll: false, seeSameLevel: false });
      const r = expectStatus(await admin.post('/api/data/role', { name: 'auditor' }), 201).body;
      const p = expectStatus(await admin.post('/api/data/permission', { role: r.id, module: 'item', actions: ['read'] }), 201).body;
      const rule = expectStatus(await admin.post('/api/data/rule', { name: 'cheap', module: 'item', filter: { price: { lt: 15 } }, actions: ['read'], roles: [r.id] }), 201).body;
      const u = expectStatus(await admin.post('/api/data/user', { username: 'auditor1', password: PASSWORD, department: dept.id, roles: [r.id] }), 201).body;
      expect(u).toMatchObject({ username: 'auditor1', department: dept.id, roles: [r.id], active: true });

      for (const [m, id, field] of [['department', dept.id, 'name'], ['role', r.id, 'description'], ['rule', rule.id, 'name'], ['user', u.id, 'name']] as const) {
        expect(expectStatus(await admin.get(`/api/data/${m}/${id}`), 200).body.id).toBe(id);
        expect(expectStatus(await admin.patch(`/api/data/${m}/${id}`, { [field]: `renamed ${m}` }), 200).body[field]).toBe(`renamed ${m}`);
      }
      expect(expectStatus(await admin.patch(`/api/data/permission/${p.id}`, { actions: ['read', 'update'] }), 200).body.actions).toEqual(['read', 'update']);
      for (const m of SYSTEM) expect(expectStatus(await admin.get(`/api/data/${m}?pageSize=500`), 200).body.meta.total).toBeGreaterThan(0);
      // The new grants act at once: auditor1 sees only the cheap item.
      const auditor = await app.client().login('auditor1', PASSWORD);
      expect(idsOf(expectStatus(await auditor.get('/api/data/item'), 200))).toEqual([items.alpha]);

      for (const [m, id] of [['user', u.id], ['rule', rule.id], ['permission', p.id], ['role', r.id], ['department', dept.id]] as const) {
        expectStatus(await admin.delete(`/api/data/${m}/${id}`), 204);
        expectStatus(await admin.get(`/api/data/${m}/${id}`), 404);
      }
      // A deleted user's session ends with them.
      expectStatus(await auditor.get('/api/data/item'), 401);
    });
  });

  describe('password is write-only', () => {
    const HASH = /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/;

    it('never appears in list, get or embedded records, and cannot be asked for, filtered, sorted or aggregated', async () => {
      const users = expectStatus(await admin.get('/api/data/user?pageSize=500'), 200);
      expect(users.body.data.length).toBe(users.body.meta.total);
      for (const u of users.body.data) expect(Object.keys(u)).not.toContain('password');
      const one = expectStatus(await admin.get(`/api/data/user/${user.viewer!.id}`), 200);
      expect(Object.keys(one.body)).not.toContain('password');
      expect(one.body).toMatchObject({ username: 'viewer', roles: [role.viewer] });

      const refused: [string, string][] = [
        ['/api/data/user?fields=password', '/fields'],
        ['/api/data/user?fields=username,password', '/fields'],
        [`/api/data/user/${adminId}?fields=password`, '/fields'],
        [`/api/data/item/${items.alpha}?fields=owner.password`, '/fields'],
        [`/api/data/item?fields=name,owner.password`, '/fields'],
        [`/api/data/user?${filterParam({ password: PASSWORD })}`, '/filter/password'],
        [`/api/data/user?${filterParam({ password: { isNull: false } })}`, '/filter/password'],
        [`/api/data/item?${filterParam({ 'owner.password': { startsWith: 'scrypt' } })}`, '/filter/owner.password'],
        ['/api/data/user?sort=password', '/sort'],
        ['/api/data/user/aggregate?groupBy=password&metrics=count()', '/groupBy'],
        ['/api/data/user/aggregate?metrics=min(password)', '/metrics'],
        ['/api/data/user/aggregate?metrics=countDistinct(password)', '/metrics'],
      ];
      for (const [url, path] of refused) {
        const r = await admin.get(url);
        expect({ url, status: r.status, paths: r.body?.error?.details?.map((d: { path: string }) => d.path) }).toEqual({ url, status: 400, paths: [path] });
      }
      // Embedding the owner works, without the password.
      const embedded = expectStatus(await admin.get(`/api/data/item/${items.alpha}?fields=name,owner.username`), 200);
      expect(embedded.body).toEqual({ id: items.alpha, name: 'alpha', owner: { id: adminId, username: 'admin' } });
    });

    it('stays hidden even from a role whose readFields name it', async () => {
      const seeAll = await ok(admin.post('/api/data/department', { code: '90', name: 'Head office', seeAll: true }));
      const r = await ok(admin.post('/api/data/role', { name: 'directory' }));
      await grant(r.id, { module: 'user', actions: ['read'], readFields: ['username', 'password'] });
      await makeUser('directory1', [r.id], { department: seeAll.id });
      const list = expectStatus(await user.directory1!.client.get('/api/data/user?pageSize=500'), 200);
      expect(list.body.meta.total).toBeGreaterThanOrEqual(8);
      for (const u of list.body.data) expect(Object.keys(u).sort()).toEqual([...SYSTEM_KEYS, 'username'].sort());
      expect(expectStatus(await user.directory1!.client.get('/api/data/user?fields=password'), 400).body.error.details[0].path).toBe('/fields');
      // The relations left out of readFields (roles, extraDepartments) are hidden the same way.
      expect(expectStatus(await user.directory1!.client.get('/api/data/user?fields=username,roles'), 400).body.error.details[0].path).toBe('/fields');
      expect(expectStatus(await user.directory1!.client.get(`/api/data/user?${filterParam({ roles: { some: { name: 'admin' } } })}`), 400).body.error.details[0].path).toBe('/filter/roles');
      expect(expectStatus(await admin.get(`/api/data/user?fields=username,roles&${filterParam({ roles: { some: { name: 'admin' } } })}`), 200).body.data)
        .toEqual([{ id: adminId, username: 'admin', roles: [expect.any(Number)] }]);
    });

    it('is stored as a salted scrypt hash, and a PATCH changes the password one logs in with', async () => {
      const a = await ok(admin.post('/api/data/user', { username: 'pw_a', password: 'first-password-1' }));
      const b = await ok(admin.post('/api/data/user', { username: 'pw_b', password: 'first-password-1' }));
      expect(Object.keys(a)).not.toContain('password');
      const storedA = String((await tableRow(app, 'user', a.id))!.password);
      const storedB = String((await tableRow(app, 'user', b.id))!.password);
      expect(storedA).toMatch(HASH);
      expect(storedA).not.toContain('first-password-1');
      // The same password gives different hashes: each has its own salt.
      expect(storedB).toMatch(HASH);
      expect(storedB).not.toBe(storedA);
      await app.client().login('pw_a', 'first-password-1');

      const patched = expectStatus(await admin.patch(`/api/data/user/${a.id}`, { password: 'second-password-2' }), 200);
      expect(Object.keys(patched.body)).not.toContain('password');
      const after = String((await tableRow(app, 'user', a.id))!.password);
      expect(after).toMatch(HASH);
      expect(after).not.toBe(storedA);
      const old = await app.client().post('/api/auth/login', { username: 'pw_a', password: 'first-password-1' });
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('invalid_credentials');
      const fresh = await app.client().post('/api/auth/login', { username: 'pw_a', password: 'second-password-2' });
      expect(fresh.status).toBe(200);
      expect(fresh.body.user).toMatchObject({ id: a.id, username: 'pw_a' });
    });
  });

  describe('API tokens', () => {
    const bearer = (token: string) => {
      const c = app.client();
      c.bearer = token;
      return c;
    };

    it('a token is shown once, acts with its owner\'s permissions, and the list never shows the secret', async () => {
      const owner = user.scripter!.client;
      const created = expectStatus(await owner.post('/api/auth/tokens', { name: 'nightly' }), 201).body;
      expect(created).toMatchObject({ id: expect.any(Number), name: 'nightly', expiresAt: null });
      expect(created.token).toMatch(/^st_[A-Za-z0-9_-]{43}$/);

      const list = expectStatus(await owner.get('/api/auth/tokens'), 200).body;
      expect(list.data).toEqual([{ id: created.id, name: 'nightly', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/), expiresAt: null }]);
      expect(JSON.stringify(list)).not.toContain(created.token.slice(3));
      // Only a digest is stored.
      const rows = await app.stratum.db.all({ sql: `SELECT ${app.stratum.db.quote('hash')} AS h FROM ${app.stratum.db.quote('_stratum_tokens')} WHERE ${app.stratum.db.quote('id')} = $1`, params: [created.id] });
      expect(rows.map((r) => r.h)).toEqual([createHash('sha256').update(created.token).digest('hex')]);

      const script = bearer(created.token);
      expect(expectStatus(await script.get('/api/auth/me'), 200).body.user).toMatchObject({ id: user.scripter!.id, username: 'scripter' });
      expect(idsOf(expectStatus(await script.get('/api/data/item'), 200))).toEqual(allItems());
      expect(expectStatus(await script.post('/api/data/item', { name: 'by script' }), 403).body).toEqual(forbiddenFor('item:create'));
      expect(expectStatus(await script.get('/api/data/user'), 403).body).toEqual(forbiddenFor('user:read'));
      expect(script.cookie).toBe('');
      // Another user's token list does not show it, and they cannot revoke it.
      expect(expectStatus(await user.viewer!.client.get('/api/auth/tokens'), 200).body.data).toEqual([]);
      expectStatus(await user.viewer!.client.delete(`/api/auth/tokens/${created.id}`), 404);
      expectStatus(await script.get('/api/data/item'), 200);
    });

    it('a revoked token, an expired token and a made-up token are 401', async () => {
      const owner = user.scripter!.client;
      const t1 = expectStatus(await owner.post('/api/auth/tokens', { name: 'to revoke' }), 201).body;
      const t2 = expectStatus(await owner.post('/api/auth/tokens', { name: 'to expire', expiresInDays: 1 }), 201).body;
      expect(Date.parse(t2.expiresAt) - Date.now()).toBeGreaterThan(86_300_000);
      expectStatus(await bearer(t1.token).get('/api/data/item'), 200);
      expectStatus(await bearer(t2.token).get('/api/data/item'), 200);

      expectStatus(await owner.delete(`/api/auth/tokens/${t1.id}`), 204);
      const revoked = expectStatus(await bearer(t1.token).get('/api/data/item'), 401);
      expect(revoked.body.error.code).toBe('unauthenticated');

      await app.stratum.db.update({
        sql: `UPDATE ${app.stratum.db.quote('_stratum_tokens')} SET ${app.stratum.db.quote('expiresAt')} = $1 WHERE ${app.stratum.db.quote('id')} = $2`,
        params: [storedDateTime(new Date(Date.now() - 60_000)), t2.id],
      });
      expectStatus(await bearer(t2.token).get('/api/data/item'), 401);
      expectStatus(await bearer(`st_${'A'.repeat(43)}`).get('/api/data/item'), 401);
      expectStatus(await bearer('not-a-token').get('/api/data/item'), 401);
      expectStatus(await app.client().get('/api/data/item'), 401);
      expect(expectStatus(await owner.get('/api/auth/tokens'), 200).body.data.map((t: { name: string }) => t.name)).toEqual(['nightly', 'to expire']);
    });
  });
});
