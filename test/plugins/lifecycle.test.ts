/**
 * The plugin lifecycle (docs/PLUGINS.md): installed once per database however many processes
 * start with its code, upgraded once when the code's version changes, and enabled or disabled in
 * the database — so that a toggle in one process stops (and restarts) the plugin's routes and
 * hooks in every other process from its next request, with no restart.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, openSecondStratum, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, ok } from '../access/helpers.js';
import { probePlugin } from './probe/plugin.js';
import { role, user } from './helpers.js';

describeEachDialect('plugin lifecycle', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const logs: string[] = [];
  const opened: { stratum: { close(): Promise<void> } }[] = [];

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [probePlugin()], log: (line) => logs.push(line) });
    admin = await app.admin();
  });
  afterAll(async () => {
    for (const o of opened) await o.stratum.close();
    await app?.close();
  });

  /** Another server process on the same database, running the probe plugin at `version`. */
  const second = async (version = '1.0.0') => {
    const other = await openSecondStratum(app, { plugins: [probePlugin({ version })], log: (line) => logs.push(line) });
    opened.push(other);
    return other;
  };
  const events = async (event: string) =>
    (await ok(admin.get(`/api/data/probe_log?sort=id&${filterParam({ event })}`), 200)).data.map((e: { detail: string }) => e.detail);

  it('installs once per database, as the built-in admin, with the modules it ships', async () => {
    await second();
    await second();
    expect(await events('install')).toEqual(['1.0.0']);
    const install = (await ok(admin.get(`/api/data/probe_log?${filterParam({ event: 'install' })}`), 200)).data[0];
    expect(install.createdBy).toBe((await ok(admin.get('/api/auth/me'), 200)).user.id);
    expect(await ok(admin.get('/api/modules/ticket'), 200)).toMatchObject({ name: 'ticket', source: 'file' });
    expect(logs.filter((l) => l.includes('[plugin probe] installed'))).toHaveLength(1);
  });

  it('lists plugins with their version, state, routes, hooks and variables, to admins only', async () => {
    const list = (await ok(admin.get('/api/plugins'), 200)).data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'probe', version: '1.0.0', installedVersion: '1.0.0', enabled: true });
    expect(list[0].hooks.ticket).toContain('beforeCreate');
    expect(list[0].routes).toContainEqual({ method: 'POST', path: '/api/plugins/probe/signup', public: true });
    expect(list[0].routes).toContainEqual({ method: 'POST', path: '/api/plugins/probe/pair', public: false, requires: 'ticket:create' });
    const reader = await user(app, admin, 'lifecycle_reader', [await role(admin, 'lifecycle_readers', { ticket: ['read'] })]);
    expect(expectStatus(await reader.client.get('/api/plugins'), 403).body.error.code).toBe('forbidden');
    expectStatus(await reader.client.post('/api/plugins/probe/disable'), 403);
    expect(expectStatus(await app.client().get('/api/plugins'), 401).body.error.code).toBe('unauthenticated');
    expectStatus(await admin.post('/api/plugins/nothing/disable'), 404);
  });

  it('disabling in one process stops its routes and hooks in another from the next request; enabling brings them back', async () => {
    const other = await second();
    const otherAdmin = await other.admin();
    expectStatus(await otherAdmin.get('/api/plugins/probe/mine'), 200);

    const off = expectStatus(await admin.post('/api/plugins/probe/disable'), 200).body;
    expect(off).toMatchObject({ name: 'probe', enabled: false });
    expect(expectStatus(await otherAdmin.get('/api/plugins/probe/mine'), 404).body.error.code).toBe('not_found');
    expectStatus(await other.client().post('/api/plugins/probe/signup', { subject: 'hello' }), 404);
    // Hooks stop too: "!" is no longer read as urgent, and "forbidden" passes.
    expect(await ok(otherAdmin.post('/api/data/ticket', { subject: '!forbidden' }))).toMatchObject({ subject: '!forbidden', priority: 'low' });
    // Disabling twice changes nothing and runs no second disable step.
    expectStatus(await otherAdmin.post('/api/plugins/probe/disable'), 200);
    expect(await events('disable')).toEqual(['admin']);

    expect(expectStatus(await otherAdmin.post('/api/plugins/probe/enable'), 200).body).toMatchObject({ enabled: true });
    expectStatus(await admin.get('/api/plugins/probe/mine'), 200);
    expect(await ok(admin.post('/api/data/ticket', { subject: '!urgent' }))).toMatchObject({ subject: 'urgent', priority: 'high' });
    expect(await events('enable')).toEqual(['admin']);
  });

  it('a restart with the same code changes nothing; enabled state survives it', async () => {
    await ok(admin.post('/api/plugins/probe/disable'), 200);
    const restarted = await second();
    expect(expectStatus(await (await restarted.admin()).get('/api/plugins/probe/mine'), 404).body.error.code).toBe('not_found');
    await ok(admin.post('/api/plugins/probe/enable'), 200);
    expect(await events('install')).toEqual(['1.0.0']);
    expect(await events('upgrade')).toEqual([]);
  });

  it('upgrades once when a process starts with a new version, and records it', async () => {
    await second('2.0.0');
    await second('2.0.0');
    expect(await events('upgrade')).toEqual(['1.0.0 -> 2.0.0']);
    expect((await ok(admin.get('/api/plugins'), 200)).data[0]).toMatchObject({ version: '1.0.0', installedVersion: '2.0.0', enabled: true });
  });

  it('never downgrades: an older process restarting during a rolling deploy leaves the installed version', async () => {
    await second('1.0.0');
    await second('1.10.0');
    expect(await events('upgrade')).toEqual(['1.0.0 -> 2.0.0']);
    expect(logs.some((l) => l.includes('[plugin probe] this code is version 1.10.0, older than the installed 2.0.0; not downgrading'))).toBe(true);
    await second('10.0.0');
    expect(await events('upgrade')).toEqual(['1.0.0 -> 2.0.0', '2.0.0 -> 10.0.0']);
  });
});
