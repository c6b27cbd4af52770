/**
 * Fail closed (STYLE.md "Safety by construction"; API.md "Record visibility" rules 4 and 5):
 * whatever cannot be decided — a stored rule that no longer compiles, an ambiguous path to the
 * department, a broken path, a user without a department — denies instead of widening, and
 * explain says why. `"x-scope": false` and `x-scope-paths` are the ways to decide on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { storedDateTime } from '../../core/query/values.js';
import { expectStatus, listIds, ok, sorted } from './helpers.js';

const PASSWORD = 'password-for-tests';

describeEachDialect('fail closed', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const dept: Record<string, number> = {};
  const users: Record<string, { id: number; client: Client }> = {};
  const salesmen: Record<string, number> = {};
  const customers: { id: number; grade: string }[] = [];
  const orders: { id: number; dept: string | null }[] = [];
  const transfers: { id: number; from: string; to: string }[] = [];
  const notes: { id: number; author: string }[] = [];
  let staff: number;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    const defs = [
      { $id: 'salesman', type: 'object', properties: { name: { type: 'string', maxLength: 60 }, department: { type: 'integer', 'x-ref': 'department' } }, required: ['name'] },
      { $id: 'customer', type: 'object', properties: { name: { type: 'string', maxLength: 60 }, grade: { type: 'string', enum: ['gold', 'silver'] } }, required: ['name'] },
      { $id: 'order', type: 'object', properties: { number: { type: 'string', maxLength: 20 }, salesman: { type: 'integer', 'x-ref': 'salesman' }, customer: { type: 'integer', 'x-ref': 'customer' } }, required: ['number'] },
      // Two equally short paths to department.
      { $id: 'transfer', type: 'object', properties: { note: { type: 'string', maxLength: 60 }, fromDept: { type: 'integer', 'x-ref': 'department' }, toDept: { type: 'integer', 'x-ref': 'department' } }, required: ['note'] },
      // A note's author does not carry the author's department to the note.
      { $id: 'note', type: 'object', properties: { text: { type: 'string', maxLength: 60 }, author: { type: 'integer', 'x-ref': 'salesman', 'x-scope': false } }, required: ['text'] },
    ];
    for (const d of defs) await ok(admin.post('/api/modules', d));
    const flags: Record<string, object> = { '0001': { seeAll: true } };
    for (const code of ['00', '0001', '0010', '001001', '001002']) dept[code] = (await ok(admin.post('/api/data/department', { code, name: `dept ${code}`, ...flags[code] }))).id;
    staff = (await ok(admin.post('/api/data/role', { name: 'staff' }))).id;
    for (const module of ['salesman', 'customer', 'order', 'transfer', 'note', 'department']) await ok(admin.post('/api/data/permission', { role: staff, module, actions: ['read'] }));
    for (const code of ['001001', '001002']) salesmen[code] = (await ok(admin.post('/api/data/salesman', { name: `s${code}`, department: dept[code] }))).id;
    for (const [i, grade] of ['gold', 'silver', 'gold'].entries()) customers.push({ id: (await ok(admin.post('/api/data/customer', { name: `c${i}`, grade }))).id, grade });
    for (const [i, code] of (['001001', '001002', '001001', null] as const).entries()) {
      const o = await ok(admin.post('/api/data/order', { number: `o${i}`, salesman: code ? salesmen[code] : null, customer: customers[i % 3]!.id }));
      orders.push({ id: o.id, dept: code });
    }
    for (const [from, to] of [['001001', '001002'], ['001002', '001001'], ['001001', '001001']] as const) {
      transfers.push({ id: (await ok(admin.post('/api/data/transfer', { note: `${from}->${to}`, fromDept: dept[from], toDept: dept[to] }))).id, from, to });
    }
    for (const code of ['001001', '001002']) notes.push({ id: (await ok(admin.post('/api/data/note', { text: `by ${code}`, author: salesmen[code] }))).id, author: code });
    const people: [string, string | null][] = [['s1', '001001'], ['s2', '001002'], ['office', '0001'], ['analyst', '0001'], ['nodept', null]];
    for (const [username, code] of people) {
      const u = await ok(admin.post('/api/data/user', { username, password: PASSWORD, department: code ? dept[code] : null, roles: [staff] }));
      users[username] = { id: u.id, client: await app.client().login(username, PASSWORD) };
    }
  });
  afterAll(async () => app?.close());

  const explain = async (module: string, user: string) => expectStatus(await admin.get(`/api/data/${module}/explain?user=${users[user]!.id}`), 200).body;
  const orderIds = (pred: (o: { dept: string | null }) => boolean) => sorted(orders.filter(pred).map((o) => o.id));

  /** A rule row written straight to the tables, as an old or hand-edited database may hold it. */
  async function insertRule(name: string, module: string, filterText: string, userId: number): Promise<number> {
    const db = app.stratum.db;
    const q = (s: string) => db.quote(s);
    const now = storedDateTime(new Date());
    await db.insert({
      sql: `INSERT INTO ${q('rule')} (${q('name')}, ${q('module')}, ${q('filter')}, ${q('actions')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ($1, $2, $3, $4, $5, $5, 1)`,
      params: [name, module, filterText, JSON.stringify(['read']), now],
    });
    const id = Number((await db.all({ sql: `SELECT ${q('id')} AS id FROM ${q('rule')} WHERE ${q('name')} = $1`, params: [name] }))[0]!.id);
    await db.insert({ sql: `INSERT INTO ${q('rule_users')} (${q('source')}, ${q('target')}) VALUES ($1, $2)`, params: [id, userId] });
    await app.stratum.registry.bump();
    return id;
  }
  async function deleteRule(id: number) {
    expectStatus(await admin.delete(`/api/data/rule/${id}`), 204);
  }

  describe('a rule that cannot be compiled denies', () => {
    it('a path to a field that does not exist: the user sees nothing of the base and of the modules that reach it; explain shows the error', async () => {
      const c = users.analyst!.client;
      // Before: the seeAll analyst sees every customer and order.
      expect(await listIds(c, 'customer')).toEqual(sorted(customers.map((x) => x.id)));
      expect(await listIds(c, 'order')).toEqual(orderIds(() => true));

      const ruleId = await insertRule('broken path', 'customer', JSON.stringify({ 'account.owner': 'x' }), users.analyst!.id);
      expect(await listIds(c, 'customer')).toEqual([]);
      expect(await listIds(c, 'order')).toEqual([]);
      expect(expectStatus(await c.get('/api/data/order/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 0 }]);
      expectStatus(await c.get(`/api/data/customer/${customers[0]!.id}`), 404);
      // Modules that do not reach customer are untouched.
      expect(await listIds(c, 'salesman')).toEqual(sorted(Object.values(salesmen)));

      const ex = await explain('customer', 'analyst');
      expect(ex.actions.read.sql).toBe('1=0');
      const base = ex.actions.read.bases.find((b: { base: string }) => b.base === 'customer');
      expect(base).toMatchObject({ base: 'customer', path: '', rules: [{ id: ruleId, name: 'broken path', error: expect.stringContaining('account') }] });
      const viaOrder = (await explain('order', 'analyst')).actions.read.bases.find((b: { base: string }) => b.base === 'customer');
      expect(viaOrder).toMatchObject({ path: 'customer', rules: [{ id: ruleId, error: expect.stringContaining('account') }] });

      // A valid rule next to it still grants what it grants: the broken one adds nothing.
      const gold = expectStatus(await admin.post('/api/data/rule', { name: 'gold', module: 'customer', filter: { grade: 'gold' }, actions: ['read'], users: [users.analyst!.id] }), 201).body;
      expect(await listIds(c, 'customer')).toEqual(sorted(customers.filter((x) => x.grade === 'gold').map((x) => x.id)));
      await deleteRule(gold.id);
      await deleteRule(ruleId);
      expect(await listIds(c, 'customer')).toEqual(sorted(customers.map((x) => x.id)));
    });

    it('a stored filter that is not a JSON object (corrupt text, JSON null, a list, a string) denies too', async () => {
      const c = users.analyst!.client;
      for (const [i, text] of ['{"grade": ', 'null', '[]', '"gold"'].entries()) {
        const id = await insertRule(`corrupt ${i}`, 'customer', text, users.analyst!.id);
        expect({ text, ids: await listIds(c, 'customer') }).toEqual({ text, ids: [] });
        const base = (await explain('customer', 'analyst')).actions.read.bases.find((b: { base: string }) => b.base === 'customer');
        expect(base.rules).toEqual([{ id, name: `corrupt ${i}`, error: expect.any(String) }]);
        await deleteRule(id);
      }
      expect(await listIds(c, 'customer')).toEqual(sorted(customers.map((x) => x.id)));
    });
  });

  describe('paths to the department', () => {
    it('two equally short paths without x-scope-paths deny department-restricted users, and explain names the ambiguity', async () => {
      expect(await listIds(users.s1!.client, 'transfer')).toEqual([]);
      expect(expectStatus(await users.s1!.client.get('/api/data/transfer/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 0 }]);
      const ex = await explain('transfer', 's1');
      expect(ex.actions.read.sql).toBe('1=0');
      expect(ex.actions.read.bases).toEqual([expect.objectContaining({ base: 'department', error: expect.stringMatching(/several paths.*fromDept.*toDept.*x-scope-paths/) })]);
      // Undecidable paths do not matter to whom no department restriction applies.
      expect(await listIds(users.office!.client, 'transfer')).toEqual(sorted(transfers.map((t) => t.id)));
      expect(await listIds(admin, 'transfer')).toEqual(sorted(transfers.map((t) => t.id)));
      const t = transfers[0]!.id;
      expect(expectStatus(await admin.get(`/api/data/transfer/${t}/explain?user=${users.office!.id}`), 200).body).toMatchObject({ visible: true, bases: [] });
      const denied = expectStatus(await admin.get(`/api/data/transfer/${t}/explain?user=${users.s1!.id}`), 200).body;
      expect(denied).toMatchObject({ visible: false, bases: [{ base: 'department', passes: false, error: expect.stringContaining('several paths') }] });
    });

    it('naming the path in x-scope-paths resolves it, on the next request', async () => {
      const def = expectStatus(await admin.get('/api/modules/transfer'), 200).body.definition;
      expectStatus(await admin.put('/api/modules/transfer', { ...def, 'x-scope-paths': { department: 'fromDept' } }), 200);
      expect(await listIds(users.s1!.client, 'transfer')).toEqual(sorted(transfers.filter((t) => t.from === '001001').map((t) => t.id)));
      expect(await listIds(users.s2!.client, 'transfer')).toEqual(sorted(transfers.filter((t) => t.from === '001002').map((t) => t.id)));
      const ex = await explain('transfer', 's1');
      expect(ex.actions.read.bases).toEqual([expect.objectContaining({ base: 'department', path: 'fromDept', department: { codes: ['001001'], reason: expect.any(String) } })]);
      expect(ex.actions.read.bases[0].error).toBeUndefined();
    });

    it('"x-scope": false on a reference stops restrictions flowing through it; embedding still shows only what one may see', async () => {
      const c = users.s1!.client;
      expect(await listIds(c, 'note')).toEqual(sorted(notes.map((n) => n.id)));
      expect((await explain('note', 's1')).actions.read.bases).toEqual([]);
      const embedded = expectStatus(await c.get('/api/data/note?fields=text,author.name&sort=text'), 200).body.data;
      expect(embedded).toEqual([
        { id: notes[0]!.id, text: 'by 001001', author: { id: salesmen['001001'], name: 's001001' } },
        { id: notes[1]!.id, text: 'by 001002', author: null },
      ]);
      // The same user's orders, whose salesman reference does carry the scope, are restricted.
      expect(await listIds(c, 'order')).toEqual(orderIds((o) => o.dept === '001001'));
    });

    it('a null reference on the path fails the base: an order without salesman is invisible to department-restricted users, visible with seeAll', async () => {
      const orphan = orders.find((o) => o.dept === null)!.id;
      for (const u of ['s1', 's2']) {
        expect(await listIds(users[u]!.client, 'order')).not.toContain(orphan);
        expectStatus(await users[u]!.client.get(`/api/data/order/${orphan}`), 404);
      }
      expect(await listIds(users.s2!.client, 'order')).toEqual(orderIds((o) => o.dept === '001002'));
      expect(await listIds(users.office!.client, 'order')).toEqual(orderIds(() => true));
      expect(expectStatus(await users.office!.client.get(`/api/data/order/${orphan}`), 200).body.salesman).toBeNull();
      const why = expectStatus(await admin.get(`/api/data/order/${orphan}/explain?user=${users.s1!.id}`), 200).body;
      expect(why).toMatchObject({ visible: false, recordDepartment: null });
      expect(why.bases).toEqual([expect.objectContaining({ base: 'department', path: 'salesman.department', passes: false })]);
    });

    it('a user without a department sees nothing of department-scoped modules, and what is not department-scoped', async () => {
      const c = users.nodept!.client;
      for (const m of ['salesman', 'order', 'transfer', 'department']) {
        const r = expectStatus(await c.get(`/api/data/${m}`), 200);
        expect({ m, total: r.body.meta.total, data: r.body.data }).toEqual({ m, total: 0, data: [] });
      }
      expect(expectStatus(await c.get('/api/data/order/aggregate?metrics=count()'), 200).body.data).toEqual([{ 'count()': 0 }]);
      expectStatus(await c.get(`/api/data/salesman/${salesmen['001001']}`), 404);
      expect(await listIds(c, 'customer')).toEqual(sorted(customers.map((x) => x.id)));
      expect(await listIds(c, 'note')).toEqual(sorted(notes.map((n) => n.id)));
      const ex = await explain('salesman', 'nodept');
      expect(ex.actions.read.sql).toBe('1=0');
      expect(ex.actions.read.bases).toEqual([expect.objectContaining({ base: 'department', department: { codes: [], reason: 'the user has no department' } })]);
    });
  });
});
