/**
 * Rule variables from plugins (docs/PLUGINS.md "Rule variables"): the example plugin's
 * `$user.teammates` — the ids of the users of the caller's department — in a rule on `note`
 * restricts lists, counts, aggregates and single reads to the notes of the caller's teammates.
 * The plugin returns values, never SQL; without a value (the plugin disabled, the resolver
 * failing) a rule that needs it grants nothing.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { loadPluginFolder } from '../../core/plugins/load-plugins.js';
import { expectStatus, listIds, ok, sorted } from '../access/helpers.js';
import { role, user } from './helpers.js';

// The example alone, as the server loads it from modules/ (the other plugins there need their apps).
const EXAMPLE = fileURLToPath(new URL('../../modules/example/', import.meta.url));

describeEachDialect('plugin rule variables', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const users: Record<string, { id: number; client: Client }> = {};
  const notes: Record<string, number[]> = {};
  let dept: Record<string, number>;

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [(await loadPluginFolder(EXAMPLE))!], log: () => undefined });
    admin = await app.admin();
    dept = {
      north: (await ok(admin.post('/api/data/department', { code: '01', name: 'North' }))).id,
      south: (await ok(admin.post('/api/data/department', { code: '02', name: 'South' }))).id,
    };
    const readers = await role(admin, 'note_readers', { note: ['read'] });
    await ok(admin.post('/api/data/rule', { name: "my team's notes", module: 'note', filter: { owner: '$user.teammates' }, actions: ['read'], roles: [readers] }));
    for (const [name, d] of [['ann', 'north'], ['ben', 'north'], ['cat', 'south'], ['dan', undefined]] as const) {
      users[name] = await user(app, admin, name, [readers], d ? { department: dept[d] } : {});
      notes[name] = [];
      for (const title of ['one', 'two']) notes[name].push((await ok(admin.post('/api/data/note', { title: `${name} ${title}`, owner: users[name].id }))).id);
    }
    notes.nobody = [(await ok(admin.post('/api/data/note', { title: 'unowned' }))).id];
  });
  afterAll(async () => app?.close());

  const of = (...names: string[]) => sorted(names.flatMap((n) => notes[n]!));

  it("restricts a list to the notes of the caller's department, through the plugin's values", async () => {
    expect(await listIds(users.ann!.client, 'note')).toEqual(of('ann', 'ben'));
    expect(await listIds(users.ben!.client, 'note')).toEqual(of('ann', 'ben'));
    expect(await listIds(users.cat!.client, 'note')).toEqual(of('cat'));
    expect(await listIds(admin, 'note')).toEqual(of('ann', 'ben', 'cat', 'dan', 'nobody'));
  });

  it('applies to counts, aggregates, single reads and plugin routes alike', async () => {
    const ann = users.ann!.client;
    expect(expectStatus(await ann.get('/api/data/note/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 4 }]);
    expectStatus(await ann.get(`/api/data/note/${notes.cat![0]}`), 404);
    expectStatus(await ann.get(`/api/data/note/${notes.ben![0]}`), 200);
    expect(expectStatus(await ann.get('/api/plugins/example/summary'), 200).body).toEqual({ open: 4, done: 0 });
  });

  it('follows the data at the next request: a user moving to another department changes who sees their notes', async () => {
    await ok(admin.patch(`/api/data/user/${users.ben!.id}`, { department: dept.south }), 200);
    expect(await listIds(users.ann!.client, 'note')).toEqual(of('ann'));
    expect(await listIds(users.cat!.client, 'note')).toEqual(of('ben', 'cat'));
    await ok(admin.patch(`/api/data/user/${users.ben!.id}`, { department: dept.north }), 200);
    expect(await listIds(users.ann!.client, 'note')).toEqual(of('ann', 'ben'));
  });

  it('grants nothing where the variable has no value: no department (no teammates), or the plugin disabled', async () => {
    expect(await listIds(users.dan!.client, 'note')).toEqual([]);
    await ok(admin.post('/api/plugins/example/disable'), 200);
    expect(await listIds(users.ann!.client, 'note')).toEqual([]);
    expect(expectStatus(await users.ann!.client.get('/api/data/note/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 0 }]);
    await ok(admin.post('/api/plugins/example/enable'), 200);
    expect(await listIds(users.ann!.client, 'note')).toEqual(of('ann', 'ben'));
  });

  it('keeps the values out of the SQL text: explain shows them as bound parameters', async () => {
    const read = expectStatus(await admin.get(`/api/data/note/explain?user=${users.ann!.id}`), 200).body.actions.read;
    expect(read.bases[0].rules).toEqual([{ id: expect.any(Number), name: "my team's notes" }]);
    expect(read.sql).toMatch(/^.t0.\..owner. IN \(\$1, \$2\)$/);
    expect(sorted(read.params)).toEqual(sorted([users.ann!.id, users.ben!.id]));
  });
});
