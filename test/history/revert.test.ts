/**
 * `POST /api/data/<m>/<id>/revert {"version": N}` (docs/HISTORY.md): the values as of version N go
 * through the ordinary update — permission, scope, validation, uniqueness, If-Match — and the
 * revert is itself an entry of the history.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { ok, tableCount } from '../access/helpers.js';
import { buildHistoryWorld, type HistoryWorld } from './world.js';

describeEachDialect('reverting a record to a version of its history', (dialect) => {
  let app: TestApp;
  let w: HistoryWorld;
  const history = async (module: string, id: number, client = w.admin) => (await ok(client.get(`/api/data/${module}/${id}/history`), 200)).data;
  const get = async (id: number) => ok(w.admin.get(`/api/data/account/${id}`), 200);

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true });
    w = await buildHistoryWorld(app);
  });
  afterAll(async () => app?.close());

  it('applies the values of version N, bumps the version, and is recorded as a revert to N', async () => {
    const alice = w.users.alice.client;
    const label = await ok(w.admin.post('/api/data/label', { text: 'vip' }));
    const a = await ok(alice.post('/api/data/account', { name: 'Acme', revenue: 10, department: w.dept.a }));
    await ok(alice.patch(`/api/data/account/${a.id}`, { revenue: 20, notes: 'v2', labels: [label.id] }), 200);
    await ok(alice.patch(`/api/data/account/${a.id}`, { name: 'Acme Corp', tier: 'gold', revenue: 30 }), 200);

    const reverted = await ok(alice.post(`/api/data/account/${a.id}/revert`, { version: 1 }), 200);
    expect(reverted).toMatchObject({ name: 'Acme', tier: 'bronze', revenue: 10, notes: null, labels: [], version: 4, updatedBy: w.users.alice.id });
    expect(await get(a.id)).toMatchObject({ name: 'Acme', revenue: 10, notes: null, labels: [] });
    const [entry] = await history('account', a.id);
    expect(entry).toMatchObject({ version: 4, action: 'revert', revertedTo: 1, user: { username: 'alice' } });
    expect(entry.changes).toEqual({
      name: { before: 'Acme Corp', after: 'Acme' }, tier: { before: 'gold', after: 'bronze' }, revenue: { before: 30, after: 10 },
      notes: { before: 'v2', after: null }, labels: { before: [label.id], after: [] },
    });
    // And forward again, to a version between.
    expect(await ok(alice.post(`/api/data/account/${a.id}/revert`, { version: 2 }), 200)).toMatchObject({ name: 'Acme', revenue: 20, notes: 'v2', labels: [label.id], version: 5 });
    expect((await history('account', a.id)).map((e: { action: string; revertedTo?: number }) => `${e.action}${e.revertedTo ?? ''}`))
      .toEqual(['revert2', 'revert1', 'update', 'update', 'create']);
  });

  it('reverts the fields history knows: a record older than its history keeps the values it never changed since', async () => {
    await ok(w.admin.post('/api/plugins/audit/disable'), 200);
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Old', revenue: 1, notes: 'from before', department: w.dept.a }));
    await ok(w.admin.post('/api/plugins/audit/enable'), 200);
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 2 }), 200);
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 3, notes: 'changed' }), 200);
    // Version 2 is the first the history knows: revenue 2 then; notes held "from before" until version 3.
    expect(await ok(w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 2 }), 200)).toMatchObject({ revenue: 2, notes: 'from before', name: 'Old' });
  });

  it('needs the update permission and the record in the caller\'s update scope; refused, nothing is written', async () => {
    const gold = await ok(w.users.alice.client.post('/api/data/account', { name: 'Gold Inc', tier: 'gold', revenue: 5, department: w.dept.a }));
    await ok(w.users.alice.client.patch(`/api/data/account/${gold.id}`, { revenue: 6 }), 200);
    const n = await tableCount(app, 'history');
    // erin reads the account but may update only silver ones.
    expect((await ok(w.users.erin.client.get(`/api/data/account/${gold.id}`), 200)).revenue).toBe(6);
    const erin = await w.users.erin.client.post(`/api/data/account/${gold.id}/revert`, { version: 1 });
    expect(erin.status).toBe(403);
    // carol may not update accounts at all; bob may not even see it.
    expect((await w.users.carol.client.post(`/api/data/account/${gold.id}/revert`, { version: 1 })).status).toBe(403);
    expect((await w.users.bob.client.post(`/api/data/account/${gold.id}/revert`, { version: 1 })).status).toBe(404);
    expect((await get(gold.id)).revenue).toBe(6);
    expect(await tableCount(app, 'history')).toBe(n);
  });

  it('a revert that would break a unique value is the normal 409 duplicate, and writes nothing', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Initech', department: w.dept.a }));
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { name: 'Initrode' }), 200);
    const other = await ok(w.users.alice.client.post('/api/data/account', { name: 'Initech', department: w.dept.a }));
    const n = await tableCount(app, 'history');
    const r = await w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 1 });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'duplicate', existing: { id: other.id } });
    expect((await get(a.id)).name).toBe('Initrode');
    expect(await tableCount(app, 'history')).toBe(n);
  });

  it('refuses an unknown version (400) and a stale If-Match (409)', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Wonka', department: w.dept.a }));
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 1 }), 200);
    const unknown = await w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 9 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('/version');
    expect((await w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 'one' })).status).toBe(400);
    const stale = await w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 1 }, { 'If-Match': '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale');
    expect(await ok(w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 1 }, { 'If-Match': '"2"' }), 200)).toMatchObject({ revenue: null, version: 3 });
  });

  it('a soft-deleted record is restored first, then reverted', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Cyberdyne', department: w.dept.a }));
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 9 }), 200);
    await w.users.alice.client.delete(`/api/data/account/${a.id}`);
    expect((await w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 1 })).status).toBe(404);
    await ok(w.users.alice.client.post(`/api/data/account/${a.id}/restore`), 200);
    expect(await ok(w.users.alice.client.post(`/api/data/account/${a.id}/revert`, { version: 1 }), 200)).toMatchObject({ revenue: null, version: 5 });
  });
});
