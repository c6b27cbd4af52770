/**
 * Hooks around writes (docs/PLUGINS.md "Hooks"), with the probe plugin on its `ticket` module:
 * before hooks refuse (nothing written) or change the payload (the change is stored), after
 * hooks run in the write's transaction (what they write commits or rolls back with it, and a
 * refusal rolls everything back), after-commit hooks run only once the write is committed, and a
 * failing one never turns a committed write into an error. Hooks act with the caller's rights.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';
import { probePlugin, type Committed } from './probe/plugin.js';
import { role, user } from './helpers.js';

describeEachDialect('plugin hooks around writes', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const sink: Committed[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [probePlugin({ sink })], log: (line) => logs.push(line) });
    admin = await app.admin();
  });
  afterAll(async () => app?.close());
  beforeEach(() => {
    sink.length = 0;
  });

  const counts = async () => ({ tickets: await tableCount(app, 'ticket'), logs: await tableCount(app, 'probe_log') });
  const logOf = async (event: string, ticket: number) =>
    (await ok(admin.get(`/api/data/probe_log?sort=id&${filterParam({ event, ticket })}`), 200)).data.map((l: { detail: string }) => l.detail);

  it('a before hook that refuses writes nothing: 400 with a pointer to the field', async () => {
    const before = await counts();
    const r = expectStatus(await admin.post('/api/data/ticket', { subject: 'this is forbidden' }), 400);
    expect(r.body.error).toMatchObject({ code: 'invalid', details: [{ path: '/subject', message: 'must not say forbidden', code: 'refused' }] });
    expect(await counts()).toEqual(before);
    expect(sink).toEqual([]);
  });

  it("a before hook's change of the payload is what gets stored", async () => {
    const created = await ok(admin.post('/api/data/ticket', { subject: '!  server down' }));
    expect(created).toMatchObject({ subject: 'server down', priority: 'high', status: 'open' });
    expect(await ok(admin.get(`/api/data/ticket/${created.id}`), 200)).toMatchObject({ subject: 'server down', priority: 'high' });
  });

  it("the payload is validated before the hooks see it, and the hooks' output is validated again", async () => {
    const before = await counts();
    expect(expectStatus(await admin.post('/api/data/ticket', { subject: 'x', priority: 'urgent' }), 400).body.error.details)
      .toEqual([expect.objectContaining({ path: '/priority', code: 'enum' })]);
    expect(await counts()).toEqual(before);
  });

  it("after hooks run inside the write's transaction: what they write is committed with it", async () => {
    const created = await ok(admin.post('/api/data/ticket', { subject: 'logged' }));
    expect(await logOf('afterCreate', created.id)).toEqual(['logged']);
  });

  it('an after hook that refuses rolls the whole write back, its own writes included', async () => {
    const before = await counts();
    const r = expectStatus(await admin.post('/api/data/ticket', { subject: 'rollback after' }), 400);
    expect(r.body.error.details).toEqual([{ path: '/subject', message: 'refused after the write', code: 'refused' }]);
    expect(await counts()).toEqual(before);
    expect(sink).toEqual([]);
  });

  it('after-commit hooks run once the write is committed (it is visible outside the transaction), as the caller', async () => {
    const created = await ok(admin.post('/api/data/ticket', { subject: 'mail me' }));
    expect(sink).toEqual([{ hook: 'afterCreateCommit', id: created.id, visibleOutside: true, actor: 'admin' }]);
  });

  it('a failing after-commit hook leaves the committed write answered as such, and is logged', async () => {
    const before = await counts();
    const created = expectStatus(await admin.post('/api/data/ticket', { subject: 'explode after commit' }), 201).body;
    expect(await counts()).toEqual({ tickets: before.tickets + 1, logs: before.logs + 1 });
    expect(await ok(admin.get(`/api/data/ticket/${created.id}`), 200)).toMatchObject({ subject: 'explode after commit' });
    expect(logs.some((l) => l.startsWith('[plugin probe] afterCreateCommit on ticket') && l.includes('the mail server is down'))).toBe(true);
  });

  it('update hooks see the record before and after, field by field', async () => {
    const t = await ok(admin.post('/api/data/ticket', { subject: 'old' }));
    const updated = await ok(admin.patch(`/api/data/ticket/${t.id}`, { subject: '!new', priority: 'high' }, { 'If-Match': '1' }), 200);
    expect(updated).toMatchObject({ subject: 'new', priority: 'high', version: 2 });
    expect((await logOf('afterUpdate', t.id)).map((d: string) => JSON.parse(d))).toEqual([
      { subject: { before: 'old', after: 'new' }, priority: { before: 'low', after: 'high' } },
    ]);
    expect(sink.filter((s) => s.hook === 'afterUpdateCommit')).toEqual([
      { hook: 'afterUpdateCommit', id: t.id, visibleOutside: true, actor: 'admin', detail: { before: 'old', after: 'new' } },
    ]);
  });

  it('an update refused by a before or an after hook changes nothing; a stale version is still 409', async () => {
    const t = await ok(admin.post('/api/data/ticket', { subject: 'steady' }));
    const before = await counts();
    expectStatus(await admin.patch(`/api/data/ticket/${t.id}`, { subject: 'rollback after' }), 400);
    await ok(admin.patch(`/api/data/ticket/${t.id}`, { status: 'closed' }), 200);
    expect(expectStatus(await admin.patch(`/api/data/ticket/${t.id}`, { status: 'open' }, { 'If-Match': '1' }), 409).body.error.code).toBe('stale');
    expect(expectStatus(await admin.patch(`/api/data/ticket/${t.id}`, { priority: 'high' }), 400).body.error.details[0].path).toBe('/status');
    expect(await ok(admin.get(`/api/data/ticket/${t.id}`), 200)).toMatchObject({ subject: 'steady', status: 'closed', priority: 'low', version: 2 });
    // Only the one update that went through left an afterUpdate row.
    expect(await tableCount(app, 'probe_log')).toBe(before.logs + 1);
    expectStatus(await admin.patch('/api/data/ticket/999999', { subject: 'nobody' }), 404);
  });

  it('delete hooks refuse (409) or run around the delete; after-commit sees it gone', async () => {
    const t = await ok(admin.post('/api/data/ticket', { subject: 'to delete' }));
    expect(expectStatus(await admin.delete(`/api/data/ticket/${t.id}`), 409).body.error.code).toBe('ticket_open');
    expectStatus(await admin.get(`/api/data/ticket/${t.id}`), 200);
    await ok(admin.patch(`/api/data/ticket/${t.id}`, { status: 'closed' }), 200);
    sink.length = 0;
    expectStatus(await admin.delete(`/api/data/ticket/${t.id}`), 204);
    expectStatus(await admin.get(`/api/data/ticket/${t.id}`), 404);
    expect(await logOf('afterDelete', t.id)).toEqual(['to delete']);
    expect(sink).toEqual([{ hook: 'afterDeleteCommit', id: t.id, visibleOutside: false, actor: '' }]);
    expectStatus(await admin.delete('/api/data/ticket/999999'), 404);
  });

  it('bulk writes run the hooks for each record, all or nothing, and after-commit hooks once all are committed', async () => {
    const a = await ok(admin.post('/api/data/ticket', { subject: 'bulk a' }));
    const b = await ok(admin.post('/api/data/ticket', { subject: 'bulk b' }));
    sink.length = 0;
    const refused = expectStatus(await admin.post('/api/data/ticket/bulk', { action: 'update', ids: [a.id, b.id], values: { subject: 'rollback after' } }), 400);
    expect(refused.body.error.details[0].path).toBe('/ids/0/subject');
    expect((await ok(admin.get(`/api/data/ticket/${a.id}`), 200)).subject).toBe('bulk a');
    expect(sink).toEqual([]);
    expectStatus(await admin.post('/api/data/ticket/bulk', { action: 'update', ids: [a.id, b.id], values: { priority: 'high' } }), 200);
    expect(sink.map((s) => [s.hook, s.id])).toEqual([['afterUpdateCommit', a.id], ['afterUpdateCommit', b.id]]);
    expect(await logOf('afterUpdate', b.id)).toEqual([JSON.stringify({ priority: { before: 'low', after: 'high' } })]);
  });

  it("hooks act with the caller's rights: a hook's write the caller may not make refuses the whole write", async () => {
    const full = await user(app, admin, 'hooks_full', [await role(admin, 'hooks_full', { ticket: ['read', 'create'], probe_log: ['create'] })]);
    const bare = await user(app, admin, 'hooks_bare', [await role(admin, 'hooks_bare', { ticket: ['read', 'create'] })]);
    expect(await ok(full.client.post('/api/data/ticket', { subject: 'by full' }))).toMatchObject({ createdBy: full.id });
    const before = await counts();
    const r = expectStatus(await bare.client.post('/api/data/ticket', { subject: 'by bare' }), 403);
    expect(r.body.error.permission).toBe('probe_log:create');
    expect(await counts()).toEqual(before);
  });

  it("a before hook's change is checked like the caller's input: it cannot write a field the caller may not", async () => {
    const limited = await role(admin, 'hooks_limited', { ticket: ['read', 'create'], probe_log: ['create'] });
    const perm = (await ok(admin.get(`/api/data/permission?${filterParam({ role: limited, module: 'ticket' })}`), 200)).data[0];
    await ok(admin.patch(`/api/data/permission/${perm.id}`, { writeFields: ['subject'] }), 200);
    const u = await user(app, admin, 'hooks_limited', [limited]);
    await ok(u.client.post('/api/data/ticket', { subject: 'plain' }));
    const r = expectStatus(await u.client.post('/api/data/ticket', { subject: '!urgent' }), 400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: '/priority', code: 'field_forbidden' })]);
  });
});
