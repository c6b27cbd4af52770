/**
 * V-11: composed rules must let the database use its indexes. With thousands of departments,
 * salesmen and orders on MariaDB, the SQL a department-restricted user's order list compiles to
 * reads the order's own maintained department column (`_scope`) through its index — a
 * range for a prefix (`LIKE '0010%'`), a const/ref lookup for a leaf (`= '001002'`) — with no
 * join to salesman or department, and scans no table whole. And the compiled scope
 * is reused, not recompiled, while the generation stays the same (core/auth/load-access.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { loadActor } from '../../core/auth/actor.js';
import { loadAccess } from '../../core/auth/load-access.js';
import { visibleWhere } from '../../core/data/visible.js';
import { and } from '../../core/query/ast.js';
import { QueryCompiler } from '../../core/query/compile.js';
import { storedDateTime } from '../../core/query/values.js';
import type { Compiled } from '../../core/query/ast.js';
import { expectStatus } from './helpers.js';

const EXTRA_DEPARTMENTS = 2_000;
const EXTRA_SALESMEN = 4_000;
const EXTRA_ORDERS = 5_000;

interface PlanRow { table: string; type: string; key: string | null; possible_keys: string | null }

describe.skipIf(!testDialects().includes('mariadb'))('V-11: restricted lists use the department code index [mariadb]', () => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  /** Department code of every order, seed and bulk. */
  const orderDept = new Map<number, string>();

  async function bulkInsert(table: string, columns: string[], rows: unknown[][]) {
    const db = app.stratum.db;
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      let n = 0;
      const values = chunk.map((r) => `(${r.map(() => `$${++n}`).join(', ')})`).join(', ');
      await db.insert({ sql: `INSERT INTO ${db.quote(table)} (${columns.map((c) => db.quote(c)).join(', ')}) VALUES ${values}`, params: chunk.flat() });
    }
  }

  beforeAll(async () => {
    app = await startTestApp('mariadb');
    w = await buildSeed003(app);
    admin = await app.admin();
    const db = app.stratum.db;
    const now = storedDateTime(new Date());
    // Departments beside sales (0020xxxx), salesmen spread over every department, orders over every salesman.
    await bulkInsert('department', ['code', 'name', 'seeAll', 'seeSameLevel', 'createdAt', 'updatedAt', 'version'],
      Array.from({ length: EXTRA_DEPARTMENTS }, (_, i) => [`0020${String(i).padStart(4, '0')}`, `bulk ${i}`, 0, 0, now, now, 1]));
    const depts = (await db.all({ sql: `SELECT ${db.quote('id')} AS id, ${db.quote('code')} AS code FROM ${db.quote('department')} ORDER BY ${db.quote('id')}`, params: [] }))
      .map((r) => ({ id: Number(r.id), code: String(r.code) }));
    const before = (await db.all({ sql: `SELECT MAX(${db.quote('id')}) AS m FROM ${db.quote('salesman')}`, params: [] }))[0]!.m;
    await bulkInsert('salesman', ['name', 'department', 'createdAt', 'updatedAt', 'version'],
      Array.from({ length: EXTRA_SALESMEN }, (_, i) => [`bulk ${i}`, depts[i % depts.length]!.id, now, now, 1]));
    const salesmanDept = new Map<number, string>(w.salesmen.map((s) => [s.id, s.dept]));
    const bulkSalesmen = (await db.all({ sql: `SELECT ${db.quote('id')} AS id, ${db.quote('department')} AS d FROM ${db.quote('salesman')} WHERE ${db.quote('id')} > $1 ORDER BY ${db.quote('id')}`, params: [Number(before)] }));
    const codeOf = new Map(depts.map((d) => [d.id, d.code]));
    for (const s of bulkSalesmen) salesmanDept.set(Number(s.id), codeOf.get(Number(s.d))!);
    const salesmen = [...salesmanDept.keys()];
    await bulkInsert('order', ['number', 'amount', 'orderDate', 'salesman', 'createdAt', 'updatedAt', 'version'],
      Array.from({ length: EXTRA_ORDERS }, (_, i) => [`bulk-${i}`, i, '2025-03-01', salesmen[i % salesmen.length]!, now, now, 1]));
    const orders = await db.all({ sql: `SELECT ${db.quote('id')} AS id, ${db.quote('salesman')} AS s FROM ${db.quote('order')}`, params: [] });
    for (const o of orders) orderDept.set(Number(o.id), salesmanDept.get(Number(o.s))!);
    // Rows written around the engine: rebuild their department column, as a bulk loader must.
    await app.stratum.afterBulkLoad();
    for (const t of ['department', 'salesman', 'order']) await db.all({ sql: `ANALYZE TABLE ${db.quote(t)}`, params: [] });
  }, 180_000);
  afterAll(async () => app?.close());

  /** The statements listRecords issues for the user: the page and the total. */
  async function listStatements(username: string): Promise<Compiled[]> {
    const db = app.stratum.db;
    const graph = await app.stratum.registry.graph();
    const access = await loadAccess(db, graph, (await loadActor(db, w.users[username]!.id))!);
    const order = graph.modules.get('order')!;
    const where = visibleWhere(order, 'read', and(), access, graph);
    const compiler = new QueryCompiler(graph, db.dialect);
    return [
      compiler.select({ module: 'order', where, columns: [...order.fields.values()].map((f) => ({ refs: [], field: f.name })), orderBy: [{ target: { refs: [], field: 'id' }, desc: true }], limit: 25 }),
      compiler.count({ module: 'order', where }),
    ];
  }

  async function plan(statement: Compiled): Promise<{ order: PlanRow; rows: PlanRow[] }> {
    expect(statement.sql, 'no join to department').not.toMatch(/`department`/);
    const rows = (await app.stratum.db.all({ sql: `EXPLAIN ${statement.sql}`, params: statement.params })) as unknown as PlanRow[];
    return { order: rows.find((r) => r.table === 't0')!, rows };
  }

  const cases: [string, RegExp, readonly string[], (code: string) => boolean][] = [
    ['sales_0010', /`t0`\.`_scope` LIKE \$1/, ['range'], (c) => c.startsWith('0010')],
    ['sales_001001', /`t0`\.`_scope` LIKE \$1/, ['range'], (c) => c.startsWith('0010')],
    ['sales_001002', /`t0`\.`_scope` = \$1/, ['const', 'ref'], (c) => c === '001002'],
    ['sales_2_and_3', /`_scope` = \$1 OR .*`_scope` = \$2/, ['range', 'ref'], (c) => c === '001002' || c === '001003'],
  ];

  for (const [username, shape, types, sees] of cases) {
    it(`${username}: the order table is read by ${types.join('/')} on its department column index, and no table is scanned whole`, async () => {
      for (const statement of await listStatements(username)) {
        expect(statement.sql).toMatch(shape);
        const { order, rows } = await plan(statement);
        expect({ key: order.key, type: order.type }).toEqual({ key: expect.stringMatching(/^ix_order__scope/), type: expect.toSatisfy((t: string) => types.includes(t)) });
        expect(rows.filter((r) => r.type === 'ALL').map((r) => r.table)).toEqual([]);
      }
      // And the answer is right.
      const list = expectStatus(await w.users[username]!.client.get('/api/data/order?pageSize=1'), 200);
      expect(list.body.meta.total).toBe([...orderDept.values()].filter(sees).length);
    });
  }

  it('the explain endpoint\'s joins and SQL plan the same way', async () => {
    for (const [username, , types] of cases) {
      const ex = expectStatus(await admin.get(`/api/data/order/explain?user=${w.users[username]!.id}`), 200).body.actions.read;
      const statement = { sql: `SELECT COUNT(*) AS n FROM \`order\` AS \`t0\` ${ex.joins} WHERE ${ex.sql}`, params: ex.params };
      const { order } = await plan(statement);
      expect({ username, key: order.key, ok: types.includes(order.type) }).toEqual({ username, key: 'ix_order__scope', ok: true });
    }
  });

  it('the compiled scope is reused at the same generation and recompiled after it moves', async () => {
    const db = app.stratum.db;
    const actor = (await loadActor(db, w.users.sales_001002!.id))!;
    const graph = await app.stratum.registry.graph();
    const order = graph.modules.get('order')!;
    const first = (await loadAccess(db, graph, actor)).explain(order, 'read');
    const again = (await loadAccess(db, graph, actor)).explain(order, 'read');
    expect(again).toBe(first);
    // Another action, module or user is another entry.
    expect((await loadAccess(db, graph, actor)).explain(order, 'update')).not.toBe(first);
    expect((await loadAccess(db, graph, actor)).explain(graph.modules.get('orderline')!, 'read')).not.toBe(first);
    const other = (await loadActor(db, w.users.sales_0010!.id))!;
    expect((await loadAccess(db, graph, other)).explain(order, 'read')).not.toBe(first);
    // A request in between does not disturb it.
    expectStatus(await w.users.sales_001002!.client.get('/api/data/order'), 200);
    expect((await loadAccess(db, await app.stratum.registry.graph(), actor)).explain(order, 'read')).toBe(first);

    await app.stratum.registry.bump();
    const next = await app.stratum.registry.graph();
    expect(next.generation).toBe(graph.generation + 1);
    const recompiled = (await loadAccess(db, next, actor)).explain(next.modules.get('order')!, 'read');
    expect(recompiled).not.toBe(first);
    expect(recompiled.condition).toEqual(first.condition);
    expect((await loadAccess(db, next, actor)).explain(next.modules.get('order')!, 'read')).toBe(recompiled);
  });
});
