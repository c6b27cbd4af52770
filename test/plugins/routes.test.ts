/**
 * Plugin routes (docs/PLUGINS.md "Routes"): mounted under /api/plugins/<name>/, behind the same
 * login as the rest of /api unless the plugin names a route public, with the caller's own
 * DataContext — so that what a handler reads or writes is what the caller may see and do.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, listIds, ok, tableCount } from '../access/helpers.js';
import { probePlugin } from './probe/plugin.js';
import { role, user } from './helpers.js';

describeEachDialect('plugin routes: auth, permissions and visibility', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let agent: Client;
  let viewer: Client;
  let clerk: Client;
  const logs: string[] = [];
  const tickets: { id: number; priority: string }[] = [];

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [probePlugin()], log: (line) => logs.push(line) });
    admin = await app.admin();
    // Agents read only high-priority tickets (a rule) and may create; viewers only read, unrestricted.
    const agents = await role(admin, 'agents', { ticket: ['read', 'create'] });
    await ok(admin.post('/api/data/rule', { name: 'urgent only', module: 'ticket', filter: { priority: 'high' }, actions: ['read'], roles: [agents] }));
    agent = (await user(app, admin, 'agent1', [agents])).client;
    viewer = (await user(app, admin, 'viewer1', [await role(admin, 'viewers', { ticket: ['read'] })])).client;
    // The probe's hooks log each new ticket as the caller: whoever creates tickets also writes probe_log.
    clerk = (await user(app, admin, 'clerk1', [await role(admin, 'clerks', { ticket: ['read', 'create'], probe_log: ['create'] })])).client;
    // The account the public sign-up route acts as: it creates tickets and sees only its own.
    const bots = await role(admin, 'bots', { ticket: ['read', 'create'], probe_log: ['create'] });
    await ok(admin.post('/api/data/rule', { name: 'own tickets', module: 'ticket', filter: { createdBy: '$user.id' }, actions: ['read'], roles: [bots] }));
    await user(app, admin, 'signup_bot', [bots]);
    for (const [subject, priority] of [['a', 'low'], ['b', 'high'], ['c', 'low'], ['d', 'high']] as const) {
      tickets.push({ id: (await ok(admin.post('/api/data/ticket', { subject, priority }))).id, priority });
    }
  });
  afterAll(async () => app?.close());

  const high = () => tickets.filter((t) => t.priority === 'high').map((t) => t.id);

  it('needs a login like the rest of /api', async () => {
    expect(expectStatus(await app.client().get('/api/plugins/probe/mine'), 401).body.error.code).toBe('unauthenticated');
  });

  it("answers with the caller's visibility: an agent's list and reads hold only what their rules let them see", async () => {
    const mine = expectStatus(await agent.get('/api/plugins/probe/mine'), 200).body;
    expect(mine).toEqual(high());
    expect(mine).toEqual(await listIds(agent, 'ticket'));
    expect(expectStatus(await viewer.get('/api/plugins/probe/mine'), 200).body).toEqual(tickets.map((t) => t.id));
    const low = tickets.find((t) => t.priority === 'low')!.id;
    expectStatus(await agent.get(`/api/plugins/probe/tickets/${low}`), 404);
    expect(expectStatus(await agent.get(`/api/plugins/probe/tickets/${high()[0]}`), 200).body).toMatchObject({ id: high()[0], priority: 'high' });
  });

  it('checks the permission a route requires before its handler runs', async () => {
    const before = await tableCount(app, 'ticket');
    expect(expectStatus(await viewer.post('/api/plugins/probe/pair', { first: 'x', second: 'y' }), 403).body.error).toMatchObject({ code: 'forbidden', permission: 'ticket:create' });
    expect(expectStatus(await viewer.get('/api/plugins/probe/admin-only'), 403).body.error.code).toBe('forbidden');
    expect(expectStatus(await admin.get('/api/plugins/probe/admin-only'), 200).body).toEqual({ ok: true });
    expect(await tableCount(app, 'ticket')).toBe(before);
  });

  it('writes several records in one transaction: all of them, or none', async () => {
    const before = await tableCount(app, 'ticket');
    const pair = expectStatus(await clerk.post('/api/plugins/probe/pair', { first: 'one', second: 'two' }), 201).body;
    expect(pair.ids).toHaveLength(2);
    expect(await tableCount(app, 'ticket')).toBe(before + 2);
    // The second is refused (too long for its column): the first goes too.
    const refused = expectStatus(await clerk.post('/api/plugins/probe/pair', { first: 'three', second: 'x'.repeat(101) }), 400).body;
    expect(refused.error.details).toContainEqual(expect.objectContaining({ path: '/subject' }));
    expect(await tableCount(app, 'ticket')).toBe(before + 2);
  });

  it('lets a route the plugin declares public through without login, acting as the account it names', async () => {
    const r = expectStatus(await app.client().post('/api/plugins/probe/signup', { subject: 'sign me up' }), 201).body;
    expect(r.by).toBe('signup_bot');
    const created = await ok(admin.get(`/api/data/ticket/${r.id}`), 200);
    expect(created.createdBy).toBe((await ok(admin.get(`/api/data/user?filter=${encodeURIComponent(JSON.stringify({ username: 'signup_bot' }))}`), 200)).data[0].id);
    // Only that one route: the others still need a login.
    expectStatus(await app.client().get('/api/plugins/probe/mine'), 401);
    expectStatus(await app.client().get('/api/plugins/probe/signup'), 401);
    // A public body is still JSON only (also the CSRF guard).
    expectStatus(await app.client().request('POST', '/api/plugins/probe/signup', 'subject=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  });

  it("a public route's account keeps its own permissions, and a missing account is a clear 503", async () => {
    const bot = await ok(admin.get(`/api/data/user?filter=${encodeURIComponent(JSON.stringify({ username: 'signup_bot' }))}`), 200);
    await ok(admin.patch(`/api/data/user/${bot.data[0].id}`, { roles: [] }), 200);
    expect(expectStatus(await app.client().post('/api/plugins/probe/signup', { subject: 'no rights' }), 403).body.error.permission).toBe('ticket:create');
    await ok(admin.patch(`/api/data/user/${bot.data[0].id}`, { active: false }), 200);
    expect(expectStatus(await app.client().post('/api/plugins/probe/signup', { subject: 'gone' }), 503).body.error.message).toMatch(/signup_bot/);
  });

  it('matches a fixed path before a parameter, and answers 404 for what no plugin serves', async () => {
    expect(expectStatus(await agent.get('/api/plugins/probe/tickets/new'), 200).body).toEqual({ template: { subject: '', priority: 'low' } });
    expectStatus(await agent.get('/api/plugins/probe/nothing-here'), 404);
    expectStatus(await agent.delete('/api/plugins/probe/mine'), 404);
    expectStatus(await agent.get('/api/plugins/nobody/mine'), 404);
  });

  it("a plugin's bug is a 500 in the standard shape, logged with the plugin's name", async () => {
    const r = expectStatus(await admin.get('/api/plugins/probe/broken'), 500);
    expect(r.body.error.code).toBe('internal');
    expect(logs.some((l) => l.startsWith('[plugin probe] GET /api/plugins/probe/broken failed') && l.includes('a bug in the plugin'))).toBe(true);
  });
});
