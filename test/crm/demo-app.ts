/**
 * The scenario tests' world: a fresh database of one dialect with the CRM plugin (modules/crm,
 * its modules with it) and its demo installed as on a first `npm start`, smaller by default. Each
 * test logs in as the person acting in its scenario.
 */
import { expect } from 'vitest';
import crm from '../../modules/crm/plugin.js';
import type { Demo, DemoOptions } from '../../modules/crm/demo/install-demo.js';
import type { DemoLogin } from '../../modules/crm/demo/organisation.js';
import { installPluginDemo } from '../../core/first-start-demo.js';
import type { Stratum } from '../../core/stratum.js';
import { filterParam, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import type { TestDialect } from '../support/databases.js';

export type { Demo };

/** The CRM plugin's demo, installed now as the built-in admin. */
export async function installDemo(stratum: Stratum, options: DemoOptions & { password?: string } = {}): Promise<Demo> {
  const { password, ...rest } = options;
  return (await installPluginDemo(stratum, 'crm', { password, options: rest })) as Demo;
}

export interface CrmApp {
  app: TestApp;
  demo: Demo;
  admin: Client;
  /** A client logged in as a demo account. */
  as(login: DemoLogin): Promise<Client>;
  close(): Promise<void>;
}

/** The CRM without its demo: what an admin starts from (S-17..S-22). */
export function startCrm(dialect: TestDialect): Promise<TestApp> {
  return startTestApp(dialect, { plugins: [crm] });
}

/** The CRM with its demo of `customers` random customers besides the scenarios' own. */
export async function startDemo(dialect: TestDialect, customers = 60): Promise<CrmApp> {
  const app = await startCrm(dialect);
  const demo = await installDemo(app.stratum, { customers });
  const admin = await app.admin();
  return {
    app, demo, admin,
    as: (login) => app.client().login(login, demo.password),
    close: () => app.close(),
  };
}

/** Asserts the status, showing the body when it differs, and returns the body. */
export function body<T = any>(reply: Reply<T>, status = 200): T {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status });
  return reply.body;
}

/** Every record of a list the client may see (up to 500), with the query's other parameters. */
export async function all(client: Client, module: string, filter?: unknown, extra = ''): Promise<any[]> {
  const r = body(await client.get(`/api/data/${module}?pageSize=500${filter === undefined ? '' : `&${filterParam(filter)}`}${extra}`));
  expect(r.meta.total).toBeLessThanOrEqual(500);
  return r.data;
}

export const ids = (rows: readonly { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);

/** `?groupBy=…&metrics=…&filter=…` of the aggregate endpoint, the rows it returns. */
export async function aggregate(client: Client, module: string, groupBy: string, metrics: string, filter?: unknown): Promise<Record<string, any>[]> {
  const q = [`groupBy=${encodeURIComponent(groupBy)}`, `metrics=${encodeURIComponent(metrics)}`, ...(filter === undefined ? [] : [filterParam(filter)])].join('&');
  return body(await client.get(`/api/data/${module}/aggregate?${q}`)).data;
}

/** `YYYY-MM-DD`, `days` from today (UTC). */
export function day(days = 0): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
