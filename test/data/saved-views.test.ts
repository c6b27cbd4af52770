/**
 * Saved list views: the built-in module `saved_view` is personal. Every user, with no
 * permission granted and admins included, lists, reads, counts, exports, changes and deletes only
 * the views they created; the creator is set by the server and cannot be written. Names are
 * unique per user and module (409), and bad input is a 400 naming the field.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, openSecondStratum, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, ok, tableCount, tableRow } from '../access/helpers.js';

const PASSWORD = 'password-for-tests';
const VIEW = '/api/data/saved_view';

describeEachDialect('Saved views are private to the user who saved them', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let alice: Client;
  let bob: Client;
  const ids: Record<string, number> = {};
  const userIds: Record<string, number> = {};

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true });
    admin = await app.admin();
    // No role, no permission: a saved view needs none.
    for (const username of ['alice', 'bob']) userIds[username] = (await ok(admin.post('/api/data/user', { username, password: PASSWORD }))).id;
    alice = await app.client().login('alice', PASSWORD);
    bob = await app.client().login('bob', PASSWORD);
    ids.aliceGold = (await ok(alice.post(VIEW, { module: 'customer', name: 'Gold', query: 'f=%5B%5D&sort=-name' }))).id;
    ids.aliceNew = (await ok(alice.post(VIEW, { module: 'customer', name: 'New this week', query: 'sort=-createdAt' }))).id;
    ids.bobGold = (await ok(bob.post(VIEW, { module: 'customer', name: 'Gold', query: 'q=bob' }))).id;
    ids.adminAll = (await ok(admin.post(VIEW, { module: 'user', name: 'All', query: '' }))).id;
  });
  afterAll(async () => app?.close());

  const listNames = async (client: Client, query = '') =>
    (expectStatus(await client.get(`${VIEW}?pageSize=500&sort=id${query}`), 200).body.data as { name: string }[]).map((v) => v.name);

  it('lists and counts only the caller\'s own views, admins included', async () => {
    expect(await listNames(alice)).toEqual(['Gold', 'New this week']);
    expect(await listNames(bob)).toEqual(['Gold']);
    expect(await listNames(admin)).toEqual(['All']);
    expect(expectStatus(await bob.get(`${VIEW}?pageSize=1`), 200).body.meta.total).toBe(1);
    // A filter cannot reach past the scope, not even on the owner itself.
    expect(await listNames(bob, `&${filterParam({ createdBy: userIds.alice })}`)).toEqual([]);
    expect(await listNames(admin, `&${filterParam({ or: [{ createdBy: userIds.alice }, { createdBy: userIds.bob }] })}`)).toEqual([]);
  });

  it('stores the creator as owner; a payload naming another owner is refused, not obeyed', async () => {
    const row = await tableRow(app, 'saved_view', ids.aliceGold!);
    expect(Number(row!.createdBy)).toBe(userIds.alice);
    const r = expectStatus(await bob.post(VIEW, { module: 'customer', name: 'Planted', query: '', createdBy: userIds.alice }), 400);
    expect(r.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/createdBy' })]));
    expect(await listNames(alice)).toEqual(['Gold', 'New this week']);
  });

  it('reads, changes and deletes of someone else\'s view answer 404 and change nothing', async () => {
    expectStatus(await alice.get(`${VIEW}/${ids.aliceGold}`), 200);
    expectStatus(await bob.get(`${VIEW}/${ids.aliceGold}`), 404);
    expectStatus(await admin.get(`${VIEW}/${ids.aliceGold}`), 404);
    // An admin's "why does this user see it" does not tell whose a view is either.
    expectStatus(await admin.get(`${VIEW}/${ids.aliceGold}/explain?user=${userIds.alice}`), 404);
    expectStatus(await bob.patch(`${VIEW}/${ids.aliceGold}`, { name: 'Stolen' }), 404);
    expectStatus(await admin.patch(`${VIEW}/${ids.aliceGold}`, { query: 'q=admin' }), 404);
    expectStatus(await bob.delete(`${VIEW}/${ids.aliceGold}`), 404);
    expectStatus(await admin.delete(`${VIEW}/${ids.aliceGold}`), 404);
    const bulk = await bob.post(`${VIEW}/bulk`, { action: 'delete', ids: [ids.aliceGold, ids.aliceNew] });
    expect(bulk.status).toBe(404);
    const bulkUpdate = await admin.post(`${VIEW}/bulk`, { action: 'update', ids: [ids.aliceNew], values: { name: 'Mine now' } });
    expect(bulkUpdate.status).toBe(404);
    const row = await tableRow(app, 'saved_view', ids.aliceGold!);
    expect({ name: row!.name, query: row!.query }).toEqual({ name: 'Gold', query: 'f=%5B%5D&sort=-name' });
    expect(String((await tableRow(app, 'saved_view', ids.aliceNew!))!.name)).toBe('New this week');
    expect(await tableCount(app, 'saved_view')).toBe(4);
  });

  it('aggregates and exports hold only the caller\'s own views', async () => {
    const agg = expectStatus(await admin.get(`${VIEW}/aggregate?groupBy=module&metrics=count()`), 200).body.data;
    expect(agg).toEqual([{ module: 'user', 'count()': 1 }]);
    const byModule = expectStatus(await alice.get(`${VIEW}/aggregate?groupBy=module,createdBy&metrics=count()`), 200).body.data;
    expect(byModule).toEqual([{ module: 'customer', createdBy: userIds.alice, 'count()': 2 }]);
    const csv = expectStatus(await bob.get(`${VIEW}/export?fields=name,query`), 200).body as string;
    expect(csv).toContain('q=bob');
    expect(csv).not.toContain('New this week');
    expect(csv).not.toContain('f=%5B%5D');
  });

  it('the owner renames, changes and deletes their own view', async () => {
    const renamed = await ok(alice.patch(`${VIEW}/${ids.aliceNew}`, { name: 'This week', query: 'sort=-updatedAt' }), 200);
    expect(renamed).toMatchObject({ name: 'This week', query: 'sort=-updatedAt', createdBy: userIds.alice });
    const extra = (await ok(alice.post(VIEW, { module: 'customer', name: 'Scratch', query: '' }))).id;
    expectStatus(await alice.delete(`${VIEW}/${extra}`), 204);
    expect(await listNames(alice)).toEqual(['Gold', 'This week']);
  });

  it('a name is unique per user and module: a second "Gold" of alice is 409, bob\'s "Gold" and another module\'s are fine', async () => {
    const dup = expectStatus(await alice.post(VIEW, { module: 'customer', name: 'Gold', query: 'q=again' }), 409);
    expect(dup.body.error.code).toBe('duplicate');
    expect(dup.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/name' })]));
    expect(dup.body.error.existing.id).toBe(ids.aliceGold);
    // A rename onto an existing name is the same conflict.
    expectStatus(await alice.patch(`${VIEW}/${ids.aliceNew}`, { name: 'Gold' }), 409);
    await ok(alice.post(VIEW, { module: 'order', name: 'Gold', query: '' }));
    expect(await listNames(bob)).toEqual(['Gold']);
  });

  it('bad input is a 400 with a pointer to each field, and nothing is written', async () => {
    const before = await tableCount(app, 'saved_view');
    const missing = expectStatus(await alice.post(VIEW, { query: 'x' }), 400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/module', '/name']);
    const bad = expectStatus(await alice.post(VIEW, { module: 'Not A Module', name: '   ', query: 'x'.repeat(4001) }), 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/module', '/name', '/query']);
    expect(await tableCount(app, 'saved_view')).toBe(before);
  });

  it('another server process on the same database serves the same views, as privately', async () => {
    const second = await openSecondStratum(app, { builtinPlugins: true });
    try {
      const bobThere = await second.client().login('bob', PASSWORD);
      expect((expectStatus(await bobThere.get(`${VIEW}?sort=id`), 200).body.data as { name: string }[]).map((v) => v.name)).toEqual(['Gold']);
      expectStatus(await bobThere.get(`${VIEW}/${ids.aliceGold}`), 404);
      const made = (await ok(bobThere.post(VIEW, { module: 'order', name: 'From the other process', query: 'sort=id' }))).id;
      expectStatus(await bob.get(`${VIEW}/${made}`), 200);
      expectStatus(await alice.get(`${VIEW}/${made}`), 404);
      expectStatus(await bob.delete(`${VIEW}/${made}`), 204);
    } finally {
      await second.stratum.close();
    }
  });

  it('a deleted user\'s views go with them', async () => {
    const carol = (await ok(admin.post('/api/data/user', { username: 'carol', password: PASSWORD }))).id;
    const client = await app.client().login('carol', PASSWORD);
    await ok(client.post(VIEW, { module: 'customer', name: 'Mine', query: '' }));
    const before = await tableCount(app, 'saved_view');
    const alices = await listNames(alice);
    expectStatus(await admin.delete(`/api/data/user/${carol}`), 204);
    expect(await tableCount(app, 'saved_view')).toBe(before - 1);
    expect(await listNames(alice)).toEqual(alices);
  });

  it('views leave no history entries that others could read', async () => {
    expect(await tableCount(app, 'history')).toBeGreaterThan(0);
    const rows = await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${app.stratum.db.quote('history')} WHERE ${app.stratum.db.quote('module')} = $1`, params: ['saved_view'] });
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
