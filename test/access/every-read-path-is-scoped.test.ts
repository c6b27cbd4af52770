/**
 * One enforcement point (STYLE.md; API.md "Record visibility" and "No side channels"): every
 * route the app registers is listed here, so a new route fails this test until it is classified,
 * and every route under /api/data is probed with sales_001002 of the seed-003 world, who must see
 * only 001002 data through each of them — lists, single reads, aggregates, exports, explain,
 * embedded records, filters and searches through related modules — and write nothing outside it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, forbiddenFor, idsOf, listIds, ok, sorted, tableCount, tableRow } from './helpers.js';
import { dropModule } from '../api/crm.js';

const ID = ':id{[1-9][0-9]{0,14}}';

describeEachDialect('every route is classified, and every data route is scoped', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let s2: Client;
  /** visit: a module whose salesman reference does not carry scope, so visible visits point at invisible salesmen. */
  const visits: { id: number; salesman: number; dept: string; salesmanName: string }[] = [];
  const orderCustomer = new Map<number, number>();
  let customerIds: number[] = [];

  const mine = {
    salesmen: () => sorted(w.salesmen.filter((s) => s.dept === '001002').map((s) => s.id)),
    orders: () => sorted(w.orders.filter((o) => o.salesmanDept === '001002').map((o) => o.id)),
    lines: () => sorted(w.lines.filter((l) => mine.orders().includes(l.order)).map((l) => l.id)),
    receipts: () => sorted(w.receipts.filter((r) => mine.lines().includes(r.line)).map((r) => r.id)),
  };
  const foreign = {
    salesman: () => w.salesmen.find((s) => s.dept === '001003')!.id,
    order: () => w.orders.find((o) => o.salesmanDept === '001001')!.id,
    receipt: () => w.receipts.find((r) => !mine.receipts().includes(r.id))!.id,
  };
  const salesmanName = (id: number) => {
    const i = w.salesmen.findIndex((s) => s.id === id);
    const s = w.salesmen[i]!;
    return `s${s.dept}-${i - w.salesmen.findIndex((x) => x.dept === s.dept)}`;
  };

  beforeAll(async () => {
    // With the built-in plugins (audit history): every write then goes through the plugin hooks too.
    app = await startTestApp(dialect, { builtinPlugins: true });
    w = await buildSeed003(app);
    admin = await app.admin();
    await ok(admin.post('/api/modules', {
      $id: 'visit', type: 'object',
      properties: { note: { type: 'string', maxLength: 60 }, salesman: { type: 'integer', 'x-ref': 'salesman', 'x-scope': false } },
      required: ['note'], 'x-list': { search: ['note', 'salesman.name'] },
    }));
    // customer.orders: a one-to-many relation, to filter customers by their (visible) orders.
    const customerDef = (await ok(admin.get('/api/modules/customer'), 200)).definition;
    await ok(admin.put('/api/modules/customer', { ...customerDef, properties: { ...customerDef.properties, orders: { type: 'array', 'x-inverse': 'order.customer' } } }), 200);
    const writer = (await ok(admin.post('/api/data/role', { name: 'writer' }))).id;
    await ok(admin.post('/api/data/permission', { role: w.roles.staff, module: 'visit', actions: ['read'] }));
    for (const module of ['salesman', 'order', 'orderline', 'receipt']) {
      await ok(admin.post('/api/data/permission', { role: writer, module, actions: ['read', 'create', 'update', 'delete'] }));
    }
    await ok(admin.patch(`/api/data/user/${w.users.sales_001002!.id}`, { roles: [w.roles.staff, writer] }), 200);
    for (const [i, s] of w.salesmen.entries()) {
      visits.push({ id: (await ok(admin.post('/api/data/visit', { note: `visit ${i}`, salesman: s.id }))).id, salesman: s.id, dept: s.dept, salesmanName: salesmanName(s.id) });
    }
    for (const o of (await ok(admin.get('/api/data/order?pageSize=500&fields=customer'), 200)).data) orderCustomer.set(o.id, o.customer);
    customerIds = await listIds(admin, 'customer');
    s2 = w.users.sales_001002!.client;
  });
  afterAll(async () => app?.close());

  const visibleVisits = () => visits.filter((v) => v.dept === '001002');

  /** File fields (core/files): a module whose records hold a file and reach the department through salesman. */
  const withDossier = async (probe: (writer: number) => Promise<void>) => {
    await ok(admin.post('/api/modules', { $id: 'dossier', type: 'object', properties: { salesman: { type: 'integer', 'x-ref': 'salesman' }, scan: { 'x-type': 'file' } } }));
    const writer = (await ok(admin.get(`/api/data/role?${filterParam({ name: 'writer' })}`), 200)).data[0].id;
    const perm = await ok(admin.post('/api/data/permission', { role: writer, module: 'dossier', actions: ['read', 'create', 'update'] }));
    try {
      await probe(writer);
    } finally {
      expectStatus(await admin.delete(`/api/data/permission/${perm.id}`), 204);
      await dropModule(admin, 'dossier');
    }
  };
  const upload = async (client: Client, text: string) => {
    const body = new FormData();
    body.append('file', new File([text], 'note.txt', { type: 'text/plain' }));
    const headers: Record<string, string> = client.bearer ? { authorization: `Bearer ${client.bearer}` } : { cookie: client.cookie };
    const res = await app.app.request('/api/files', { method: 'POST', headers, body });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };

  /** Each probe proves the route answers sales_001002 only with what they may see (or refuses). */
  const probes: Record<string, (() => Promise<void>) | null> = {
    // Middleware: stratum in context, body limit, login required under /api, admin only under /api/modules.
    'ALL /*': null,
    'ALL /api/*': null,
    'ALL /api/modules/*': null,
    'ALL /api/schema/*': null,

    // The admin UI (core/ui/ui-routes.ts): the same shell for everyone at / and every page path, no data in it.
    // The designers' pages are refused in the app. A plugin's pages (the CRM's /teach, /portal, /enroll…) are
    // answered only while it is enabled, and this app has no CRM plugin: they are 404 here, and their shell is
    // proven in test/crm/crm-is-a-plugin.test.ts and the CRM's browser tests.
    'GET /*': async () => {
      const shell = String(expectStatus(await app.client().get('/'), 200).body);
      expect(shell).toMatch(/<div id="app">/);
      for (const path of ['/login', `/m/order/${foreign.order()}`, '/admin/modules', '/admin/rules']) {
        expect(String(expectStatus(await app.client().get(path), 200).body), path).toEqual(shell);
        expect(String(expectStatus(await s2.get(path), 200).body), path).toEqual(shell);
      }
      expect(shell).not.toMatch(/001001/);
      for (const path of ['/elsewhere', '/teach/classes/1', '/portal', '/enroll/some-token']) expectStatus(await app.client().get(path), 404);
    },
    // The app's bundle and stylesheet, and the chunks and plugin scripts they load: code, no data.
    'GET /ui/:file{(app\\.js|app\\.css)}': async () => {
      expect(expectStatus(await app.client().get('/ui/app.js'), 200).headers.get('content-type')).toMatch(/javascript/);
      expect(expectStatus(await app.client().get('/ui/app.css'), 200).headers.get('content-type')).toMatch(/css/);
    },
    'GET /ui/:dir{(chunks|plugins)}/:file{[A-Za-z0-9_.-]+}': async () => {
      expectStatus(await app.client().get('/ui/chunks/none.js'), 404);
      expectStatus(await app.client().get('/ui/plugins/none-X.js'), 404);
    },
    'GET /api/*': async () => {
      expectStatus(await s2.get('/api/nothing-here'), 404);
    },
    // What the UI builds menus and forms from: the caller's readable modules, no records.
    'GET /api/meta/modules': async () => {
      expectStatus(await app.client().get('/api/meta/modules'), 401);
      const names: string[] = expectStatus(await s2.get('/api/meta/modules'), 200).body.data.map((m: { name: string }) => m.name);
      expect(names).toContain('order');
      for (const name of ['permission', 'rule']) expect(names).not.toContain(name);
      for (const name of names) expectStatus(await s2.get(`/api/data/${name}?pageSize=1`), 200);
    },
    'POST /api/auth/login': async () => {
      expectStatus(await app.client().post('/api/auth/login', { username: 'sales_001002', password: 'wrong password' }), 401);
    },
    'POST /api/auth/logout': async () => {
      const c = await app.client().login('sales_001002', 'password-for-tests');
      expectStatus(await c.post('/api/auth/logout'), 204);
      expectStatus(await c.get('/api/auth/me'), 401);
    },
    'GET /api/auth/me': async () => {
      expect(expectStatus(await s2.get('/api/auth/me'), 200).body.user).toMatchObject({ id: w.users.sales_001002!.id, username: 'sales_001002' });
    },
    'GET /api/auth/tokens': async () => {
      await ok(admin.post('/api/auth/tokens', { name: 'admin script' }));
      expect(expectStatus(await s2.get('/api/auth/tokens'), 200).body.data).toEqual([]);
    },
    'POST /api/auth/tokens': async () => {
      const t = await ok(s2.post('/api/auth/tokens', { name: 'mine' }));
      const c = app.client();
      c.bearer = t.token;
      // The token reaches no further than its owner.
      expect(await listIds(c, 'order')).toEqual(mine.orders());
      expectStatus(await s2.delete(`/api/auth/tokens/${t.id}`), 204);
    },
    [`DELETE /api/auth/tokens/${ID}`]: async () => {
      const theirs = await ok(admin.post('/api/auth/tokens', { name: 'not yours' }));
      expectStatus(await s2.delete(`/api/auth/tokens/${theirs.id}`), 404);
      expect((await ok(admin.get('/api/auth/tokens'), 200)).data.map((t: { id: number }) => t.id)).toContain(theirs.id);
    },

    'GET /api/data/:module': async () => {
      expect(await listIds(s2, 'salesman')).toEqual(mine.salesmen());
      expect(await listIds(s2, 'order')).toEqual(mine.orders());
      expect(await listIds(s2, 'orderline')).toEqual(mine.lines());
      expect(await listIds(s2, 'receipt')).toEqual(mine.receipts());
      expect(await listIds(s2, 'department')).toEqual([w.dept['001002']]);
      expect(await listIds(s2, 'customer')).toEqual(customerIds);
      expect(await listIds(s2, 'visit')).toEqual(sorted(visits.map((v) => v.id)));
      expect(expectStatus(await s2.get('/api/data/order?pageSize=2'), 200).body.meta.total).toBe(mine.orders().length);
      // Embedded related records: an invisible salesman is absent (null), a visible one is there.
      const embedded = expectStatus(await s2.get('/api/data/visit?fields=note,salesman.name&pageSize=500&sort=id'), 200).body.data;
      expect(embedded).toEqual(visits.map((v, i) => ({ id: v.id, note: `visit ${i}`, salesman: v.dept === '001002' ? { id: v.salesman, name: v.salesmanName } : null })));
      expect(JSON.stringify(embedded)).not.toMatch(/s001001|s001003|s0010-/);
      // A filter on a related module's field sees only related records one may see.
      const invisibleName = visits.find((v) => v.dept === '001003')!.salesmanName;
      expect(await listIds(admin, 'visit', { 'salesman.name': invisibleName })).toHaveLength(1);
      expect(await listIds(s2, 'visit', { 'salesman.name': invisibleName })).toEqual([]);
      expect(await listIds(s2, 'visit', { 'salesman.department.code': { startsWith: '0010' } })).toEqual(sorted(visibleVisits().map((v) => v.id)));
      expect(await listIds(s2, 'visit', { not: { 'salesman.name': invisibleName } })).toEqual(sorted(visits.map((v) => v.id)));
      expect(await listIds(s2, 'order', { 'salesman.department.code': '001003' })).toEqual([]);
      // ... and through a to-many relation, as if the invisible orders were absent.
      const withOrders = (pred: (dept: string) => boolean) => sorted([...new Set(w.orders.filter((o) => pred(o.salesmanDept)).map((o) => orderCustomer.get(o.id)!))]);
      expect(await listIds(admin, 'customer', { orders: { some: { 'salesman.department.code': '001003' } } })).toEqual(withOrders((d) => d === '001003'));
      expect(await listIds(s2, 'customer', { orders: { some: { 'salesman.department.code': '001003' } } })).toEqual([]);
      expect(await listIds(s2, 'customer', { orders: { some: { amount: { gte: 0 } } } })).toEqual(withOrders((d) => d === '001002'));
      expect(await listIds(s2, 'customer', { orders: { none: { amount: { gte: 0 } } } })).toEqual(customerIds.filter((c) => !withOrders((d) => d === '001002').includes(c)));
      // q searches related fields the same way.
      expect(idsOf(expectStatus(await admin.get('/api/data/visit?q=s001003&pageSize=500'), 200))).toHaveLength(2);
      expect(expectStatus(await s2.get('/api/data/visit?q=s001003'), 200).body.meta.total).toBe(0);
      expect(idsOf(expectStatus(await s2.get('/api/data/visit?q=s001002&pageSize=500'), 200))).toEqual(sorted(visibleVisits().map((v) => v.id)));
      // Sorting by an invisible related value cannot order by it: those records sort as if it were null.
      const bySalesman = expectStatus(await s2.get('/api/data/visit?sort=salesman.name&pageSize=500'), 200).body.data.map((d: { id: number }) => d.id);
      const hidden = sorted(visits.filter((v) => v.dept !== '001002').map((v) => v.id));
      const shown = visibleVisits().sort((a, b) => a.salesmanName.localeCompare(b.salesmanName) || a.id - b.id).map((v) => v.id);
      expect(bySalesman).toEqual([...hidden, ...shown]);
    },
    [`GET /api/data/:module/${ID}`]: async () => {
      const own = mine.orders()[0]!;
      expect(expectStatus(await s2.get(`/api/data/order/${own}?fields=number,salesman.department.code`), 200).body.salesman.department.code).toBe('001002');
      for (const [m, id] of [['order', foreign.order()], ['salesman', foreign.salesman()], ['receipt', foreign.receipt()], ['department', w.dept['001003']!]] as const) {
        const r = await s2.get(`/api/data/${m}/${id}`);
        expect({ m, status: r.status, code: r.body.error?.code }).toEqual({ m, status: 404, code: 'not_found' });
      }
      const v = visits.find((x) => x.dept === '001001')!;
      expect(expectStatus(await s2.get(`/api/data/visit/${v.id}?fields=note,salesman.name`), 200).body).toEqual({ id: v.id, note: expect.any(String), salesman: null });
    },
    'GET /api/data/:module/aggregate': async () => {
      const want = w.orders.filter((o) => o.salesmanDept === '001002');
      expect(expectStatus(await s2.get('/api/data/order/aggregate?metrics=count(),sum(amount)'), 200).body.data)
        .toEqual([{ 'count()': want.length, 'sum(amount)': want.reduce((a, o) => a + o.amount, 0) }]);
      expect(expectStatus(await s2.get('/api/data/receipt/aggregate?groupBy=orderline.order.salesman.department.code&metrics=count()'), 200).body.data)
        .toEqual([{ 'orderline.order.salesman.department.code': '001002', 'count()': mine.receipts().length }]);
      expect(expectStatus(await s2.get('/api/data/department/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 1 }]);
      // Grouping visits by salesman: no invisible salesman's name is a group key.
      const groups = expectStatus(await s2.get('/api/data/visit/aggregate?groupBy=salesman.name&metrics=count()'), 200).body.data;
      expect(groups.filter((g: Record<string, unknown>) => g['salesman.name'] !== null))
        .toEqual(visibleVisits().map((v) => v.salesmanName).sort().map((name) => ({ 'salesman.name': name, 'count()': 1 })));
      expect(expectStatus(await s2.get(`/api/data/visit/aggregate?metrics=count()&${filterParam({ 'salesman.department.code': '001003' })}`), 200).body.data).toEqual([{ 'count()': 0 }]);
    },
    'GET /api/data/:module/export': async () => {
      const r = expectStatus(await s2.get('/api/data/order/export'), 200);
      const lines = String(r.body).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
      const header = lines[0]!.split(',');
      const idAt = header.indexOf('id');
      expect(idAt).toBeGreaterThanOrEqual(0);
      expect(sorted(lines.slice(1).map((l) => Number(l.split(',')[idAt])))).toEqual(mine.orders());
      const visitsCsv = String(expectStatus(await s2.get('/api/data/visit/export?fields=note,salesman.name'), 200).body);
      expect(visitsCsv).not.toMatch(/s001001|s001003|s0010-/);
      expect(visitsCsv.match(/s001002-\d/g)?.sort()).toEqual(['s001002-0', 's001002-1']);
    },
    'GET /api/data/:module/explain': async () => {
      expect(expectStatus(await s2.get(`/api/data/order/explain?user=${w.users.sales_0010!.id}`), 403).body).toEqual(forbiddenFor('explain:admin'));
      expect(expectStatus(await s2.get(`/api/data/order/explain?user=${w.users.sales_001002!.id}`), 403).body).toEqual(forbiddenFor('explain:admin'));
    },
    // What the caller may do with one record: 404 for one they cannot see, and per record for those they can.
    [`GET /api/data/:module/${ID}/can`]: async () => {
      expectStatus(await s2.get(`/api/data/order/${foreign.order()}/can`), 404);
      const own = mine.orders()[0]!;
      expect(expectStatus(await s2.get(`/api/data/order/${own}/can`), 200).body).toEqual({ update: true, delete: true, actions: {} });
      expect(expectStatus(await s2.get(`/api/data/visit/${visibleVisits()[0]!.id}/can`), 200).body).toEqual({ update: false, delete: false, actions: {} });
    },
    [`GET /api/data/:module/${ID}/explain`]: async () => {
      expect(expectStatus(await s2.get(`/api/data/order/${foreign.order()}/explain?user=${w.users.sales_001002!.id}`), 403).body).toEqual(forbiddenFor('explain:admin'));
    },

    'POST /api/data/:module': async () => {
      const before = [await tableCount(app, 'order'), await tableCount(app, 'salesman')];
      expectStatus(await s2.post('/api/data/order', { number: 'x-1', amount: 1, salesman: foreign.salesman() }), 400);
      expect(expectStatus(await s2.post('/api/data/salesman', { name: 'nowhere' }), 403).body).toEqual(forbiddenFor('salesman:create'));
      expect([await tableCount(app, 'order'), await tableCount(app, 'salesman')]).toEqual(before);
    },
    [`PATCH /api/data/:module/${ID}`]: async () => {
      for (const [m, id] of [['order', foreign.order()], ['salesman', foreign.salesman()], ['receipt', foreign.receipt()]] as const) {
        const before = await tableRow(app, m, id);
        const r = await s2.patch(`/api/data/${m}/${id}`, m === 'salesman' ? { name: 'mine now' } : { amount: 1 });
        expect({ m, status: r.status }).toEqual({ m, status: 404 });
        expect(await tableRow(app, m, id)).toEqual(before);
      }
    },
    [`DELETE /api/data/:module/${ID}`]: async () => {
      const id = foreign.receipt();
      const before = await tableCount(app, 'receipt');
      expectStatus(await s2.delete(`/api/data/receipt/${id}`), 404);
      expect(await tableCount(app, 'receipt')).toBe(before);
      expect(await tableRow(app, 'receipt', id)).toBeDefined();
      // Inside the scope it deletes.
      const own = await ok(s2.post('/api/data/receipt', { orderline: mine.lines()[0], amount: 1 }));
      expectStatus(await s2.delete(`/api/data/receipt/${own.id}`), 204);
      expect(await tableCount(app, 'receipt')).toBe(before);
    },
    'POST /api/data/:module/bulk': async () => {
      const own = await ok(s2.post('/api/data/receipt', { orderline: mine.lines()[0], amount: 1 }));
      const before = await tableCount(app, 'receipt');
      const del = await s2.post('/api/data/receipt/bulk', { action: 'delete', ids: [own.id, foreign.receipt()] });
      expect(del.status).toBe(404);
      expect(await tableCount(app, 'receipt')).toBe(before);
      const order = foreign.order();
      const orderBefore = await tableRow(app, 'order', order);
      expectStatus(await s2.post('/api/data/order/bulk', { action: 'update', ids: [mine.orders()[0], order], values: { amount: 1 } }), 404);
      expect(await tableRow(app, 'order', order)).toEqual(orderBefore);
      expect((await tableRow(app, 'order', mine.orders()[0]!))!.version).toBe(1);
      expectStatus(await s2.post('/api/data/receipt/bulk', { action: 'delete', ids: [own.id] }), 200);
      expect(await tableCount(app, 'receipt')).toBe(before - 1);
    },

    // The OpenAPI document names only the modules sales_001002 may read; the page and its files hold no data.
    'GET /api/openapi.json': async () => {
      const doc = expectStatus(await s2.get('/api/openapi.json'), 200).body;
      const modules = new Set(Object.keys(doc.paths).filter((p) => p.startsWith('/api/data/')).map((p) => p.split('/')[3]));
      // saved_view: their own saved list views, which everyone may keep (core/rules/own-records.ts).
      expect([...modules].sort()).toEqual(['customer', 'department', 'order', 'orderline', 'receipt', 'salesman', 'saved_view', 'visit']);
      expect(Object.keys(doc.components.schemas).filter((n) => ['user', 'role', 'permission', 'rule'].includes(n))).toEqual([]);
      expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/modules') || p.endsWith('/explain'))).toEqual([]);
      expectStatus(await app.client().get('/api/openapi.json'), 401);
    },
    'GET /api/docs': async () => {
      expect(String(expectStatus(await app.client().get('/api/docs'), 200).body)).not.toMatch(/\b(customer|salesman|order|receipt|visit)\b/);
    },
    'GET /api/docs/:asset{[a-zA-Z0-9_.-]+}': async () => {
      expectStatus(await app.client().get('/api/docs/swagger-ui.css'), 200);
      expectStatus(await app.client().get('/api/docs/package.json'), 404);
    },

    'GET /api/modules': async () => {
      expect(expectStatus(await s2.get('/api/modules'), 403).body).toEqual(forbiddenFor('modules:admin'));
    },
    'GET /api/modules/:module': async () => {
      expectStatus(await s2.get('/api/modules/order'), 403);
    },
    'POST /api/modules': async () => {
      expectStatus(await s2.post('/api/modules', { $id: 'sneaky', type: 'object', properties: { a: { type: 'string', maxLength: 5 } } }), 403);
      expect((await app.stratum.registry.definitions()).map((d) => d.name)).not.toContain('sneaky');
    },
    'PUT /api/modules/:module': async () => {
      const def = (await ok(admin.get('/api/modules/visit'), 200)).definition;
      expectStatus(await s2.put('/api/modules/visit', { ...def, 'x-scope-paths': {} }), 403);
    },
    'GET /api/modules/trash': async () => {
      expectStatus(await s2.get('/api/modules/trash'), 403);
    },
    'POST /api/modules/trash/:entry/restore': async () => {
      expectStatus(await s2.post('/api/modules/trash/1/restore'), 403);
    },
    'DELETE /api/modules/trash/:entry': async () => {
      expectStatus(await s2.delete('/api/modules/trash/1'), 403);
    },
    'GET /api/modules/:module/changes': async () => {
      expectStatus(await s2.get('/api/modules/visit/changes'), 403);
    },
    'POST /api/modules/:module/changes/:id/revert': async () => {
      expectStatus(await s2.post('/api/modules/visit/changes/1/revert?dryRun=true'), 403);
    },
    'GET /api/schema/snapshot': async () => {
      expectStatus(await s2.get('/api/schema/snapshot'), 403);
    },
    'POST /api/schema/diff': async () => {
      expectStatus(await s2.post('/api/schema/diff', await ok(admin.get('/api/schema/snapshot'), 200)), 403);
    },
    'POST /api/schema/apply': async () => {
      const snapshot = await ok(admin.get('/api/schema/snapshot'), 200);
      const without = { ...snapshot, modules: snapshot.modules.filter((m: { name: string }) => m.name !== 'visit') };
      expectStatus(await s2.post('/api/schema/apply', without), 403);
      expectStatus(await admin.get('/api/modules/visit'), 200);
    },
    'DELETE /api/modules/:module': async () => {
      expectStatus(await s2.delete('/api/modules/visit'), 403);
      expectStatus(await admin.get('/api/modules/visit'), 200);
    },

    // Plugins: admin endpoints, and each plugin's routes with the caller's own DataContext
    // (their scoping is proven with plugins loaded in test/plugins/routes.test.ts).
    'GET /api/plugins': async () => {
      expect(expectStatus(await s2.get('/api/plugins'), 403).body).toEqual(forbiddenFor('plugins:admin'));
    },
    'POST /api/plugins/:name{[a-z][a-z0-9_]{0,62}}/enable': async () => {
      expectStatus(await s2.post('/api/plugins/example/enable'), 403);
    },
    'POST /api/plugins/:name{[a-z][a-z0-9_]{0,62}}/disable': async () => {
      expectStatus(await s2.post('/api/plugins/example/disable'), 403);
    },
    'ALL /api/plugins/:name{[a-z][a-z0-9_]{0,62}}/*': async () => {
      expectStatus(await app.client().get('/api/plugins/example/summary'), 401);
      expectStatus(await s2.get('/api/plugins/example/summary'), 404);
    },

    // Soft delete (test/data/soft-delete.test.ts): the trash and restore reach only deleted records in the caller's delete scope.
    [`POST /api/data/:module/${ID}/restore`]: async () => {
      await ok(admin.post('/api/modules', {
        $id: 'memo', type: 'object', 'x-soft-delete': true,
        properties: { note: { type: 'string', maxLength: 60 }, salesman: { type: 'integer', 'x-ref': 'salesman' } }, required: ['note'],
      }));
      const writer = (await ok(admin.get(`/api/data/role?${filterParam({ name: 'writer' })}`), 200)).data[0].id;
      const perm = await ok(admin.post('/api/data/permission', { role: writer, module: 'memo', actions: ['read', 'delete'] }));
      const own = await ok(admin.post('/api/data/memo', { note: 'own', salesman: mine.salesmen()[0] }));
      const theirs = await ok(admin.post('/api/data/memo', { note: 'theirs', salesman: foreign.salesman() }));
      for (const m of [own, theirs]) expectStatus(await admin.delete(`/api/data/memo/${m.id}`), 204);
      expect(idsOf(await s2.get('/api/data/memo?deleted=only'))).toEqual([own.id]);
      expectStatus(await s2.post(`/api/data/memo/${theirs.id}/restore`), 404);
      expect((await tableRow(app, 'memo', theirs.id))!.deletedAt).not.toBeNull();
      expectStatus(await s2.post(`/api/data/memo/${own.id}/restore`), 200);
      expect(await listIds(s2, 'memo')).toEqual([own.id]);
      expectStatus(await admin.delete(`/api/data/permission/${perm.id}`), 204);
      await dropModule(admin, 'memo');
    },

    // File fields (test/files/): a file is read only through its record, with the record's visibility.
    [`GET /api/data/:module/${ID}/files/:field`]: () => withDossier(async () => {
      const handle = (await upload(admin, 'the file of every dossier')).body;
      const theirs = await ok(admin.post('/api/data/dossier', { salesman: foreign.salesman(), scan: handle }));
      const own = await ok(admin.post('/api/data/dossier', { salesman: mine.salesmen()[0], scan: handle }));
      expectStatus(await s2.get(`/api/data/dossier/${theirs.id}/files/scan`), 404);
      expect(expectStatus(await s2.get(`/api/data/dossier/${own.id}/files/scan`), 200).body).toBe('the file of every dossier');
    }),
    // An upload is the uploader's own: it is attached only by them, and served by no route of its own.
    'POST /api/files': () => withDossier(async () => {
      const theirs = (await upload(admin, 'admin upload')).body;
      const mineFile = expectStatus(await upload(s2, 'my upload'), 201).body;
      const refused = expectStatus(await s2.post('/api/data/dossier', { salesman: mine.salesmen()[0], scan: theirs }), 400);
      expect(refused.body.error.details).toMatchObject([{ path: '/scan', code: 'file_unknown' }]);
      expect((await ok(s2.post('/api/data/dossier', { salesman: mine.salesmen()[0], scan: mineFile }))).scan).toEqual(mineFile);
      expectStatus(await s2.get(`/api/files/${theirs.id}`), 404);
    }),

    // Audit history (test/history/): a record's history and revert have the record's own visibility.
    [`GET /api/data/:module/${ID}/history`]: async () => {
      expectStatus(await s2.get(`/api/data/order/${foreign.order()}/history`), 404);
      expectStatus(await s2.get(`/api/data/receipt/${foreign.receipt()}/history`), 404);
      const own = expectStatus(await s2.get(`/api/data/order/${mine.orders()[0]}/history`), 200).body;
      expect(own.data.at(-1)).toMatchObject({ action: 'create', version: 1 });
      expectStatus(await admin.get(`/api/data/order/${foreign.order()}/history`), 200);
    },
    [`POST /api/data/:module/${ID}/revert`]: async () => {
      const order = foreign.order();
      const before = await tableRow(app, 'order', order);
      expectStatus(await s2.post(`/api/data/order/${order}/revert`, { version: 1 }), 404);
      expect(await tableRow(app, 'order', order)).toEqual(before);
      const own = await ok(s2.post('/api/data/receipt', { orderline: mine.lines()[0], amount: 1 }));
      await ok(s2.patch(`/api/data/receipt/${own.id}`, { amount: 2 }), 200);
      expect(await ok(s2.post(`/api/data/receipt/${own.id}/revert`, { version: 1 }), 200)).toMatchObject({ amount: 1, version: 3 });
    },
  };

  it('the app registers exactly the routes this test knows (classify a new route here)', () => {
    const registered = [...new Set(app.app.routes.map((r) => `${r.method} ${r.path}`))].sort();
    expect(registered).toEqual(Object.keys(probes).sort());
  });

  it('every GET and every write route under /api/data has a scope probe', () => {
    const dataRoutes = app.app.routes.filter((r) => r.path.startsWith('/api/data') && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect(dataRoutes.length).toBeGreaterThanOrEqual(10);
    for (const route of dataRoutes) expect({ route, probed: typeof probes[route] === 'function' }).toEqual({ route, probed: true });
  });

  for (const [route, probe] of Object.entries(probes)) {
    if (probe) it(`${route}: sales_001002 gets only 001002 data, or a refusal`, probe);
  }
});
