/**
 * A plugin's system access (`ctx.system(reason, fn)`): admin-level records, still through the
 * engine, each use kept with the plugin's name and the reason and shown to admins at
 * GET /api/plugins/audit/system-uses; what the use wrote is in the records' own history, as the
 * caller's. A use whose work rolls back leaves nothing; a plugin's record route (`recordRoutes`)
 * answers at /api/data/<m>/<id>/<name> while its plugin is enabled.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { definePlugin, refuse } from '../../core/plugins/define-plugin.js';
import { engineOf } from '../../core/plugins/builtin/internal.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';
import { buildHistoryWorld, type HistoryWorld } from './world.js';

type Rec = Record<string, unknown>;

/** Files a label on an account in another department: no role of the caller's reaches it. */
const labeller = definePlugin<Record<string, Rec>>({
  name: 'labeller',
  version: '1.0.0',
  routes: {
    'POST /accounts/:id/flag': async ({ params, records, system, json }) => {
      // As the caller: alice may not see bob's account (404 from the engine).
      const seen = await records('account').get(Number(params.id)).then(() => true, () => false);
      const flagged = await system('flag an account for review across departments', async (t) => {
        const label = await t.records('label').create({ text: 'review' });
        await t.records('account').update(Number(params.id), { notes: 'flagged for review' });
        return label.id;
      });
      return json({ seen, label: flagged }, 201);
    },
    'POST /broken': ({ system }) => system('a use that is refused halfway', async (t) => {
      await t.records('label').create({ text: 'never kept' });
      refuse('/text', 'refused after a write');
    }),
    'POST /no-reason': ({ system }) => system('  ', async () => undefined),
    // The built-ins' way to the engine context answers only for them.
    'GET /engine': (ctx) => engineOf(ctx).data.graph.generation,
  },
  recordRoutes: {
    'GET notes': {
      query: ['upper'],
      handler: async ({ record, records, req }) => {
        const found = await records(record.module).get(record.id);
        const notes = String(found.notes ?? '');
        return { module: record.module, id: record.id, notes: req.query('upper') === '1' ? notes.toUpperCase() : notes };
      },
    },
  },
});

describeEachDialect('system access of plugins, recorded in the history', (dialect) => {
  let app: TestApp;
  let w: HistoryWorld;
  let bobs: number;

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true, plugins: [labeller] });
    w = await buildHistoryWorld(app);
    bobs = (await ok(w.users.bob.client.post('/api/data/account', { name: 'Bob Ltd', department: w.dept.b }))).id;
  });
  afterAll(async () => app?.close());

  it('a use writes what the caller may not, through the engine, and is recorded with plugin, reason, actor and writes', async () => {
    expectStatus(await w.users.alice.client.patch(`/api/data/account/${bobs}`, { notes: 'mine now' }), 404);
    const reply = await ok(w.users.alice.client.post(`/api/plugins/labeller/accounts/${bobs}/flag`), 201);
    expect(reply.seen).toBe(false);
    const uses = await ok(w.admin.get('/api/plugins/audit/system-uses?plugin=labeller'), 200);
    expect(uses.meta).toMatchObject({ total: 1, page: 1 });
    expect(uses.data[0]).toMatchObject({
      plugin: 'labeller', reason: 'flag an account for review across departments', user: { id: w.users.alice.id, username: 'alice' },
      written: [{ module: 'label', id: reply.label, action: 'create' }, { module: 'account', id: bobs, action: 'update' }],
    });
    // The record's own history: the change, by the caller, as any other.
    const [latest] = (await ok(w.admin.get(`/api/data/account/${bobs}/history`), 200)).data;
    expect(latest).toMatchObject({ action: 'update', user: { username: 'alice' }, changes: { notes: { before: null, after: 'flagged for review' } } });
  });

  it('a use whose work is refused leaves neither its writes nor an entry; a use needs a reason', async () => {
    const uses = await tableCount(app, '_stratum_system_uses');
    const labels = await tableCount(app, 'label');
    expectStatus(await w.users.alice.client.post('/api/plugins/labeller/broken'), 400);
    expectStatus(await w.users.alice.client.post('/api/plugins/labeller/no-reason'), 500);
    expect(await tableCount(app, '_stratum_system_uses')).toBe(uses);
    expect(await tableCount(app, 'label')).toBe(labels);
  });

  it('the engine context behind a scope is for the built-in plugins only', async () => {
    expectStatus(await w.admin.get('/api/plugins/labeller/engine'), 500);
  });

  it('only admins read the uses; the list pages and refuses what it does not know', async () => {
    expectStatus(await w.users.alice.client.get('/api/plugins/audit/system-uses'), 403);
    expect((await ok(w.admin.get('/api/plugins/audit/system-uses?plugin=nobody'), 200)).meta.total).toBe(0);
    expect((await ok(w.admin.get('/api/plugins/audit/system-uses?pageSize=1&page=2'), 200)).data).toEqual([]);
    expectStatus(await w.admin.get('/api/plugins/audit/system-uses?limit=1'), 400);
    expectStatus(await w.admin.get('/api/plugins/audit/system-uses?pageSize=0'), 400);
  });

  it("a plugin's record route answers at /api/data/<m>/<id>/<name> as the caller, while the plugin is enabled", async () => {
    const mine = (await ok(w.users.alice.client.post('/api/data/account', { name: 'Alice & Co', notes: 'call back', department: w.dept.a }))).id;
    expect(await ok(w.users.alice.client.get(`/api/data/account/${mine}/notes?upper=1`), 200)).toEqual({ module: 'account', id: mine, notes: 'CALL BACK' });
    expectStatus(await w.users.alice.client.get(`/api/data/account/${bobs}/notes`), 404);
    expect((await w.users.alice.client.get(`/api/data/account/${mine}/notes?lower=1`)).body.error.code).toBe('unknown_parameter');
    expectStatus(await w.users.alice.client.get(`/api/data/nosuch/${mine}/notes`), 404);
    await ok(w.admin.post('/api/plugins/labeller/disable'), 200);
    try {
      const off = await w.users.alice.client.get(`/api/data/account/${mine}/notes`);
      expect({ status: off.status, code: off.body.error.code }).toEqual({ status: 404, code: 'labeller_off' });
    } finally {
      await ok(w.admin.post('/api/plugins/labeller/enable'), 200);
    }
  });

  it('a record route may not take a name the engine answers, nor be malformed', () => {
    const bad = (recordRoutes: Record<string, unknown>) => () => definePlugin({ name: 'bad', version: '1.0.0', recordRoutes: recordRoutes as never });
    expect(bad({ 'GET restore': () => undefined })).toThrow(/is the engine's/);
    expect(bad({ 'GET /history': () => undefined })).toThrow(/write "METHOD name"/);
    expect(bad({ 'GET notes': { query: 'page' } })).toThrow(/a handler function/);
  });
});
