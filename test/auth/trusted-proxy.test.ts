/**
 * Behind a reverse proxy the socket shows the proxy; X-Forwarded-For, -Proto and -Host say what the
 * client connected with, and are believed only from an address in TRUSTED_PROXIES. Then a login
 * over HTTPS gets a Secure cookie and the same-origin check knows the origin the browser called.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, isHttps, normalAddress, ownOrigin, trustedProxies } from '../../core/api/client-connection.js';
import type { AppEnv } from '../../core/api/env.js';
import type { Stratum } from '../../core/stratum.js';
import { ADMIN_PASSWORD } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { httpLogin, startThrottledApp, type ThrottledApp } from './throttled-app.js';

/** A server that answers what client-connection.ts makes of each request, trusting `proxies`. */
async function echo(proxies: string[]): Promise<{ ask(headers?: Record<string, string>): Promise<unknown>; close(): Promise<void> }> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    c.set('stratum', { trustedProxies: new Set(proxies.map(normalAddress)) } as unknown as Stratum);
    return c.json({ address: clientAddress(c), https: isHttps(c), origin: ownOrigin(c) });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ask: async (headers = {}) => (await fetch(base, { headers })).json(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('what the client connected with', () => {
  it('from a trusted proxy: the first untrusted hop from the right, the forwarded scheme and host', async () => {
    const server = await echo(['127.0.0.1', '10.0.0.2']);
    try {
      const port = (await server.ask() as { origin: string }).origin.split(':')[2];
      expect(await server.ask()).toEqual({ address: '127.0.0.1', https: false, origin: `http://127.0.0.1:${port}` });
      // The client may write anything to the left; the hops the trusted proxies added are skipped.
      expect(await server.ask({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.example.com' }))
        .toEqual({ address: '203.0.113.9', https: true, origin: 'https://admin.example.com' });
      expect(await server.ask({ 'x-forwarded-for': '::ffff:198.51.100.3', 'x-forwarded-proto': 'https, http' })).toEqual({ address: '198.51.100.3', https: true, origin: `https://127.0.0.1:${port}` });
      // A host no URL can hold leaves the request's own origin.
      expect(await server.ask({ 'x-forwarded-host': 'bad host/x' })).toMatchObject({ origin: `http://127.0.0.1:${port}` });
    } finally {
      await server.close();
    }
  });

  it('from anybody else: the headers are ignored', async () => {
    const server = await echo([]);
    try {
      expect(await server.ask({ 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.example.com' }))
        .toMatchObject({ address: '127.0.0.1', https: false, origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    } finally {
      await server.close();
    }
  });

  it('TRUSTED_PROXIES is a comma list of addresses; anything else stops the start', () => {
    expect(trustedProxies(undefined)).toEqual([]);
    expect(trustedProxies(' 127.0.0.1, ::1 ,')).toEqual(['127.0.0.1', '::1']);
    expect(() => trustedProxies('127.0.0.1,proxy.local')).toThrow(/TRUSTED_PROXIES: "proxy\.local" is not an IP address/);
  });
});

describeEachDialect('Secure cookie and own origin behind a trusted proxy', (dialect) => {
  let proxied: ThrottledApp;
  let direct: ThrottledApp;
  let behindProxy: string;
  let notTrusted: string;
  const https = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'admin.example.com' };

  beforeAll(async () => {
    proxied = await startThrottledApp(dialect, { trustedProxies: ['127.0.0.1', '::1'] });
    direct = await startThrottledApp(dialect);
    behindProxy = await proxied.listen();
    notTrusted = await direct.listen();
  });
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
  });

  it('a login over HTTPS at the proxy gets a Secure cookie; over HTTP, or from an untrusted address, it does not', async () => {
    expect((await httpLogin(behindProxy, 'admin', ADMIN_PASSWORD, https)).cookie).toMatch(/^stratum_session=[^;]+;.*; Secure/);
    expect((await httpLogin(behindProxy, 'admin', ADMIN_PASSWORD)).cookie).not.toMatch(/Secure/i);
    expect((await httpLogin(notTrusted, 'admin', ADMIN_PASSWORD, https)).cookie).not.toMatch(/Secure/i);
  });

  it('the same-origin check takes the forwarded origin from a trusted proxy only', async () => {
    const post = async (base: string, headers: Record<string, string>) => {
      const cookie = (await httpLogin(base, 'admin', ADMIN_PASSWORD, headers)).cookie!.split(';')[0]!;
      const res = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: 'https://admin.example.com', ...headers }, body: JSON.stringify({ name: 'script' }) });
      return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
    };
    expect(await post(behindProxy, https)).toEqual({ status: 201, code: undefined });
    expect(await post(notTrusted, https)).toEqual({ status: 403, code: 'cross_origin' });
  });

  it('logout over HTTPS at the proxy blanks the cookie Secure too', async () => {
    const cookie = (await httpLogin(behindProxy, 'admin', ADMIN_PASSWORD, https)).cookie!.split(';')[0]!;
    const res = await fetch(`${behindProxy}/api/auth/logout`, { method: 'POST', headers: { cookie, ...https, origin: 'https://admin.example.com' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/^stratum_session=;.*Max-Age=0.*; Secure/);
  });

  it('SECURE_COOKIES=1 still marks every cookie Secure, once', async () => {
    const always = await startThrottledApp(dialect, { secureCookies: true, trustedProxies: ['127.0.0.1'] });
    try {
      const base = await always.listen();
      for (const headers of [{}, https]) expect((await httpLogin(base, 'admin', ADMIN_PASSWORD, headers)).cookie!.match(/Secure/gi)).toEqual(['Secure']);
    } finally {
      await always.close();
    }
  });
});
