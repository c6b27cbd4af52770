/**
 * Cross-site request forgery: every route that changes state, enumerated from the router (so a
 * new route cannot be missed; plugins' included), refuses a request carrying the session cookie
 * from another origin (`Origin`, or lacking it `Referer`) with 403 `cross_origin` before anything
 * runs. The same request from the server's own pages, from an allowed origin, with an API token
 * instead of the cookie, or from a script that names no origin, goes through.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allowedOrigins } from '../../core/api/same-origin.js';
import { definePlugin } from '../../core/plugins/define-plugin.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { create, expectStatus } from '../api/crm.js';

const EVIL = 'https://evil.example';
let app: TestApp;
let admin: Client;

beforeAll(async () => {
  const stamp = definePlugin({
    name: 'stamp', version: '1.0.0',
    routes: { 'POST /stamp': { requires: 'user:read', handler: async () => ({ stamped: true }) } },
    publicRoutes: { 'POST /open-form': async () => ({ received: true }) },
  } as never);
  app = await startTestApp('sqlite', { plugins: [stamp], builtinPlugins: true });
  admin = await app.admin();
});
afterAll(() => app?.close());

/** Every route that is not a read, with its parameters filled in: the app's router, and each plugin's as GET /api/plugins lists them. */
async function writeRoutes(): Promise<{ method: string; path: string }[]> {
  const plugins = expectStatus(await admin.get('/api/plugins'), 200).body.data as { routes: { method: string; path: string }[] }[];
  const all = [...app.app.routes, ...plugins.flatMap((p) => p.routes)];
  const seen = new Set<string>();
  return all
    .filter((r) => !['GET', 'HEAD', 'OPTIONS', 'ALL'].includes(r.method))
    .map((r) => ({ method: r.method, path: r.path.replace(/:[A-Za-z]+(\{(?:[^{}]|\{[^{}]*\})*\})?/g, '1').replace(/\*$/, 'x') }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

it('every route that changes state refuses the cookie from another origin', async () => {
  const routes = await writeRoutes();
  expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([
    'POST /api/auth/logout', 'POST /api/plugins/1/disable', 'DELETE /api/modules/1', 'PATCH /api/data/1/1', 'POST /api/plugins/stamp/stamp', 'POST /api/plugins/stamp/open-form',
  ]));
  const notRefused: string[] = [];
  for (const { method, path } of routes) {
    for (const headers of [{ origin: EVIL }, { referer: `${EVIL}/page.html` }] as Record<string, string>[]) {
      const r = await admin.request(method, path, {}, headers);
      if (r.status !== 403 || r.body?.error?.code !== 'cross_origin') notRefused.push(`${method} ${path} (${Object.keys(headers)[0]}): ${r.status}`);
    }
  }
  expect(notRefused).toEqual([]);
  // Still logged in: the forged logout did nothing.
  expectStatus(await admin.get('/api/auth/me'), 200);
});

it('the same request from the own origin, without an origin, or with a token goes through', async () => {
  expectStatus(await admin.post('/api/modules', { $id: 'memo', type: 'object', properties: { text: { type: 'string', maxLength: 20 } } }), 201);
  const own = new URL('http://localhost/').origin;
  expectStatus(await admin.post('/api/data/memo', { text: 'own' }, { origin: own }), 201);
  expectStatus(await admin.post('/api/data/memo', { text: 'script' }), 201);
  const token = expectStatus(await admin.post('/api/auth/tokens', { name: 'ci' }), 201).body.token;
  const bot = app.client();
  bot.bearer = token;
  expectStatus(await bot.post('/api/data/memo', { text: 'token' }, { origin: EVIL }), 201);
  const refused = await admin.post('/api/data/memo', { text: 'forged' }, { origin: EVIL });
  expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 403, code: 'cross_origin' });
  expect((await admin.get('/api/data/memo?sort=id')).body.data.map((m: { text: string }) => m.text)).toEqual(['own', 'script', 'token']);
  void create;
});

it('ALLOWED_ORIGINS lists the other origins that may post with the cookie', () => {
  expect(allowedOrigins(' https://admin.example.com/ ,https://b.example ')).toEqual(['https://admin.example.com', 'https://b.example']);
  expect(allowedOrigins(undefined)).toEqual([]);
});
