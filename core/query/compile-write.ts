import type { Module } from '../schema/module.js';
import type { Compiled, Condition } from './ast.js';
import { and, compare } from './ast.js';
import type { QueryCompiler } from './compile.js';
import type { Dialect } from './dialect.js';

/**
 * INSERT, UPDATE and DELETE of one record. Pure, like the select compiler: values become
 * parameters; the caller's scope for the action guards the row inside the statement itself, so
 * that a record outside it is never touched, whatever happened since it was read.
 */
export class WriteCompiler {
  constructor(
    private readonly select: QueryCompiler,
    private readonly dialect: Dialect,
  ) {}

  insert(module: Module, values: Readonly<Record<string, unknown>>): Compiled {
    const q = (s: string) => this.dialect.quote(s);
    const columns = Object.keys(values);
    const params = columns.map((c) => values[c]);
    return {
      sql: `INSERT INTO ${q(module.table)} (${columns.map(q).join(', ')}) VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})`,
      params,
    };
  }

  /**
   * @example
   * update(order, 7, { amount: 5 }, { version: 3, guard })
   * // UPDATE "order" SET "amount" = $1, "version" = "version" + 1 WHERE "id" = $2 AND "version" = $3
   * //   AND "id" IN (SELECT "id" FROM (SELECT "t0"."id" AS "id" FROM "order" AS "t0" … WHERE …) AS "v")
   */
  update(module: Module, id: number, values: Readonly<Record<string, unknown>>, opts: { version?: number | undefined; guard: Condition }): Compiled {
    const q = (s: string) => this.dialect.quote(s);
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    const sets = Object.entries(values).map(([c, v]) => `${q(c)} = ${p(v)}`);
    sets.push(`${q('version')} = ${q('version')} + 1`);
    let sql = `UPDATE ${q(module.table)} SET ${sets.join(', ')} WHERE ${q('id')} = ${p(id)}`;
    if (opts.version !== undefined) sql += ` AND ${q('version')} = ${p(opts.version)}`;
    sql += this.guard(module, id, opts.guard, params);
    return { sql, params };
  }

  delete(module: Module, id: number, guard: Condition): Compiled {
    const q = (s: string) => this.dialect.quote(s);
    const params: unknown[] = [id];
    const sql = `DELETE FROM ${q(module.table)} WHERE ${q('id')} = $1${this.guard(module, id, guard, params)}`;
    return { sql, params };
  }

  /** `AND id IN (…)` through a derived table: MySQL refuses a subquery on the table being changed otherwise. */
  private guard(module: Module, id: number, guard: Condition, params: unknown[]): string {
    if (guard.kind === 'const' && guard.value) return '';
    const q = (s: string) => this.dialect.quote(s);
    const inner = this.select.select({
      module: module.name,
      where: and(compare('id', 'eq', id), guard),
      columns: [{ refs: [], field: 'id' }],
      orderBy: [],
    });
    const offset = params.length;
    params.push(...inner.params);
    const shifted = inner.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    return ` AND ${q('id')} IN (SELECT ${q('id')} FROM (${shifted}) AS ${q('v')})`;
  }
}
