/**
 * How the UI is served (core/ui/ui-routes.ts): one shell for `/`, `/login` and every deep link,
 * under a strict Content-Security-Policy, linking a bundle named by its content hash so that it
 * can be cached for good; no session needed, and no data in any of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../support/app.js';

describe('serving the admin UI', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite');
  });
  afterAll(async () => app?.close());

  it('answers the same shell at /, /login and deep links, with a strict CSP and no caching', async () => {
    const shells = [];
    for (const path of ['/', '/login', '/m/customer', '/m/customer/12', '/m/customer/12/edit']) {
      const r = await app.client().get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(r.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'; style-src 'self'/);
      shells.push(r.body);
    }
    expect(new Set(shells).size).toBe(1);
    expect(String(shells[0])).toMatch(/<script type="module" src="\/ui\/app\.js\?v=[0-9a-f]{12}"><\/script>/);
  });

  it('serves the bundle and the stylesheet, cached for good under their version', async () => {
    const version = /app\.js\?v=([0-9a-f]{12})/.exec(String((await app.client().get('/')).body))![1];
    const js = await app.client().get(`/ui/app.js?v=${version}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // preact, htm and the typed client are bundled in: the page loads nothing else.
    expect(String(js.body)).not.toMatch(/from\s*["'](preact|htm)/);
    expect(String(js.body)).toContain('/api/meta/modules');
    const css = await app.client().get(`/ui/app.css?v=${version}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(String(css.body)).toContain('.records');
    // Without the current version, the browser must ask again.
    expect((await app.client().get('/ui/app.js?v=000000000000')).headers.get('cache-control')).toBe('no-cache');
  });

  it('sends the bundle gzipped to a browser that accepts it, the same bytes once unzipped', async () => {
    const plain = String((await app.client().get('/ui/app.js')).body);
    for (const kind of ['js', 'css']) {
      const res = await app.app.request(`/ui/app.${kind}`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      const zipped = Buffer.from(await res.arrayBuffer());
      const text = gunzipSync(zipped).toString('utf8');
      if (kind === 'js') {
        expect(text).toBe(plain);
        expect(zipped.length).toBeLessThan(plain.length / 2);
      } else expect(text).toContain('.records');
    }
  });

  it('other paths stay 404 in the API error shape', async () => {
    for (const path of ['/ui/other.js', '/elsewhere', '/favicon.ico']) {
      const r = await app.client().get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
  });
});
