/**
 * "Rule changes apply from the next request, in every server process sharing the database"
 * (API.md; V-10). Process A is the in-process test app; process B is a real `core/server.ts`
 * started on the same MariaDB database and called over HTTP. Changes made through A — a rule,
 * a permission, a user's department — show in B's very next answer: the generation counter in
 * the database, not a restart, tells B its caches are stale.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { freePort, startServer, stopServer, type ServerProcess } from '../support/server-process.js';
import { buildSeed003, PASSWORD, type World } from '../rules/seed-003-world.js';
import { ok, sorted } from './helpers.js';

/** A caller of process B over real HTTP, keeping its session cookie. */
class HttpClient {
  cookie = '';
  constructor(private readonly base: string) {}
  async get(url: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.base}${url}`, { headers: this.cookie ? { cookie: this.cookie } : {} });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  async login(username: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(res.status).toBe(200);
    this.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  }
}

// Processes sharing one database need a database server: MariaDB. Run whenever MariaDB is tested.
describe.skipIf(!testDialects().includes('mariadb'))('two server processes on one database [mariadb]', () => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let b: ServerProcess | undefined;
  let remote: HttpClient;
  const ordersOf = (pred: (o: World['orders'][number]) => boolean) => sorted(w.orders.filter(pred).map((o) => o.id));
  const remoteIds = async (module: string, filter?: unknown) => {
    const r = await remote.get(`/api/data/${module}?pageSize=500${filter === undefined ? '' : `&${filterParam(filter)}`}`);
    expect(r.status).toBe(200);
    return sorted(r.body.data.map((d: { id: number }) => d.id));
  };
  const remoteCount = async (module: string) => {
    const r = await remote.get(`/api/data/${module}/aggregate?metrics=count()`);
    expect(r.status).toBe(200);
    return r.body.data[0]['count()'] as number;
  };

  beforeAll(async () => {
    app = await startTestApp('mariadb');
    w = await buildSeed003(app);
    admin = await app.admin();
    const port = await freePort();
    b = await startServer({
      DATABASE_URL: app.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: 'x',
      METADATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'stratum-b-metadata-')),
      // The engine alone, as process A (startTestApp) runs: no app plugins, no demo.
      MODULES_DIR: '',
      DEMO: '0',
    });
    remote = new HttpClient(`http://127.0.0.1:${port}`);
    await remote.login('sales_001002', PASSWORD);
  }, 180_000);
  afterAll(async () => {
    if (b) await stopServer(b);
    await app?.close();
  });

  it('process B serves the same database: the same user sees the same scoped data', async () => {
    const me = await remote.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ id: w.users.sales_001002!.id, username: 'sales_001002' });
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept === '001002'));
    expect(await remoteCount('order')).toBe(6);
  });

  it('a rule created, changed and deleted through A applies in B on the next request', async () => {
    const rule = await ok(admin.post('/api/data/rule', { name: 'large', module: 'order', filter: { amount: { gt: 100000 } }, actions: ['read'], users: [w.users.sales_001002!.id] }));
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept === '001002' && o.amount > 100_000));
    await ok(admin.patch(`/api/data/rule/${rule.id}`, { filter: { amount: { lt: 100000 } } }), 200);
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept === '001002' && o.amount < 100_000));
    expect(await remoteCount('order')).toBe(ordersOf((o) => o.salesmanDept === '001002' && o.amount < 100_000).length);
    expect((await admin.delete(`/api/data/rule/${rule.id}`)).status).toBe(204);
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept === '001002'));
  });

  it('a permission revoked and granted again through A applies in B on the next request', async () => {
    const perms = await ok(admin.get(`/api/data/permission?${filterParam({ role: w.roles.staff, module: 'receipt' })}`), 200);
    expect(perms.data).toHaveLength(1);
    expect((await remote.get('/api/data/receipt')).status).toBe(200);
    expect((await admin.delete(`/api/data/permission/${perms.data[0].id}`)).status).toBe(204);
    const refused = await remote.get('/api/data/receipt');
    expect(refused.status).toBe(403);
    expect(refused.body.error.permission).toBe('receipt:read');
    await ok(admin.post('/api/data/permission', { role: w.roles.staff, module: 'receipt', actions: ['read'] }));
    expect((await remote.get('/api/data/receipt')).status).toBe(200);
  });

  it('a user moved to another department through A sees that department in B on the next request', async () => {
    const id = w.users.sales_001002!.id;
    await ok(admin.patch(`/api/data/user/${id}`, { department: w.dept['001003'] }), 200);
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept === '001003'));
    expect(await remoteIds('department')).toEqual([w.dept['001003']]);
    await ok(admin.patch(`/api/data/user/${id}`, { department: w.dept['0010'] }), 200);
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept.startsWith('0010')));
    await ok(admin.patch(`/api/data/user/${id}`, { department: w.dept['001002'] }), 200);
    expect(await remoteIds('order')).toEqual(ordersOf((o) => o.salesmanDept === '001002'));
  });

  it('a module defined through A answers in B on the next request, and a deactivated user is logged out in B', async () => {
    expect((await remote.get('/api/data/memo')).status).toBe(404);
    await ok(admin.post('/api/modules', { $id: 'memo', type: 'object', properties: { text: { type: 'string', maxLength: 40 } } }));
    // Known now, and denied by default.
    const memo = await remote.get('/api/data/memo');
    expect(memo.status).toBe(403);
    expect(memo.body.error.permission).toBe('memo:read');
    await ok(admin.patch(`/api/data/user/${w.users.sales_001002!.id}`, { active: false }), 200);
    expect((await remote.get('/api/data/order')).status).toBe(401);
    await ok(admin.patch(`/api/data/user/${w.users.sales_001002!.id}`, { active: true }), 200);
    expect((await remote.get('/api/auth/me')).status).toBe(200);
  });

  it('B is still the same process: nothing above restarted it', () => {
    expect(b!.child.exitCode).toBeNull();
    expect(b!.output().match(/Stratum listening on/g)).toHaveLength(1);
  });
});
