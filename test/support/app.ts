import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hono } from 'hono';
import { createApp } from '../../core/http-app.js';
import type { AppEnv } from '../../core/api/env.js';
import { Stratum } from '../../core/stratum.js';
import type { Plugin } from '../../core/plugins/define-plugin.js';
import { createTestDatabase, type TestDialect } from './databases.js';

export const ADMIN_PASSWORD = 'admin-test-password';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A logged-in (or anonymous) caller of the app, in process: real HTTP semantics, no socket. */
export class Client {
  cookie = '';
  bearer = '';

  constructor(private readonly app: Hono<AppEnv>) {}

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const h: Record<string, string> = { ...headers };
    if (body !== undefined && !('content-type' in h)) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    const res = await this.app.request(url, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('GET', url, undefined, headers);
  post = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('POST', url, body, headers);
  put = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PUT', url, body, headers);
  patch = <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => this.request<T>('PATCH', url, body, headers);
  delete = <T = any>(url: string, headers?: Record<string, string>) => this.request<T>('DELETE', url, undefined, headers);

  async login(username: string, password: string): Promise<this> {
    const r = await this.post('/api/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return this;
  }
}

export interface TestApp {
  stratum: Stratum;
  app: Hono<AppEnv>;
  databaseUrl: string;
  /** A new anonymous client. */
  client(): Client;
  /** A client logged in as admin. */
  admin(): Promise<Client>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  metadataDir?: string;
  /** Plugins as code; none by default. */
  plugins?: readonly Plugin[];
  /** A folder of plugins (`<dir>/<name>/plugin.ts`), e.g. the repository's modules/. */
  modulesDir?: string;
  log?: (line: string) => void;
  /** The built-in plugins (audit history): off unless asked, so that a suite runs only the plugins it names. */
  builtinPlugins?: boolean;
}

/** Another Stratum (a second server process, as far as the database can tell) on the same database. */
export async function openSecondStratum(app: TestApp, opts: TestAppOptions = {}): Promise<{ stratum: Stratum; app: Hono<AppEnv>; client(): Client; admin(): Promise<Client> }> {
  const stratum = await Stratum.open({ databaseUrl: app.databaseUrl, adminPassword: ADMIN_PASSWORD, metadataDir: opts.metadataDir ?? mkdtempSync(path.join(os.tmpdir(), 'stratum-empty-metadata-')), ...pluginOptions(opts) });
  const second = createApp(stratum);
  return { stratum, app: second, client: () => new Client(second), admin: () => new Client(second).login('admin', ADMIN_PASSWORD) };
}

function pluginOptions(opts: TestAppOptions) {
  return {
    ...(opts.plugins ? { plugins: opts.plugins } : {}), ...(opts.modulesDir ? { modulesDir: opts.modulesDir } : {}), ...(opts.log ? { log: opts.log } : {}),
    builtinPlugins: opts.builtinPlugins ?? false,
  };
}

/**
 * A Stratum on a fresh database of the given dialect, with the metadata of `metadataDir`
 * (none by default: tests define their modules themselves, through the API).
 */
export async function startTestApp(dialect: TestDialect, opts: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase(dialect);
  const metadataDir = opts.metadataDir ?? mkdtempSync(path.join(os.tmpdir(), 'stratum-empty-metadata-'));
  const stratum = await Stratum.open({ databaseUrl: db.url, adminPassword: ADMIN_PASSWORD, metadataDir, ...pluginOptions(opts) });
  const app = createApp(stratum);
  return {
    stratum,
    app,
    databaseUrl: db.url,
    client: () => new Client(app),
    admin: () => new Client(app).login('admin', ADMIN_PASSWORD),
    async close() {
      await stratum.close();
      await db.drop();
    },
  };
}

/** `?filter=` for a filter object. */
export const filterParam = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;
