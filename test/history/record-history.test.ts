/**
 * Audit history (docs/HISTORY.md): every create, update, delete and restore of
 * any module leaves an entry with who, when and the values before and after per field, written in
 * the change's own transaction; `GET /api/data/<m>/<id>/history` shows a record's entries to
 * whoever may read the record, without the values of fields they may not read.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';
import { buildHistoryWorld, type HistoryWorld } from './world.js';

describeEachDialect('audit history of records', (dialect) => {
  let app: TestApp;
  let w: HistoryWorld;
  const history = async (module: string, id: number, client = w.admin) => (await ok(client.get(`/api/data/${module}/${id}/history`), 200)).data;
  const entries = () => tableCount(app, 'history');

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true });
    w = await buildHistoryWorld(app);
  });
  afterAll(async () => app?.close());

  it('a create is entry 1: who, when, and every value it set (from nothing)', async () => {
    const before = Date.now();
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Acme', revenue: 1200.5, department: w.dept.a }));
    const [entry, ...rest] = await history('account', a.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      version: 1, action: 'create', user: { id: w.users.alice.id, username: 'alice' },
      changes: {
        name: { before: null, after: 'Acme' }, revenue: { before: null, after: 1200.5 }, department: { before: null, after: w.dept.a },
        // The definition's default is a value the create set.
        tier: { before: null, after: 'bronze' },
      },
    });
    // Nothing of the engine's own (id, version, createdAt, _scope) and nothing that was left empty.
    expect(Object.keys(entry.changes).sort()).toEqual(['department', 'name', 'revenue', 'tier']);
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('an update adds an entry with only the fields it changed, before and after; newest first', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Globex', tier: 'silver', revenue: 10, department: w.dept.a }));
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 20, notes: 'called', tier: 'silver' }), 200);
    await ok(w.admin.patch(`/api/data/account/${a.id}`, { tier: 'gold' }), 200);
    const list = await history('account', a.id);
    expect(list.map((e: { version: number; action: string }) => `${e.version}:${e.action}`)).toEqual(['3:update', '2:update', '1:create']);
    expect(list[1]).toMatchObject({ user: { username: 'alice' }, changes: { revenue: { before: 10, after: 20 }, notes: { before: null, after: 'called' } } });
    // tier was sent unchanged: it is no change.
    expect(Object.keys(list[1].changes).sort()).toEqual(['notes', 'revenue']);
    expect(list[0]).toMatchObject({ user: { username: 'admin' }, changes: { tier: { before: 'silver', after: 'gold' } } });
    expect(Object.keys(list[0].changes)).toEqual(['tier']);
    const paged = await ok(w.admin.get(`/api/data/account/${a.id}/history?pageSize=2&page=2`), 200);
    expect(paged.meta).toEqual({ total: 3, page: 2, pageSize: 2 });
    expect(paged.data.map((e: { version: number }) => e.version)).toEqual([1]);
  });

  it('many-to-many changes are recorded as id lists', async () => {
    const l1 = await ok(w.admin.post('/api/data/label', { text: 'key' }));
    const l2 = await ok(w.admin.post('/api/data/label', { text: 'new' }));
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Initech', department: w.dept.a, labels: [l2.id] }));
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { labels: [l1.id, l2.id] }), 200);
    const [update, create] = await history('account', a.id);
    expect(create.changes.labels).toEqual({ before: [], after: [l2.id] });
    expect(update.changes).toEqual({ labels: { before: [l2.id], after: [l1.id, l2.id] } });
  });

  it('a refused or rolled-back write leaves no entry: the entry is part of the change\'s transaction', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Hooli', department: w.dept.a }));
    const n = await entries();
    expect((await w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: -1 })).status).toBe(400);
    expect((await w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 5 }, { 'If-Match': '"7"' })).status).toBe(409);
    // A reference to a department she may not see; a duplicate, which the database refuses mid-write.
    expect((await w.users.alice.client.patch(`/api/data/account/${a.id}`, { department: w.dept.b })).status).toBe(400);
    expect((await w.users.alice.client.post('/api/data/account', { name: 'Hooli', department: w.dept.a })).status).toBe(409);
    expect(await entries()).toBe(n);
    expect((await history('account', a.id)).map((e: { action: string }) => e.action)).toEqual(['create']);
  });

  it('a user who cannot see the record gets 404 on its history, as on the record', async () => {
    const mine = await ok(w.users.alice.client.post('/api/data/account', { name: 'Umbrella', department: w.dept.a }));
    const bobs = await ok(w.users.bob.client.post('/api/data/account', { name: 'Vandelay', department: w.dept.b }));
    expect((await w.users.bob.client.get(`/api/data/account/${mine.id}/history`)).status).toBe(404);
    expect((await w.users.alice.client.get(`/api/data/account/${bobs.id}/history`)).status).toBe(404);
    expect((await w.users.alice.client.get('/api/data/account/999999/history')).status).toBe(404);
    expect(await history('account', bobs.id, w.users.bob.client)).toHaveLength(1);
    // No read permission at all: 403, as for the record.
    expect((await w.users.carol.client.get(`/api/data/user/${w.users.alice.id}/history`)).status).toBe(403);
  });

  it('fields the caller may not read (permission readFields) are left out of the entries', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Stark', revenue: 99, notes: 'secret', department: w.dept.a }));
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 100, tier: 'gold' }), 200);
    await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { notes: 'more secret' }), 200);
    const seen = await history('account', a.id, w.users.carol.client);
    expect(seen.map((e: { version: number }) => e.version)).toEqual([3, 2, 1]);
    expect(seen[2].changes).toEqual({ name: { before: null, after: 'Stark' }, tier: { before: null, after: 'bronze' }, department: { before: null, after: w.dept.a } });
    expect(seen[1].changes).toEqual({ tier: { before: 'bronze', after: 'gold' } });
    // An entry whose every change is hidden still says that the record changed, and when.
    expect(seen[0]).toMatchObject({ action: 'update', changes: {} });
    expect(JSON.stringify(seen.map((e: { changes: unknown }) => e.changes))).not.toMatch(/secret|revenue|notes|99|100/);
    // The admin sees them all.
    expect((await history('account', a.id))[0].changes).toEqual({ notes: { before: 'secret', after: 'more secret' } });
  });

  it('system modules are audited too; a password is recorded only as changed, never its value or hash', async () => {
    const u = await ok(w.admin.post('/api/data/user', { username: 'frank', password: 'first-password-1', name: 'Frank' }));
    await ok(w.admin.patch(`/api/data/user/${u.id}`, { password: 'second-password-2', name: 'Franklin' }), 200);
    const [update, create] = await history('user', u.id);
    expect(create.changes.password).toEqual({ changed: true });
    expect(create.changes.username).toEqual({ before: null, after: 'frank' });
    expect(update.changes).toEqual({ name: { before: 'Frank', after: 'Franklin' }, password: { changed: true } });
    const q = (s: string) => app.stratum.db.quote(s);
    const stored = await app.stratum.db.all({ sql: `SELECT ${q('changes')} AS c FROM ${q('history')} WHERE ${q('module')} = 'user'`, params: [] });
    const hash = (await app.stratum.db.all({ sql: `SELECT ${q('password')} AS p FROM ${q('user')} WHERE ${q('id')} = $1`, params: [u.id] }))[0]!.p as string;
    const text = stored.map((r) => String(r.c)).join('\n');
    expect(text).not.toContain('password-1');
    expect(text).not.toContain('password-2');
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain(hash.split('$').pop()!);
    // Permissions and roles are records like any other.
    const r = await ok(w.admin.post('/api/data/role', { name: 'auditor' }));
    expect((await history('role', r.id))[0]).toMatchObject({ action: 'create', changes: { name: { before: null, after: 'auditor' } } });
  });

  it('bulk updates leave one entry per record, each with its own before and after; a refused bulk leaves none', async () => {
    const ids: number[] = [];
    for (const [i, revenue] of [1, 2, 3].entries()) ids.push((await ok(w.users.alice.client.post('/api/data/account', { name: `Bulk ${i}`, revenue, department: w.dept.a }))).id);
    expect((await ok(w.users.alice.client.post('/api/data/account/bulk', { action: 'update', ids, values: { revenue: 50, tier: 'silver' } }), 200)).count).toBe(3);
    for (const [i, id] of ids.entries()) {
      const [entry] = await history('account', id);
      expect(entry).toMatchObject({ version: 2, action: 'update', user: { username: 'alice' } });
      expect(entry.changes).toEqual({ revenue: { before: i + 1, after: 50 }, tier: { before: 'bronze', after: 'silver' } });
    }
    const n = await entries();
    const foreign = await ok(w.users.bob.client.post('/api/data/account', { name: 'Bulk foreign', department: w.dept.b }));
    const refused = await w.users.alice.client.post('/api/data/account/bulk', { action: 'update', ids: [...ids, foreign.id], values: { revenue: 1 } });
    expect(refused.status).toBe(404);
    expect(await entries()).toBe(n + 1);
    for (const id of ids) expect((await history('account', id))).toHaveLength(2);
  });

  it('a soft delete and a restore are entries; the deleted record\'s history is there for whoever may restore it', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Soylent', department: w.dept.a }));
    expectStatus(await w.users.alice.client.delete(`/api/data/account/${a.id}`), 204);
    const afterDelete = await history('account', a.id, w.users.alice.client);
    expect(afterDelete[0]).toMatchObject({ version: 2, action: 'delete', user: { username: 'alice' }, changes: {} });
    // carol reads accounts but may not delete (so not restore) them: the deleted record is not there for her.
    expect((await w.users.carol.client.get(`/api/data/account/${a.id}/history`)).status).toBe(404);
    expect((await w.users.bob.client.get(`/api/data/account/${a.id}/history`)).status).toBe(404);
    await ok(w.users.alice.client.post(`/api/data/account/${a.id}/restore`), 200);
    const afterRestore = await history('account', a.id, w.users.carol.client);
    expect(afterRestore.map((e: { version: number; action: string }) => `${e.version}:${e.action}`)).toEqual(['3:restore', '2:delete', '1:create']);
  });

  it('a record removed for good leaves its last values in its delete entry, readable by admins in the history module', async () => {
    const label = await ok(w.users.alice.client.post('/api/data/label', { text: 'temporary' }));
    expectStatus(await w.users.alice.client.delete(`/api/data/label/${label.id}`), 204);
    expect((await w.admin.get(`/api/data/label/${label.id}/history`)).status).toBe(404);
    const rows = (await ok(w.admin.get(`/api/data/history?sort=recordVersion&${filterParam({ module: 'label', recordId: label.id })}`), 200)).data;
    expect(rows.map((r: { action: string; recordVersion: number }) => `${r.recordVersion}:${r.action}`)).toEqual(['1:create', '2:delete']);
    expect(rows[1]).toMatchObject({ userId: w.users.alice.id, username: 'alice', changes: { text: { before: 'temporary', after: null } } });
    // Only admins (and whom they grant `history`) read the module itself.
    expect((await w.users.alice.client.get('/api/data/history')).status).toBe(403);
  });

  it('history is append-only: not even an admin writes it through the API', async () => {
    const [row] = (await ok(w.admin.get('/api/data/history?pageSize=1'), 200)).data;
    const n = await entries();
    expect((await w.admin.post('/api/data/history', { module: 'account', recordId: 1, recordVersion: 9, action: 'update', at: '2024-01-01T00:00:00Z' })).status).toBe(403);
    expect((await w.admin.patch(`/api/data/history/${row.id}`, { username: 'someone else' })).status).toBe(403);
    expect((await w.admin.delete(`/api/data/history/${row.id}`)).status).toBe(403);
    expect(await entries()).toBe(n);
  });

  it('while an admin has the audit plugin disabled, nothing is recorded and the history routes answer 404 audit_off', async () => {
    const a = await ok(w.users.alice.client.post('/api/data/account', { name: 'Paused', department: w.dept.a }));
    await ok(w.admin.post('/api/plugins/audit/disable'), 200);
    try {
      await ok(w.users.alice.client.patch(`/api/data/account/${a.id}`, { revenue: 7 }), 200);
      expect((await w.admin.get(`/api/data/account/${a.id}/history`)).body.error.code).toBe('audit_off');
      expect((await w.admin.post(`/api/data/account/${a.id}/revert`, { version: 1 })).body.error.code).toBe('audit_off');
    } finally {
      await ok(w.admin.post('/api/plugins/audit/enable'), 200);
    }
    expect((await history('account', a.id)).map((e: { version: number }) => e.version)).toEqual([1]);
  });
});
