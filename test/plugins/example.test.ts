/**
 * The example plugin (modules/example), loaded from modules/ as the server loads it: what the
 * README promises a first plugin does — a field check in a before hook, a route, a notice after
 * the commit — works end to end.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { loadPluginFolder } from '../../core/plugins/load-plugins.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';
import { notifier, type Notice } from '../../modules/example/notifier.js';
import { role, user } from './helpers.js';

// The example alone, as the server loads it from modules/ (the other plugins there need their apps).
const EXAMPLE = fileURLToPath(new URL('../../modules/example/', import.meta.url));

describeEachDialect('the example plugin', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const sent: (Notice & { notesInTable: number })[] = [];
  const logs: string[] = [];
  let failNext = false;

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [(await loadPluginFolder(EXAMPLE))!], log: (line) => logs.push(line) });
    admin = await app.admin();
    // What a mail transport would do; it also counts the notes as any other connection sees them.
    notifier.send = async (notice) => {
      if (failNext) {
        failNext = false;
        throw new Error('SMTP connection refused');
      }
      sent.push({ ...notice, notesInTable: await tableCount(app, 'note') });
    };
  });
  afterAll(async () => app?.close());
  beforeEach(() => {
    sent.length = 0;
  });

  it('is installed and enabled, with the module it ships', async () => {
    expect((await ok(admin.get('/api/plugins'), 200)).data).toEqual([
      expect.objectContaining({ name: 'example', installedVersion: '1.0.0', enabled: true, hooks: { note: ['beforeCreate', 'beforeUpdate', 'afterCreateCommit'] } }),
    ]);
    expect(await ok(admin.get('/api/modules/note'), 200)).toMatchObject({ source: 'file' });
  });

  it('checks the title in a before hook: blank is a 400 pointing at /title, and nothing is written or sent', async () => {
    const before = await tableCount(app, 'note');
    const r = expectStatus(await admin.post('/api/data/note', { title: '   ' }), 400);
    expect(r.body.error).toMatchObject({ code: 'invalid', details: [{ path: '/title', message: 'must not be blank' }] });
    expect(await tableCount(app, 'note')).toBe(before);
    const note = await ok(admin.post('/api/data/note', { title: 'keep' }));
    expectStatus(await admin.patch(`/api/data/note/${note.id}`, { title: ' ' }), 400);
    expect((await ok(admin.get(`/api/data/note/${note.id}`), 200)).title).toBe('keep');
    expect(sent.map((s) => s.text)).toEqual([`New note #${note.id}: keep`]);
  });

  it('stores the title as the hook trimmed it', async () => {
    const note = await ok(admin.post('/api/data/note', { title: '  Call Ada back  ', phone: '+44 20 7946 0958' }));
    expect(note.title).toBe('Call Ada back');
    expect((await ok(admin.patch(`/api/data/note/${note.id}`, { title: ' Called ' }), 200)).title).toBe('Called');
  });

  it('sends its notice after the commit, when the note is in the table for everyone', async () => {
    const before = await tableCount(app, 'note');
    const note = await ok(admin.post('/api/data/note', { title: 'Ship it' }));
    expect(sent).toEqual([{ to: 'admin', text: `New note #${note.id}: Ship it`, notesInTable: before + 1 }]);
  });

  it('a notice that fails is logged; the note is created all the same', async () => {
    failNext = true;
    const note = expectStatus(await admin.post('/api/data/note', { title: 'Mail is down' }), 201).body;
    expect((await ok(admin.get(`/api/data/note/${note.id}`), 200)).title).toBe('Mail is down');
    expect(logs.some((l) => l.startsWith('[plugin example]') && l.includes('SMTP connection refused'))).toBe(true);
  });

  it('serves its summary route to those who may read notes, counting what they may see', async () => {
    const all = expectStatus(await admin.get('/api/plugins/example/summary'), 200).body;
    expect(all.open).toBe(await tableCount(app, 'note'));
    const stranger = await user(app, admin, 'stranger', [await role(admin, 'strangers', { user: ['read'] })]);
    expect(expectStatus(await stranger.client.get('/api/plugins/example/summary'), 403).body.error.permission).toBe('note:read');
  });
});
