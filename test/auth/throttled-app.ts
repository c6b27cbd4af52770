import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../core/http-app.js';
import { Stratum, type StratumOptions } from '../../core/stratum.js';
import { ADMIN_PASSWORD, Client } from '../support/app.js';
import { createTestDatabase, type TestDialect } from '../support/databases.js';

/** A test clock: the throttle's `now`, moved on by the test instead of waited for. */
export class Clock {
  at = Date.UTC(2030, 0, 1);
  now = () => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface ThrottledApp {
  stratum: Stratum;
  databaseUrl: string;
  client(): Client;
  /** The app over real HTTP on 127.0.0.1, so that requests have a client address. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** A Stratum on a fresh database with the login settings the test gives (the clock, trusted proxies, cookies). */
export async function startThrottledApp(
  dialect: TestDialect, opts: Pick<StratumOptions, 'loginThrottle' | 'trustedProxies' | 'secureCookies'> = {},
): Promise<ThrottledApp> {
  const db = await createTestDatabase(dialect);
  const metadataDir = mkdtempSync(path.join(os.tmpdir(), 'stratum-empty-metadata-'));
  const stratum = await Stratum.open({ databaseUrl: db.url, adminPassword: ADMIN_PASSWORD, metadataDir, builtinPlugins: false, ...opts });
  const app = createApp(stratum);
  const servers: ReturnType<typeof serve>[] = [];
  return {
    stratum,
    databaseUrl: db.url,
    client: () => new Client(app),
    async listen() {
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
      await stratum.close();
      await db.drop();
    },
  };
}

/** A login over HTTP: its status, error code, Retry-After and Set-Cookie. */
export async function httpLogin(base: string, username: string, password: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
  const body = (await res.json()) as { error?: { code?: string; message?: string } };
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), cookie: res.headers.get('set-cookie') };
}
