/**
 * The cases of compile-sql.test.ts, executed: the modules and dataset of fixtures.ts are created
 * through the API on SQLite and on MariaDB, and every compiled statement runs through
 * `stratum.db`. Each case must give the rows written in cases.ts on both dialects.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WriteCompiler } from '../../core/query/compile-write.js';
import { QueryCompiler } from '../../core/query/compile.js';
import type { ModuleGraph } from '../../core/schema/module.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import {
  AGGREGATE_CASES, aggregateQuery, compileWrite, COUNT_CASES, countQuery, idQuery, idQuerySql, inDialect, SELECT_CASES, selectQuery,
  WHERE_CASES, WRITE_CASES,
} from './cases.js';
import { CREATE_STEPS, DATA } from './fixtures.js';

describeEachDialect('compiled queries on a real database', (dialect) => {
  let t: TestApp;
  let graph: ModuleGraph;
  let compiler: QueryCompiler;
  let writer: WriteCompiler;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const admin = await t.admin();
    for (const { method, definition } of CREATE_STEPS) {
      const r = method === 'POST' ? await admin.post('/api/modules', definition) : await admin.put(`/api/modules/${String(definition.$id)}`, definition);
      expect(r.status, `${method} ${String(definition.$id)}: ${JSON.stringify(r.body)}`).toBe(method === 'POST' ? 201 : 200);
    }
    for (const { module, records } of DATA) {
      for (const [i, record] of records.entries()) {
        const r = await admin.post(`/api/data/${module}`, record);
        expect(r.status, `${module} #${i + 1}: ${JSON.stringify(r.body)}`).toBe(201);
        // The cases name records by id: a fresh database numbers them in insertion order.
        expect(r.body.id).toBe(i + 1);
      }
    }
    graph = await t.stratum.registry.graph();
    compiler = new QueryCompiler(graph, t.stratum.db.dialect);
    writer = new WriteCompiler(compiler, t.stratum.db.dialect);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(WHERE_CASES)('where: $module $name', async (c) => {
    const statement = compiler.select(idQuery(c, graph));
    // The graph of the running app compiles to the very statement compile-sql.test.ts checks.
    expect(statement).toEqual({ sql: inDialect(idQuerySql(c), t.stratum.db.dialect), params: c.params });
    const rows = await t.stratum.db.all(statement);
    expect(rows.map((r) => Number(r.id))).toEqual(c.ids);
  });

  it.each(SELECT_CASES)('select: $name', async (c) => {
    const statement = compiler.select(selectQuery(c, graph));
    expect(statement.sql).toBe(inDialect(c.sql, t.stratum.db.dialect));
    const rows = await t.stratum.db.all(statement);
    expectRows(rows, c.rows);
  });

  it.each(COUNT_CASES)('count: $name', async (c) => {
    const statement = compiler.count(countQuery(c, graph));
    expect(statement.sql).toBe(inDialect(c.sql, t.stratum.db.dialect));
    const rows = await t.stratum.db.all(statement);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.total)).toBe(c.total);
  });

  it.each(AGGREGATE_CASES)('aggregate: $name', async (c) => {
    const statement = compiler.aggregate(aggregateQuery(c, graph));
    expect(statement).toEqual({ sql: c.sql[t.stratum.db.dialect.name], params: c.params });
    expectRows(await t.stratum.db.all(statement), c.rows);
  });

  it.each(WRITE_CASES)('write: $name', async (c) => {
    const statement = compileWrite(writer, c, graph);
    expect(statement.sql).toBe(inDialect(c.sql, t.stratum.db.dialect));
    const db = t.stratum.db;
    const rollback = new Error('rollback');
    let changes = -1;
    let after: Record<string, unknown>[] = [];
    await expect(
      db.transaction(async (tx) => {
        if (c.kind === 'insert') {
          const id = await db.insert(statement, tx);
          changes = id > 0 ? 1 : 0;
          after = await db.all({ sql: `SELECT ${db.quote('name')} AS name FROM ${db.quote(c.module)} WHERE ${db.quote('id')} = $1`, params: [id] }, tx);
        } else {
          changes = c.kind === 'update' ? await db.update(statement, tx) : await db.delete(statement, tx);
          after = await db.all({ sql: `SELECT ${db.quote('version')} AS version FROM ${db.quote(c.module)} WHERE ${db.quote('id')} = $1`, params: [c.id] }, tx);
        }
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(changes).toBe(c.changes);
    if (c.kind === 'insert') expect(after).toEqual([{ name: c.values.name }]);
    if (c.kind === 'update') expect(after.map((r) => Number(r.version))).toEqual([c.changes === 1 ? 2 : 1]);
    if (c.kind === 'delete') expect(after).toHaveLength(1 - c.changes);
  });

  it('left the dataset as it was: the writes were rolled back', async () => {
    for (const { module, records } of DATA) {
      const rows = await t.stratum.db.all({ sql: `SELECT COUNT(*) AS n, MAX(${t.stratum.db.quote('version')}) AS v FROM ${t.stratum.db.quote(module)}`, params: [] });
      expect([module, Number(rows[0]!.n), Number(rows[0]!.v)]).toEqual([module, records.length, 1]);
    }
  });
});

/** Rows equal, numbers to 6 decimals (MySQL's AVG of a DECIMAL has fewer digits than SQLite's double). */
function expectRows(actual: Record<string, unknown>[], expected: readonly Record<string, unknown>[]) {
  expect(actual.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
  actual.forEach((row, i) => {
    for (const [key, want] of Object.entries(expected[i]!)) {
      const got = row[key];
      if (typeof want === 'number') {
        expect(typeof got === 'number' || typeof got === 'string', `${key} of row ${i}: ${String(got)}`).toBe(true);
        expect(Number(got), `${key} of row ${i}`).toBeCloseTo(want, 6);
      } else {
        expect(got, `${key} of row ${i}`).toEqual(want);
      }
    }
  });
}
