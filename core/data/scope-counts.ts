import { randomInt } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { TRUE, type Compiled, type Condition } from '../query/ast.js';
import { escapeLike } from '../query/compile.js';
import type { WriteCompiler } from '../query/compile-write.js';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';
import type { Module } from '../schema/module.js';

export const COUNTS_TABLE = '_stratum_counts';

/**
 * Spread of each (module, department) count over rows: concurrent creates in one department
 * add to different rows, so they do not queue on one row lock until their commits.
 */
const SLOTS = 8;

/** Rows whose `_scope` is NULL (their path to a department is broken) count under this key, which no department condition matches. */
const NO_DEPARTMENT = '';

/** A set of rows of one module, as a condition on it. */
export interface RowSet {
  readonly module: Module;
  readonly where: Condition;
}

/**
 * Maintained record counts per (module, department code) for every module with a `_scope`
 * column: the exact `total` of a list whose only condition is the department
 * restriction — a sales user's list, or an admin's unfiltered one — is a SUM over a few rows
 * instead of a COUNT over hundreds of thousands. Every write that adds, removes or moves rows
 * between departments changes them in its own transaction (write-records, ScopeColumns); they
 * are rebuilt with the column. Kept in the database, so every server process reads the same.
 */
export class ScopeCounts {
  /** `writer`: the caller's compiler for the graph at hand (DataContext.writer, ScopeColumns'). */
  constructor(
    private readonly db: Database,
    private readonly writer: WriteCompiler,
  ) {}

  /** Creates the table when missing; true when it did, so that the caller fills it. */
  static ensureTable(db: Database): Promise<boolean> {
    const key = db.dialect.name === 'mysql' ? 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin' : 'VARCHAR(64) COLLATE NOCASE';
    return ensureSystemTable(db, COUNTS_TABLE, {
      module: { type: 'VARCHAR(64)', allowNull: false, primaryKey: true },
      scope: { type: key, allowNull: false, primaryKey: true },
      slot: { type: 'SMALLINT', allowNull: false, primaryKey: true },
      n: { type: 'BIGINT', allowNull: false },
    });
  }

  /** After record `id` of `module` was inserted: one more in its department. */
  async added(module: Module, id: number, tx?: Transaction): Promise<void> {
    if (!module.scopeColumn) return;
    const q = (s: string) => this.db.quote(s);
    await this.db.insert({
      sql: `INSERT INTO ${q(COUNTS_TABLE)} (${q('module')}, ${q('scope')}, ${q('slot')}, ${q('n')})`
        + ` SELECT $1, COALESCE(${q(module.scopeColumn.column)}, ''), $2, 1 FROM ${q(module.table)} WHERE ${q('id')} = $3${this.addOnConflict()}`,
      params: [module.name, randomInt(SLOTS), id],
    }, tx);
  }

  /**
   * Runs `fn`, which may delete rows of `sets` or move them between departments, and applies the
   * difference of their per-department counts before and after. Each set must select the same
   * rows afterwards, less the deleted ones.
   */
  async around<T>(sets: readonly RowSet[], tx: Transaction | undefined, fn: () => Promise<T>): Promise<T> {
    const counted = sets.filter((s) => s.module.scopeColumn);
    const before: Map<string, number>[] = [];
    for (const set of counted) before.push(await this.byDepartment(set, tx));
    const result = await fn();
    for (const [i, set] of counted.entries()) {
      const after = await this.byDepartment(set, tx);
      const delta = new Map<string, number>();
      for (const [scope, n] of before[i]!) delta.set(scope, -n);
      for (const [scope, n] of after) delta.set(scope, (delta.get(scope) ?? 0) + n);
      await this.apply(set.module, delta, tx);
    }
    return result;
  }

  /** Every count of `module` from its rows: after a bulk load or a rebuilt `_scope`. */
  async rebuild(module: Module, tx?: Transaction): Promise<void> {
    if (!module.scopeColumn) return;
    const q = (s: string) => this.db.quote(s);
    await ScopeCounts.forget(this.db, module.name, tx);
    await this.db.insert({
      sql: `INSERT INTO ${q(COUNTS_TABLE)} (${q('module')}, ${q('scope')}, ${q('slot')}, ${q('n')})`
        + ` SELECT $1, COALESCE(${q(module.scopeColumn.column)}, ''), 0, COUNT(*) FROM ${q(module.table)}${live(this.db, module, 'WHERE')} GROUP BY 2`,
      params: [module.name],
    }, tx);
  }

  /** A dropped module leaves no counts for a later module of the same name. */
  static async forget(db: Database, module: string, tx?: Transaction): Promise<void> {
    await db.delete({ sql: `DELETE FROM ${db.quote(COUNTS_TABLE)} WHERE ${db.quote('module')} = $1`, params: [module] }, tx);
  }

  /**
   * The statement that counts the rows of `module` matching `where` from the maintained counts,
   * or undefined when `where` says more than which departments (then only a real COUNT knows):
   * TRUE, or `_scope` equal to or starting with codes, OR-ed.
   */
  static total(db: Database, module: Module, where: Condition): Compiled | undefined {
    const column = module.scopeColumn?.column;
    if (!column) return undefined;
    const terms = departmentTerms(module.softDelete ? withoutLive(where) : where, column);
    return terms === undefined ? undefined : sumOf(db, module, terms);
  }

  /**
   * At least as many as the rows of `module` that `where` selects, from the maintained counts:
   * the rows of the departments one of its top-level AND terms restricts to, else every row. For
   * planning (core/data/search-plan.ts), never for answers. Undefined without a `_scope` column.
   */
  static bound(db: Database, module: Module, where: Condition): Compiled | undefined {
    const column = module.scopeColumn?.column;
    if (!column) return undefined;
    const restricted = andTerms(where).map((item) => departmentTerms(item, column)).find((t) => t !== undefined && t !== 'all');
    return sumOf(db, module, restricted ?? 'all');
  }

  private async byDepartment(set: RowSet, tx?: Transaction): Promise<Map<string, number>> {
    const q = (s: string) => this.db.quote(s);
    const params: unknown[] = [];
    const rows = await this.db.all({
      sql: `SELECT COALESCE(${q(set.module.scopeColumn!.column)}, '') AS ${q('s')}, COUNT(*) AS ${q('n')} FROM ${q(set.module.table)}`
        + ` WHERE ${this.writer.rowsWhere(set.module, set.where, params)}${live(this.db, set.module, 'AND')} GROUP BY 1`,
      params,
    }, tx);
    return new Map(rows.map((r) => [String(r.s), Number(r.n)]));
  }

  private async apply(module: Module, delta: ReadonlyMap<string, number>, tx?: Transaction): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    // In key order, so that two writers lock count rows in the same order (no deadlock between them).
    const changes = [...delta].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (changes.length === 0) return;
    const params: unknown[] = [];
    const slot = randomInt(SLOTS);
    const rows = changes.map(([scope, n]) => {
      params.push(module.name, scope, slot, n);
      const at = params.length;
      return `($${at - 3}, $${at - 2}, $${at - 1}, $${at})`;
    });
    await this.db.insert({
      sql: `INSERT INTO ${q(COUNTS_TABLE)} (${q('module')}, ${q('scope')}, ${q('slot')}, ${q('n')}) VALUES ${rows.join(', ')}${this.addOnConflict(true)}`,
      params,
    }, tx);
  }

  /** Upsert: add to the row that exists. `byValue`: add the inserted row's n, else 1. */
  private addOnConflict(byValue = false): string {
    const n = this.db.quote('n');
    if (this.db.dialect.name === 'mysql') return ` ON DUPLICATE KEY UPDATE ${n} = ${n} + ${byValue ? `VALUES(${n})` : '1'}`;
    const key = ['module', 'scope', 'slot'].map((c) => this.db.quote(c)).join(', ');
    // SQLite: `INSERT … SELECT … WHERE x ON CONFLICT` parses (the WHERE ends the SELECT).
    return ` ON CONFLICT(${key}) DO UPDATE SET ${n} = ${n} + ${byValue ? `excluded.${n}` : '1'}`;
  }
}

/**
 * Soft-deleted rows (x-soft-delete) are not counted: soft delete and restore move a row out of
 * its department's count and back (write-records, through `around`), like a delete and a create.
 */
function live(db: Database, module: Module, keyword: 'WHERE' | 'AND'): string {
  return module.softDelete ? ` ${keyword} ${db.quote('deletedAt')} IS NULL` : '';
}

/**
 * A soft-delete module's visible rows are `deletedAt IS NULL` AND the department terms (visibleWhere);
 * the counts hold live rows only, so that term is what they already answer. Without it (the trash
 * list) the counts do not know: undefined.
 */
function withoutLive(where: Condition): Condition | undefined {
  const isLive = (c: Condition) => c.kind === 'compare' && c.target.refs.length === 0 && c.target.field === 'deletedAt' && c.op === 'isNull' && c.value === true;
  if (isLive(where)) return TRUE;
  if (where.kind !== 'and' || !where.items.some(isLive)) return undefined;
  const rest = where.items.filter((c) => !isLive(c));
  return rest.length === 1 ? rest[0]! : { kind: 'and', items: rest };
}

/** The SUM of the maintained counts of `module` in the departments of `terms` (or all). */
function sumOf(db: Database, module: Module, terms: DepartmentTerm[] | 'all'): Compiled {
  const q = (s: string) => db.quote(s);
  const params: unknown[] = [module.name];
  let sql = `SELECT COALESCE(SUM(${q('n')}), 0) AS ${q('total')} FROM ${q(COUNTS_TABLE)} WHERE ${q('module')} = $1`;
  if (terms !== 'all') {
    const parts = terms.map((t) => {
      params.push(t.op === 'eq' ? t.code : `${escapeLike(t.code)}%`);
      return t.op === 'eq' ? `${q('scope')} = $${params.length}` : `${q('scope')} LIKE $${params.length} ESCAPE '!'`;
    });
    sql += ` AND ${q('scope')} <> '' AND (${parts.join(' OR ')})`;
  }
  return { sql, params };
}

/** The items of nested ANDs, flattened: each must hold for a row to be selected. */
function andTerms(cond: Condition): Condition[] {
  return cond.kind === 'and' ? cond.items.flatMap(andTerms) : [cond];
}

type DepartmentTerm = { readonly op: 'eq' | 'startsWith'; readonly code: string };

/** `_scope = c` / `_scope LIKE 'c%'` terms OR-ed; 'all' for TRUE; undefined for anything else. */
function departmentTerms(cond: Condition | undefined, column: string): DepartmentTerm[] | 'all' | undefined {
  if (cond === undefined) return undefined;
  if (cond.kind === 'const') return cond.value ? 'all' : undefined;
  const items = cond.kind === 'or' ? cond.items : [cond];
  const terms: DepartmentTerm[] = [];
  for (const item of items) {
    if (item.kind !== 'compare' || item.target.refs.length > 0 || item.target.field !== column) return undefined;
    if ((item.op !== 'eq' && item.op !== 'startsWith') || typeof item.value !== 'string') return undefined;
    terms.push({ op: item.op, code: item.value });
  }
  return terms;
}
