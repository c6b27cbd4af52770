/**
 * A plugin's client part (core/plugins/ui-types.ts), as the server serves it: the page tells the
 * UI what the enabled plugins offer, the plugin's script is bundled on its own and shares its
 * libraries with the app, a plugin page answers the shell, and what a caller may do with a record
 * — update, delete, each record action — is decided per record by the server. A disabled plugin
 * leaves nothing of it in the page or on the server.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, ok } from '../access/helpers.js';
import { definePlugin } from '../../core/plugins/define-plugin.js';
import shelf from './shelf/plugin.js';
import { role, user } from './helpers.js';

type Manifest = { plugin: string; script: string; pages: { path: string }[]; recordActions: Record<string, unknown>[] };

const manifestOf = (html: string): Manifest[] => JSON.parse(/<script type="application\/json" id="stratum-plugins">(.*?)<\/script>/s.exec(html)![1]!);

describeEachDialect('UI plugins', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let reader: Client;
  let books: { free: number; lent: number };

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [shelf] });
    admin = await app.admin();
    const readers = await role(admin, 'shelf_reader', { shelf_book: ['read'] });
    reader = (await user(app, admin, 'reader', [readers])).client;
    books = {
      free: (await ok(admin.post('/api/data/shelf_book', { title: 'Dune', isbn: '9780441013593' }))).id,
      lent: (await ok(admin.post('/api/data/shelf_book', { title: 'Emma', lent: true }))).id,
    };
  });
  afterAll(async () => app?.close());

  it('the page lists what the enabled plugin offers, without its functions, the same for every visitor', async () => {
    const shell = String(expectStatus(await app.client().get('/'), 200).body);
    expect(String(expectStatus(await reader.get('/'), 200).body)).toBe(shell);
    const [manifest, ...others] = manifestOf(shell);
    expect(others).toEqual([]);
    expect(manifest).toMatchObject({
      plugin: 'shelf',
      pages: [{ path: '/shelf', component: 'ShelfPage', menu: true }, { path: '/shelf/open/:code', public: true }],
      recordActions: [{ name: 'lend', module: 'shelf_book', component: 'LendButton' }, { name: 'note', module: 'shelf_book' }],
      panels: [{ module: 'shelf_book', component: 'BookPanel' }],
      widgets: { isbn: 'IsbnInput' },
    });
    expect(manifest!.recordActions[0]).not.toHaveProperty('allowed');
    expect(manifest!.script).toMatch(/^\/ui\/plugins\/shelf-[A-Z0-9]+\.js$/);
  });

  it('serves the plugin script on its own, sharing the app\'s libraries through chunks, cached for good', async () => {
    const { script } = manifestOf(String((await app.client().get('/')).body))[0]!;
    const js = expectStatus(await app.client().get(script), 200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(String(js.body)).toContain('shelf-page');
    // preact and the SDK come from a chunk the app loads too, not from a copy in the plugin's file.
    const chunk = /from"\.\.\/(chunks\/[^"]+\.js)"/.exec(String(js.body))![1]!;
    expectStatus(await app.client().get(`/ui/${chunk}`), 200);
    const appJs = String(expectStatus(await app.client().get('/ui/app.js'), 200).body);
    expect(appJs).toContain(chunk.slice('chunks/'.length));
    expect(appJs).not.toContain('shelf-page');
  });

  it('answers the shell at the plugin\'s pages, public ones included, and 404 elsewhere', async () => {
    for (const path of ['/shelf', '/shelf/open/abc']) {
      expect(String(expectStatus(await app.client().get(path), 200).body)).toContain('<div id="app">');
    }
    expectStatus(await app.client().get('/shelf/other/deeper'), 404);
  });

  it('says per record what the caller may do: update, delete and each record action', async () => {
    expect(expectStatus(await admin.get(`/api/data/shelf_book/${books.free}/can`), 200).body).toEqual({ update: true, delete: true, actions: { 'shelf.lend': true, 'shelf.note': true } });
    // `allowed` says no for a lent book; an action without it follows update.
    expect(expectStatus(await admin.get(`/api/data/shelf_book/${books.lent}/can`), 200).body).toEqual({ update: true, delete: true, actions: { 'shelf.lend': false, 'shelf.note': true } });
    // A reader may neither update nor delete, so the action without `allowed` is not offered; `lend` asks the plugin, as the reader.
    expect(expectStatus(await reader.get(`/api/data/shelf_book/${books.free}/can`), 200).body).toEqual({ update: false, delete: false, actions: { 'shelf.lend': true, 'shelf.note': false } });
    expectStatus(await reader.get('/api/data/shelf_book/999999/can'), 404);
    expectStatus(await app.client().get(`/api/data/shelf_book/${books.free}/can`), 401);
    expect(expectStatus(await admin.get(`/api/data/shelf_book/${books.free}/can?x=1`), 400).body.error.code).toBe('unknown_parameter');
  });

  it('a failing allowed() offers nothing and is logged for the plugin', async () => {
    const logs: string[] = [];
    const broken = definePlugin({
      name: 'broken',
      version: '1.0.0',
      ui: { entry: shelf.definition.ui!.entry, recordActions: [{ name: 'boom', module: 'shelf_book', component: 'LendButton', title: { en: 'Boom' }, allowed: () => { throw new Error('no'); } }] },
    });
    const other = await startTestApp(dialect, { plugins: [shelf, broken], log: (line) => logs.push(line) });
    try {
      const otherAdmin = await other.admin();
      const id = (await ok(otherAdmin.post('/api/data/shelf_book', { title: 'Ulysses' }))).id;
      expect(expectStatus(await otherAdmin.get(`/api/data/shelf_book/${id}/can`), 200).body.actions).toMatchObject({ 'broken.boom': false });
      expect(logs.some((l) => l.includes('[plugin broken] recordActions.boom.allowed failed: no'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('disabled, the plugin is absent: not in the page, its script and pages 404, its actions not offered', async () => {
    const { script } = manifestOf(String((await app.client().get('/')).body))[0]!;
    await ok(admin.post('/api/plugins/shelf/disable', {}), 200);
    try {
      expect(manifestOf(String((await app.client().get('/')).body))).toEqual([]);
      expectStatus(await app.client().get(script), 404);
      expectStatus(await app.client().get('/shelf'), 404);
      expect(expectStatus(await admin.get(`/api/data/shelf_book/${books.free}/can`), 200).body.actions).toEqual({});
    } finally {
      await ok(admin.post('/api/plugins/shelf/enable', {}), 200);
    }
    expectStatus(await app.client().get(script), 200);
  });

  it('a plugin whose client part is wrong does not start, and says what to fix', () => {
    expect(() => definePlugin({
      name: 'wrong',
      version: '1.0.0',
      ui: {
        entry: new URL('./nowhere/index.ts', import.meta.url),
        pages: [{ path: '/m/mine', component: 'Page', title: { en: 'Mine' } }, { path: 'nope', component: '1x', title: { en: '' } }],
        recordActions: [{ name: 'a', module: 'Bad', component: 'A', title: { en: 'A' } }],
        widgets: { phone: 'Phone' },
      },
    })).toThrow(/ui\.entry: .*nowhere\/index\.ts does not exist[\s\S]*ui\.pages\[0\]\.path: \/m\/mine belongs to Stratum[\s\S]*ui\.pages\[1\]\.path[\s\S]*ui\.pages\[1\]\.component[\s\S]*ui\.pages\[1\]\.title[\s\S]*ui\.recordActions\[0\]\.module[\s\S]*ui\.widgets\.phone: not one of the plugin's fieldTypes/);
  });
});
