import type { Field, Module, ModuleGraph } from '../schema/module.js';
import type {
  AggregateQuery, Compiled, CompareOp, Condition, CountQuery, FieldRef, Operand, Scalar, SelectQuery,
} from './ast.js';
import { refKey } from './ast.js';
import type { Dialect } from './dialect.js';
import { searchGrams, TRIGRAMS_TABLE, UNSURE_GRAM } from './trigrams.js';

/** A compiler bug or a condition that names what the graph does not have: callers fail closed. */
export class CompileError extends Error {
  override name = 'CompileError';
}

/**
 * Compiles query ASTs to SQL and bound parameters. Pure: no database, no ORM, no request.
 * Values only ever become `$n` parameters; identifiers only come from the module graph.
 *
 * Logic is two-valued: a comparison with a missing value is false, and a negation is pushed
 * down to the leaves so that `not` of a comparison includes the rows where the value is NULL
 * (as Django's `exclude` does). The in-memory oracle (core/rules/oracle) follows the same rules.
 *
 * @example
 * compileSelect({ module: 'order', where: compare('salesman.department.code', 'startsWith', '0010'), ... })
 * // SELECT "t0"."id" AS "id", … FROM "order" AS "t0"
 * //   LEFT JOIN "salesman" AS "t1" ON "t1"."id" = "t0"."salesman"
 * //   LEFT JOIN "department" AS "t2" ON "t2"."id" = "t1"."department"
 * // WHERE "t2"."code" LIKE $1 ESCAPE '!'      params: ['0010%']
 */
export class QueryCompiler {
  constructor(
    private readonly graph: ModuleGraph,
    private readonly dialect: Dialect,
  ) {}

  select(query: SelectQuery): Compiled {
    const st = new Statement(this.graph, this.dialect);
    const root = st.scope(query.module);
    const columns = query.columns.map(
      (ref) => `${root.column(ref)} AS ${this.dialect.quote([...ref.refs, ref.field].join('.'))}`,
    );
    for (const flag of query.flags ?? []) {
      columns.push(`CASE WHEN ${st.condition(flag.when, root, false)} THEN 1 ELSE 0 END AS ${this.dialect.quote(flag.name)}`);
    }
    const where = st.condition(query.where, root, false);
    const order = query.orderBy.map((o) => `${st.guarded(root, o.target, o.guard)} ${o.desc ? 'DESC' : 'ASC'}`);
    let from = root.from();
    const table = `${this.dialect.quote(root.module.table)} AS ${this.dialect.quote(root.alias)}`;
    const forced = query.forceIndex && this.dialect.name === 'mysql' ? `${table} FORCE INDEX (${this.dialect.quote(query.forceIndex)})` : undefined;
    if (forced && query.deferred && query.limit !== undefined) {
      return this.deferredPage(query, st, root, columns, where, order, forced);
    }
    if (forced) from = from.replace(table, forced);
    let sql = `SELECT ${columns.join(', ')} FROM ${from} WHERE ${where}`;
    if (order.length > 0) sql += ` ORDER BY ${order.join(', ')}`;
    if (query.limit !== undefined) sql += ` LIMIT ${int(query.limit)}`;
    if (query.offset) {
      // Neither dialect takes OFFSET without LIMIT.
      if (query.limit === undefined) throw new CompileError('An offset needs a limit');
      sql += ` OFFSET ${int(query.offset)}`;
    }
    if (query.rowsExamined !== undefined) {
      // Only a walk in the sort order may stop early: a sorted read would answer a wrong page.
      if (!forced || query.limit === undefined) throw new CompileError('ROWS EXAMINED needs a forced index and a limit');
      sql += ` ROWS EXAMINED ${int(query.rowsExamined)}`;
    }
    return { sql, params: st.params };
  }

  /**
   * A page in two steps: the ids from the forced index alone (its entries hold the sort keys and
   * every column `where` reads, so rows the caller may not see are skipped without reading them),
   * then those rows; `where` is checked again on them.
   *
   * @example
   * // SELECT "t0"."id" AS "id", … FROM "order" AS "t0" WHERE "t0"."_scope" LIKE $1 ESCAPE '!'
   * //   AND "t0"."id" IN (SELECT "id" FROM (SELECT "t0"."id" AS "id" FROM "order" AS "t0" FORCE INDEX (…)
   * //   WHERE "t0"."_scope" LIKE $2 ESCAPE '!' ORDER BY … LIMIT 25) AS "k") ORDER BY … LIMIT 25
   */
  private deferredPage(
    query: SelectQuery, st: Statement, root: Scope, columns: readonly string[], where: string, order: readonly string[], forced: string,
  ): Compiled {
    const q = (s: string) => this.dialect.quote(s);
    const id = root.column({ refs: [], field: 'id' });
    const scope = new Scope(st, root.module, root.alias);
    const condition = st.condition(query.where, scope, false);
    const table = `${q(root.module.table)} AS ${q(root.alias)}`;
    let inner = `SELECT ${id} AS ${q('id')} FROM ${scope.from().replace(table, forced)} WHERE ${condition}`;
    if (order.length > 0) inner += ` ORDER BY ${order.join(', ')}`;
    inner += ` LIMIT ${int(query.limit!)}`;
    if (query.offset) inner += ` OFFSET ${int(query.offset)}`;
    let sql = `SELECT ${columns.join(', ')} FROM ${root.from()} WHERE ${where} AND ${id} IN (SELECT ${q('id')} FROM (${inner}) AS ${q('k')})`;
    if (order.length > 0) sql += ` ORDER BY ${order.join(', ')}`;
    sql += ` LIMIT ${int(query.limit!)}`;
    return { sql, params: st.params };
  }

  count(query: CountQuery): Compiled {
    const st = new Statement(this.graph, this.dialect);
    const root = st.scope(query.module);
    const where = st.condition(query.where, root, false);
    return { sql: `SELECT COUNT(*) AS ${this.dialect.quote('total')} FROM ${root.from()} WHERE ${where}`, params: st.params };
  }

  aggregate(query: AggregateQuery): Compiled {
    const st = new Statement(this.graph, this.dialect);
    const root = st.scope(query.module);
    const q = (s: string) => this.dialect.quote(s);
    const groups = query.groupBy.map((g) => {
      const column = st.guarded(root, g.target, g.guard);
      return g.bucket ? this.dialect.bucket(g.bucket, column) : column;
    });
    const metrics = query.metrics.map((m) => {
      if (m.fn === 'count') return 'COUNT(*)';
      const column = st.guarded(root, m.target!, m.guard);
      return m.fn === 'countDistinct' ? `COUNT(DISTINCT ${column})` : `${m.fn.toUpperCase()}(${column})`;
    });
    const where = st.condition(query.where, root, false);
    const select = [...groups.map((g, i) => `${g} AS ${q(`g${i}`)}`), ...metrics.map((m, i) => `${m} AS ${q(`m${i}`)}`)];
    let sql = `SELECT ${select.join(', ')} FROM ${root.from()} WHERE ${where}`;
    // By position: the expressions may hold parameters, which MySQL could not match between
    // clauses, and a name like "g0" would mean a column of that name if the table has one.
    const positions = groups.map((_, i) => String(i + 1)).join(', ');
    if (groups.length > 0) sql += ` GROUP BY ${positions} ORDER BY ${positions}`;
    sql += ` LIMIT ${int(query.limit)}`;
    return { sql, params: st.params };
  }

  /** A module of the graph, or a CompileError. */
  moduleOf(name: string): Module {
    return moduleOf(this.graph, name);
  }

  /** A condition alone, on `module` aliased `t0`: used by explain and tests. */
  condition(module: string, cond: Condition): Compiled & { joins: string } {
    const st = new Statement(this.graph, this.dialect);
    const root = st.scope(module);
    const sql = st.condition(cond, root, false);
    return { sql, params: st.params, joins: root.joinSql() };
  }
}

/** One SQL statement under construction: its parameters and its alias counter. */
class Statement {
  readonly params: unknown[] = [];
  private aliases = 0;

  constructor(
    readonly graph: ModuleGraph,
    readonly dialect: Dialect,
  ) {}

  scope(module: string): Scope {
    return new Scope(this, moduleOf(this.graph, module), this.alias());
  }

  alias(): string {
    return `t${this.aliases++}`;
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** A column, or `CASE WHEN guard THEN column END` so that it reads as NULL where the guard fails. */
  guarded(scope: Scope, ref: FieldRef, guard: Condition | undefined): string {
    const column = scope.column(ref);
    if (!guard || (guard.kind === 'const' && guard.value)) return column;
    const sql = `CASE WHEN ${this.condition(guard, scope, false)} THEN ${column} END`;
    // Text keeps its column's collation: a guarded name must group and sort as an unguarded one.
    const kind = scope.field(ref).kind;
    return kind === 'string' || kind === 'text' || kind === 'enum' ? this.dialect.textCollation(sql) : sql;
  }

  condition(cond: Condition, scope: Scope, negated: boolean): string {
    switch (cond.kind) {
      case 'const':
        return cond.value !== negated ? '1=1' : '1=0';
      case 'not':
        return this.condition(cond.item, scope, !negated);
      case 'and':
      case 'or': {
        if (cond.items.length === 0) return (cond.kind === 'and') !== negated ? '1=1' : '1=0';
        const joiner = (cond.kind === 'and') !== negated ? ' AND ' : ' OR ';
        const parts = cond.items.map((c) => this.condition(c, scope, negated));
        return parts.length === 1 ? parts[0]! : `(${parts.join(joiner)})`;
      }
      case 'compare': {
        const candidates = cond.index === 'trigram' && cond.op === 'contains' && !negated ? this.trigramCandidates(cond.target, cond.value, cond.gram, scope) : [];
        const plain = this.compare(scope.column(cond.target), scope.field(cond.target), cond.op, cond.value, negated);
        // The candidates first: they are cheaper to test than the LIKE when the rows are scanned anyway.
        return candidates.length === 0 ? plain : `(${[...candidates, plain].join(' AND ')})`;
      }
      case 'relation':
        return this.relation(cond, scope, negated);
    }
  }

  private compare(column: string, field: Field, op: CompareOp, operand: Operand, negated: boolean): string {
    const value = scalarOrList(operand);
    const orNull = (sql: string) => `(${sql} OR ${column} IS NULL)`;
    switch (op) {
      case 'isNull':
        return (value === true) !== negated ? `${column} IS NULL` : `${column} IS NOT NULL`;
      case 'eq':
      case 'ne': {
        const equal = (op === 'eq') !== negated;
        if (value === null) return equal ? `${column} IS NULL` : `${column} IS NOT NULL`;
        const p = this.param(value);
        return equal ? `${column} = ${p}` : orNull(`${column} <> ${p}`);
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const p = this.param(single(value, op));
        return negated ? orNull(`${column} ${COMPLEMENT[op]} ${p}`) : `${column} ${SYMBOL[op]} ${p}`;
      }
      case 'in':
      case 'nin': {
        const list = many(value, op);
        const inside = (op === 'in') !== negated;
        if (list.length === 0) return inside ? '1=0' : '1=1';
        const ps = list.map((v) => this.param(v)).join(', ');
        return inside ? `${column} IN (${ps})` : orNull(`${column} NOT IN (${ps})`);
      }
      case 'between': {
        const [lo, hi] = many(value, op);
        if (lo === undefined || hi === undefined) throw new CompileError('between needs two values');
        const range = `${this.param(lo)} AND ${this.param(hi)}`;
        return negated ? orNull(`${column} NOT BETWEEN ${range}`) : `${column} BETWEEN ${range}`;
      }
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        const text = escapeLike(String(single(value, op)));
        const pattern = op === 'contains' ? `%${text}%` : op === 'startsWith' ? `${text}%` : `%${text}`;
        if (field.kind !== 'string' && field.kind !== 'text' && field.kind !== 'enum') {
          throw new CompileError(`${op} applies to text fields only`);
        }
        const p = this.param(pattern);
        return negated ? orNull(`${column} NOT LIKE ${p} ESCAPE '!'`) : `${column} LIKE ${p} ESCAPE '!'`;
      }
    }
  }

  /**
   * `contains` narrowed by the trigram index (core/search): the ids posted under the search's
   * rarest gram, or under the unsure marker, and then the plain LIKE, which decides.
   *
   * @example
   * // q=artman on customer.name:
   * // ("t0"."id" IN (SELECT "id" FROM "_stratum_trigrams" WHERE "module" = $1 AND "field" = $2
   * //   AND "gram" IN ($3, $4)) AND "t0"."name" LIKE $5 ESCAPE '!')
   * // params: ['customer', 'name', 'rtm', '', '%artman%']
   */
  private trigramCandidates(target: FieldRef, value: Operand, planned: string | undefined, scope: Scope): string[] {
    const grams = planned !== undefined ? [planned] : typeof value === 'string' ? searchGrams(value) : [];
    const q = (s: string) => this.dialect.quote(s);
    const module = scope.moduleAt(target.refs).name;
    const id = `${q(scope.aliasFor(target.refs))}.${q('id')}`;
    return grams.map((gram) => {
      const where = `${q('module')} = ${this.param(module)} AND ${q('field')} = ${this.param(target.field)} AND ${q('gram')} IN (${this.param(gram)}, ${this.param(UNSURE_GRAM)})`;
      return `${id} IN (SELECT ${q('id')} FROM ${q(TRIGRAMS_TABLE)} WHERE ${where})`;
    });
  }

  private relation(cond: Extract<Condition, { kind: 'relation' }>, scope: Scope, negated: boolean): string {
    const owner = scope.aliasFor(cond.refs);
    const ownerModule = scope.moduleAt(cond.refs);
    const rel = ownerModule.relations.get(cond.relation);
    if (!rel) throw new CompileError(`${ownerModule.name} has no relation ${cond.relation}`);
    const q = (s: string) => this.dialect.quote(s);
    const inner = new Scope(this, moduleOf(this.graph, rel.target), this.alias());
    // every = no related record fails the condition; some/none = (no) related record passes it.
    const exists = cond.quantifier === 'some' ? !negated : negated;
    const whereNegated = cond.quantifier === 'every';
    const where = this.condition(cond.where, inner, whereNegated);
    let link: string;
    let from: string;
    if (rel.kind === 'one-to-many') {
      from = inner.from();
      link = `${q(inner.alias)}.${q(rel.via!)} = ${q(owner)}.${q('id')}`;
    } else {
      const j = this.alias();
      const jt = rel.junction!;
      from = `${q(jt.table)} AS ${q(j)} JOIN ${q(inner.module.table)} AS ${q(inner.alias)} ON ${q(inner.alias)}.${q('id')} = ${q(j)}.${q(jt.target)}${inner.joinSql()}`;
      link = `${q(j)}.${q(jt.source)} = ${q(owner)}.${q('id')}`;
    }
    const sub = `SELECT 1 FROM ${from} WHERE ${link} AND ${where}`;
    return exists ? `EXISTS (${sub})` : `NOT EXISTS (${sub})`;
  }
}

/** The FROM clause of one (sub)query: its module, alias and the many-to-one joins its paths need. */
class Scope {
  private readonly joins = new Map<string, { alias: string; module: Module; sql: string }>();

  constructor(
    private readonly st: Statement,
    readonly module: Module,
    readonly alias: string,
  ) {}

  from(): string {
    return `${this.st.dialect.quote(this.module.table)} AS ${this.st.dialect.quote(this.alias)}${this.joinSql()}`;
  }

  joinSql(): string {
    return [...this.joins.values()].map((j) => ` ${j.sql}`).join('');
  }

  moduleAt(refs: readonly string[]): Module {
    let module = this.module;
    for (const name of refs) module = moduleOf(this.st.graph, refField(module, name).ref!);
    return module;
  }

  /** The alias of the module reached by `refs`, adding LEFT JOINs as needed. */
  aliasFor(refs: readonly string[]): string {
    const q = (s: string) => this.st.dialect.quote(s);
    let alias = this.alias;
    let module = this.module;
    for (let i = 0; i < refs.length; i++) {
      const field = refField(module, refs[i]!);
      const key = refKey(refs.slice(0, i + 1));
      let join = this.joins.get(key);
      if (!join) {
        const target = moduleOf(this.st.graph, field.ref!);
        const next = this.st.alias();
        join = {
          alias: next,
          module: target,
          sql: `LEFT JOIN ${q(target.table)} AS ${q(next)} ON ${q(next)}.${q('id')} = ${q(alias)}.${q(field.column)}`,
        };
        this.joins.set(key, join);
      }
      alias = join.alias;
      module = join.module;
    }
    return alias;
  }

  field(ref: FieldRef): Field {
    const module = this.moduleAt(ref.refs);
    const field = module.fields.get(ref.field);
    if (!field) throw new CompileError(`${module.name} has no field ${ref.field}`);
    return field;
  }

  column(ref: FieldRef): string {
    const field = this.field(ref);
    return `${this.st.dialect.quote(this.aliasFor(ref.refs))}.${this.st.dialect.quote(field.column)}`;
  }
}

function moduleOf(graph: ModuleGraph, name: string): Module {
  const module = graph.modules.get(name);
  if (!module) throw new CompileError(`Unknown module ${name}`);
  return module;
}

function refField(module: Module, name: string): Field {
  const field = module.fields.get(name);
  if (!field || field.kind !== 'ref') throw new CompileError(`${module.name}.${name} is not a reference`);
  return field;
}

const SYMBOL = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const COMPLEMENT = { gt: '<=', gte: '<', lt: '>=', lte: '>' } as const;

function scalarOrList(operand: Operand): Scalar | readonly Scalar[] {
  const check = (v: unknown): Scalar => {
    if (v !== null && typeof v === 'object') throw new CompileError('Unresolved variable in condition');
    return v as Scalar;
  };
  return Array.isArray(operand) ? operand.map(check) : check(operand);
}

function single(value: Scalar | readonly Scalar[], op: string): Scalar {
  if (Array.isArray(value) || value === null) throw new CompileError(`${op} needs one value`);
  return value as Scalar;
}

function many(value: Scalar | readonly Scalar[], op: string): readonly Scalar[] {
  if (!Array.isArray(value)) throw new CompileError(`${op} needs a list`);
  return value;
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new CompileError(`Bad limit or offset ${n}`);
  return String(n);
};

/** LIKE with `!` as the escape character: the same on MySQL and SQLite, no backslash rules. */
export const escapeLike = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);
