import type { Module } from '../schema/module.js';
import type { Compiled, Condition } from './ast.js';
import { and, compare, shiftParams } from './ast.js';
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

  /**
   * With a `_scope` column, its value is looked up along the scope path in the same statement.
   * With `requires`, the row is inserted only if each select finds exactly `count` rows (the
   * references the caller may use): `INSERT … SELECT … WHERE (SELECT COUNT(*) FROM (…)) = $n AND …`,
   * one round trip for the checks and the write.
   */
  insert(
    module: Module, values: Readonly<Record<string, unknown>>, requires: readonly { select: Compiled; count: number }[] = [],
    /** A further condition the insert requires, with its own `$1…` (the caller's guessed identity, core/auth/identity-check.ts). */
    guard?: Compiled,
  ): Compiled {
    const q = (s: string) => this.dialect.quote(s);
    const columns = Object.keys(values);
    const params = columns.map((c) => values[c]);
    const exprs = params.map((_, i) => `$${i + 1}`);
    const scope = module.scopeColumn;
    if (scope) {
      columns.push(scope.column);
      params.push(values[scope.path[0]!] ?? null);
      exprs.push(this.scopeLookup(module, `$${params.length}`));
    }
    const into = `INSERT INTO ${q(module.table)} (${columns.map(q).join(', ')})`;
    if (requires.length === 0 && !guard) return { sql: `${into} VALUES (${exprs.join(', ')})`, params };
    const conditions = requires.map(({ select, count }, i) => {
      const shifted = shiftParams(select.sql, params.length);
      params.push(...select.params, count);
      return `(SELECT COUNT(*) FROM (${shifted}) AS ${q(`r${i}`)}) = $${params.length}`;
    });
    if (guard) {
      conditions.push(shiftParams(guard.sql, params.length));
      params.push(...guard.params);
    }
    return { sql: `${into} SELECT ${exprs.join(', ')} FROM (SELECT 1 AS ${q('one')}) AS ${q('one')} WHERE ${conditions.join(' AND ')}`, params };
  }

  /**
   * The department code reached from `firstRef` (the value of the scope path's first reference):
   * `(SELECT s2.code FROM salesman AS s1 JOIN department AS s2 ON s2.id = s1.department WHERE s1.id = $1)`.
   */
  scopeLookup(module: Module, firstRef: string): string {
    const q = (s: string) => this.dialect.quote(s);
    const path = module.scopeColumn!.path;
    let current = this.select.moduleOf(module.fields.get(path[0]!)!.ref!);
    let from = `${q(current.table)} AS ${q('s1')}`;
    for (let i = 1; i < path.length; i++) {
      const field = current.fields.get(path[i]!)!;
      current = this.select.moduleOf(field.ref!);
      from += ` JOIN ${q(current.table)} AS ${q(`s${i + 1}`)} ON ${q(`s${i + 1}`)}.${q('id')} = ${q(`s${i}`)}.${q(field.column)}`;
    }
    return `(SELECT ${q(`s${path.length}`)}.${q('code')} FROM ${from} WHERE ${q('s1')}.${q('id')} = ${firstRef})`;
  }

  /**
   * Recomputes `_scope` of the rows matching `where` (all rows when absent) from their references:
   * after a bulk load, a changed scope path, or a change up the path (a salesman's department).
   */
  recomputeScope(module: Module, where?: Condition): Compiled {
    const q = (s: string) => this.dialect.quote(s);
    const scope = module.scopeColumn!;
    const own = `${q(module.table)}.${q(module.fields.get(scope.path[0]!)!.column)}`;
    const params: unknown[] = [];
    let sql = `UPDATE ${q(module.table)} SET ${q(scope.column)} = ${this.scopeLookup(module, own)}`;
    if (where) sql += ` WHERE ${this.rowsWhere(module, where, params)}`;
    return { sql, params };
  }

  /** Sets `_scope` to NULL on the rows matching `where`: their path to a department is going away. */
  clearScope(module: Module, where: Condition): Compiled {
    const params: unknown[] = [];
    const sql = `UPDATE ${this.dialect.quote(module.table)} SET ${this.dialect.quote(module.scopeColumn!.column)} = NULL WHERE ${this.rowsWhere(module, where, params)}`;
    return { sql, params };
  }

  /** `id IN (SELECT id FROM (…) AS v)`: the derived table lets MySQL change the table it reads. */
  rowsWhere(module: Module, where: Condition, params: unknown[]): string {
    const q = (s: string) => this.dialect.quote(s);
    const inner = this.select.select({ module: module.name, where, columns: [{ refs: [], field: 'id' }], orderBy: [] });
    const offset = params.length;
    params.push(...inner.params);
    const shifted = shiftParams(inner.sql, offset);
    return `${q('id')} IN (SELECT ${q('id')} FROM (${shifted}) AS ${q('v')})`;
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
    // A new first reference on the scope path moves the record: look its department up again.
    const scope = module.scopeColumn;
    if (scope && scope.path[0]! in values) sets.push(`${q(scope.column)} = ${this.scopeLookup(module, p(values[scope.path[0]!] ?? null))}`);
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
    return ` AND ${this.rowsWhere(module, and(compare('id', 'eq', id), guard), params)}`;
  }
}
