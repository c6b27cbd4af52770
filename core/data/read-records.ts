import type { Condition, FieldRef } from '../query/ast.js';
import { and, compare, refKey, shiftParams, TRUE } from '../query/ast.js';
import { parseFilterParam } from '../query/parse-filter.js';
import { parseAggregate } from '../query/parse-aggregate.js';
import { parseFields, parseList, parseSearch, type ListParams } from '../query/parse-list.js';
import { badRequest, notFound, type ErrorDetail } from '../errors.js';
import type { Field, Module } from '../schema/module.js';
import type { Row } from '../db/database.js';
import type { DataContext } from './context.js';
import { decodeRow, decodeSum, decodeValue } from './decode.js';
import { moduleAt, pathVisible, visibleWhere } from './visible.js';
import { ScopeCounts } from './scope-counts.js';
import { listedWhere } from './listed-where.js';
import { resolveVariables } from '../query/variables.js';
import { after, decodeCursor, encodeCursor } from '../query/keyset.js';
import type { OrderBy, Scalar, SelectQuery } from '../query/ast.js';
import { checkFilterFields } from './filter-fields.js';
import { indexName } from '../db/ddl.js';
import { planSearch, planSearchedPage, type PageWalk } from './search-plan.js';
import type { Action } from '../rules/access.js';

export interface ListResult {
  data: Record<string, unknown>[];
  meta: {
    total: number | null;
    page: number;
    pageSize: number;
    /** With total=capped: the true total is larger than `total`. */
    totalCapped?: boolean;
    /** With total=estimated: `total` is the database's estimate. */
    totalEstimated?: boolean;
    /** With `after=` (keyset paging): the cursor of the page after this one, or null at the end. */
    next?: string | null;
  };
}

const TOTALS = ['exact', 'capped', 'estimated', 'none'] as const;
export const DEFAULT_TOTAL_CAP = 10_000;

/** `GET /api/data/<m>`: a page of the records the caller may read, and their total. */
export async function listRecords(ctx: DataContext, module: Module, params: ListParams): Promise<ListResult> {
  ctx.access.require(module, 'read');
  const req = parseList(params, module, ctx.graph, ctx.access);
  checkFilterFields(ctx.access, module, req.where, params.sort ? req.orderBy.map((o) => o.target) : []);
  const paging = listPaging(params, req.orderBy, req.page, module);
  // `deleted=only`: the soft-deleted records the caller may restore, instead of the live ones.
  const listed = listedWhere(ctx, module, req.where, params.deleted);
  const trash = listed.trash;
  // Only a live first page by id may walk (byIdWalk); any other list is planned without asking.
  const walkable = !trash && !params.after && req.page === 1 && byIdOnly(req.orderBy) && await ctx.db.boundsRowsExamined();
  const planned = walkable ? await planSearchedPage(ctx.db, module, listed.where, req.pageSize) : { where: await planSearch(ctx.db, module, listed.where) };
  const where = planned.where;
  // Sort values travel with each row (for the next cursor) even when `fields` leaves them out.
  const keys = paging.keyset ? req.orderBy.map((o) => o.target).filter((t) => !req.columns.some((c) => c.refs.length === 0 && c.field === t.field)) : [];
  const select = {
    module: module.name,
    where: paging.after ? and(where, paging.after) : where,
    columns: [...req.columns, ...keys],
    flags: embedFlags(ctx, module, req.columns),
    orderBy: req.orderBy.map((o) => ({ ...o, ...relatedGuard(ctx, module, o.target) })),
    limit: req.pageSize,
    offset: params.after ? 0 : (req.page - 1) * req.pageSize,
    ...(trash ? {} : pageIndex(ctx, module, req.where, where, req.orderBy)),
  };
  const compiled = ctx.compiler.select(select);
  const walk = planned.walk;
  const page = async () => {
    if (walk) {
      const walked = await ctx.readConfirming(ctx.compiler.select(byIdWalk(select, walk)));
      if (walked.length === req.pageSize) return walked;
    }
    return ctx.readConfirming(compiled);
  };
  const [rows, total] = await Promise.all([page(), countRows(ctx, module, where, paging)]);
  const data = await shape(ctx, module, rows, req.columns, req.relations);
  const meta: ListResult['meta'] = { total: total.total, page: req.page, pageSize: req.pageSize, ...total.flags };
  if (paging.keyset && params.after !== undefined) {
    const last = rows[rows.length - 1];
    meta.next = rows.length === req.pageSize && last
      ? encodeCursor(req.orderBy.map((o) => decodeValue(fieldOf(ctx, module, o.target), last[o.target.field]) as Scalar))
      : null;
  }
  return { data, meta };
}

/** Whether a list is sorted by the record's id alone: the primary key, walkable in that order. */
function byIdOnly(orderBy: readonly OrderBy[]): boolean {
  const [first, ...rest] = orderBy;
  return first !== undefined && rest.length === 0 && first.target.refs.length === 0 && first.target.field === 'id';
}

/**
 * A first page sorted by id alone, whose search the planner expects to meet sooner by walking the
 * primary key than by reading the postings (core/data/search-plan.ts): the same page with the
 * plain LIKE, walking the key and stopping after `rowsExamined` rows (MariaDB). Its page, when
 * full, is the true page: every match before its last row was walked past.
 */
function byIdWalk(page: SelectQuery, walk: PageWalk): SelectQuery {
  return { module: page.module, where: walk.where, columns: page.columns, flags: page.flags, orderBy: page.orderBy, limit: page.limit, forceIndex: 'PRIMARY', rowsExamined: walk.rowsExamined };
}

/**
 * The default page under a department prefix (`_scope LIKE '0010%'`, a large share of the rows):
 * walking `(sort, id, _scope)` in order and stopping at the page size beats sorting the whole
 * prefix range, but MySQL's planner prefers the range. So the engine names the index — only for
 * an unfiltered page in the module's own sort order, where the walk is known to be short.
 */
function pageIndex(ctx: DataContext, module: Module, own: Condition, where: Condition, orderBy: readonly OrderBy[]): { forceIndex?: string; deferred?: boolean } {
  const column = module.scopeColumn?.column;
  if (ctx.db.dialect.name !== 'mysql' || !column || !(own.kind === 'const' && own.value)) return {};
  const sort = module.list.sort.split(',')[0]!.replace(/^-/, '');
  const [first, second] = orderBy;
  const inOrder = orderBy.length === 2 && first!.target.refs.length === 0 && first!.target.field === sort
    && second!.target.refs.length === 0 && second!.target.field === 'id' && first!.desc === second!.desc;
  if (!inOrder || !hasPrefix(where, column)) return {};
  const name = indexName(module.table, [sort, 'id', column], 'ix');
  if (!module.indexes.some((ix) => ix.join(',') === [sort, 'id', column].join(','))) return {};
  // The index holds the sort, the id and `_scope`: when the condition reads nothing else, the page's
  // ids come from it alone, and rows the caller may not see cost no row reads (docs/PERFORMANCE.md).
  return { forceIndex: name, deferred: readsOnly(where, column) };
}

/** Whether `cond` reads no column but `column` of the module itself. */
function readsOnly(cond: Condition, column: string): boolean {
  switch (cond.kind) {
    case 'const':
      return true;
    case 'compare':
      return cond.target.refs.length === 0 && cond.target.field === column;
    case 'and':
    case 'or':
      return cond.items.every((c) => readsOnly(c, column));
    case 'not':
      return readsOnly(cond.item, column);
    default:
      return false;
  }
}

function hasPrefix(cond: Condition, column: string): boolean {
  switch (cond.kind) {
    case 'compare':
      return cond.target.refs.length === 0 && cond.target.field === column && cond.op === 'startsWith';
    case 'and':
    case 'or':
      return cond.items.some((c) => hasPrefix(c, column));
    default:
      return false;
  }
}

interface Paging {
  readonly total: (typeof TOTALS)[number];
  readonly cap: number;
  /** Whether meta.next cursors can be given: every sort key is a field of the module itself. */
  readonly keyset: boolean;
  readonly after?: Condition;
}

function listPaging(params: ListParams, orderBy: readonly OrderBy[], page: number, module: Module): Paging {
  const details: { path: string; message: string }[] = [];
  const total = (params.total ?? 'exact') as Paging['total'];
  if (!TOTALS.includes(total)) details.push({ path: '/total', message: `must be one of ${TOTALS.join(', ')}` });
  const cap = params.totalCap === undefined ? DEFAULT_TOTAL_CAP : Number(params.totalCap);
  if (!/^\d{1,7}$/.test(params.totalCap ?? '1') || cap < 1 || cap > 1_000_000) details.push({ path: '/totalCap', message: 'must be a whole number from 1 to 1000000' });
  const keyset = orderBy.every((o) => o.target.refs.length === 0);
  if (params.after !== undefined && !keyset) details.push({ path: '/after', message: 'keyset paging needs a sort on fields of the module itself' });
  if (params.after && page !== 1) details.push({ path: '/page', message: 'give either page or after, not both' });
  if (details.length > 0) throw badRequest('invalid_query', 'The list parameters are not valid; see details', details);
  return {
    total: TOTALS.includes(total) ? total : 'exact',
    cap,
    keyset,
    // `after=` (empty) starts keyset paging: the first page, with a cursor to the next.
    ...(params.after ? { after: after(orderBy, decodeCursor(params.after, orderBy, module)) } : {}),
  };
}

/**
 * The list's `total`, by the strategy asked for: an exact COUNT (the default), a count that stops
 * at the cap (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`), the database's own estimate, or none.
 */
async function countRows(ctx: DataContext, module: Module, where: Condition, paging: Paging): Promise<{ total: number | null; flags: Partial<ListResult['meta']> }> {
  if (paging.total === 'none') return { total: null, flags: {} };
  const exact = ctx.compiler.count({ module: module.name, where });
  if (paging.total === 'exact') {
    // Only which departments, or nothing at all: the maintained counts know (ScopeCounts).
    const statement = ScopeCounts.total(ctx.db, module, where) ?? exact;
    return { total: Number((await ctx.db.all(statement))[0]?.total ?? 0), flags: {} };
  }
  if (paging.total === 'estimated' && ctx.db.dialect.name === 'mysql') {
    const plan = await ctx.db.all({ sql: `EXPLAIN ${exact.sql}`, params: exact.params });
    // The rows the top-level join reads, table after table: the driving table's estimate times
    // each join's fan-out (1 for a lookup by id). The driving table is not always t0: a search
    // through the trigram index (core/search) drives from its materialized candidates.
    const top = plan.filter((r) => Number(r.id) === 1);
    const total = top.length === 0 ? 0 : top.reduce((n, r) => n * Math.max(1, Number(r.rows ?? 1)), 1);
    return { total: Math.round(total), flags: { totalEstimated: true } };
  }
  // Capped (and SQLite's "estimate", which it cannot make): count at most cap + 1 rows.
  const ids = ctx.compiler.select({ module: module.name, where, columns: [{ refs: [], field: 'id' }], orderBy: [], limit: paging.cap + 1 });
  const rows = await ctx.db.all({ sql: `SELECT COUNT(*) AS ${ctx.db.quote('total')} FROM (${ids.sql}) AS ${ctx.db.quote('c')}`, params: ids.params });
  const n = Number(rows[0]?.total ?? 0);
  return { total: Math.min(n, paging.cap), flags: { totalCapped: n > paging.cap } };
}

/** `GET /api/data/<m>/<id>`: one record, or 404 when it does not exist or the caller may not read it. */
export async function getRecord(ctx: DataContext, module: Module, id: number, fields?: string, action: Action = 'read'): Promise<Record<string, unknown>> {
  ctx.access.require(module, action);
  const details: { path: string; message: string }[] = [];
  const { columns, relations } = parseFields(fields, module, ctx.graph, ctx.access, details);
  if (details.length > 0) throw badRequest('invalid_query', 'The fields parameter is not valid', details);
  const where = visibleWhere(module, action, compare('id', 'eq', id), ctx.access, ctx.graph);
  const rows = await ctx.readConfirming(ctx.compiler.select({ module: module.name, where, columns, flags: embedFlags(ctx, module, columns), orderBy: [], limit: 1 }));
  if (rows.length === 0) throw notFound(`${module.name} ${id}`);
  return (await shape(ctx, module, rows, columns, relations))[0]!;
}

/**
 * After a create or update, inside its transaction: in ONE statement, whether the caller's scope
 * for `action` still holds record `id` (else the write is refused and rolled back) and the record
 * as the caller reads it — the reply, without a second read after the commit. `record` is
 * undefined when the caller may write the record but not read it (the reply is then 404).
 */
export async function readWritten(
  ctx: DataContext, module: Module, id: number, action: Action, tx: import('sequelize').Transaction,
): Promise<{ allowed: boolean; record?: Record<string, unknown> }> {
  const { columns, relations } = parseFields(undefined, module, ctx.graph, ctx.access, []);
  const flags = [
    { name: '_allowed', when: visibleWhere(module, action, TRUE, ctx.access, ctx.graph) },
    { name: '_readable', when: visibleWhere(module, 'read', TRUE, ctx.access, ctx.graph) },
  ];
  const rows = await ctx.db.all(ctx.compiler.select({ module: module.name, where: compare('id', 'eq', id), columns, flags, orderBy: [], limit: 1 }), tx);
  const row = rows[0];
  if (!row || Number(row._allowed) !== 1) return { allowed: false };
  if (Number(row._readable) !== 1) return { allowed: true };
  return { allowed: true, record: (await shape(ctx, module, rows, columns, relations, tx))[0]! };
}

/** Whether the caller's scope for `action` holds record `id` (used after writes). */
export async function inScope(ctx: DataContext, module: Module, id: number, action: Action, tx?: import('sequelize').Transaction): Promise<boolean> {
  const where = visibleWhere(module, action, compare('id', 'eq', id), ctx.access, ctx.graph);
  const rows = await ctx.db.all(ctx.compiler.select({ module: module.name, where, columns: [{ refs: [], field: 'id' }], orderBy: [], limit: 1 }), tx);
  return rows.length > 0;
}

/** `GET /api/data/<m>/aggregate`: grouped metrics over the records the caller may read. */
export async function aggregateRecords(
  ctx: DataContext,
  module: Module,
  params: { filter?: string | undefined; q?: string | undefined; groupBy?: string | undefined; metrics?: string | undefined; limit?: string | undefined },
): Promise<{ data: Record<string, unknown>[] }> {
  ctx.access.require(module, 'read');
  // `q` as in a list, so that counts per group add up to the list's total (the navigation counts beside a list).
  const searchErrors: ErrorDetail[] = [];
  const own = and(parseFilterParam(params.filter, module, ctx.graph, ctx.access), parseSearch(params.q, module, ctx.graph, ctx.access, searchErrors));
  if (searchErrors.length > 0) throw badRequest('invalid_aggregate', 'The aggregate parameters are not valid; see details', searchErrors);
  const query = parseAggregate(params, own, module, ctx.graph, ctx.access);
  checkFilterFields(ctx.access, module, own, query.groupBy.map((g) => g.target));
  const where = await planSearch(ctx.db, module, visibleWhere(module, 'read', own, ctx.access, ctx.graph));
  // A group key or metric read through a reference the caller may not see counts as NULL.
  const rows = await ctx.db.all(ctx.compiler.aggregate({
    ...query,
    where,
    groupBy: query.groupBy.map((g) => ({ ...g, ...relatedGuard(ctx, module, g.target) })),
    metrics: query.metrics.map((m) => (m.target ? { ...m, ...relatedGuard(ctx, module, m.target) } : m)),
  }));
  return {
    data: rows.map((row) => {
      const out: Record<string, unknown> = {};
      query.groupBy.forEach((g, i) => {
        const value = row[`g${i}`];
        out[g.name] = g.bucket ? (value === null ? null : String(value)) : decodeValue(fieldOf(ctx, module, g.target), value);
      });
      query.metrics.forEach((m, i) => {
        const value = row[`m${i}`];
        const numeric = m.fn === 'count' || m.fn === 'countDistinct' || m.fn === 'sum' || m.fn === 'avg';
        out[m.name] = value === null || value === undefined ? (m.fn === 'count' || m.fn === 'countDistinct' ? 0 : null)
          // test/api (aggregate): sums and averages rounded alike on both dialects, see decodeSum.
          : m.fn === 'sum' || m.fn === 'avg' ? decodeSum(m.fn, fieldOf(ctx, module, m.target!), value)
          : numeric ? Number(value) : decodeValue(fieldOf(ctx, module, m.target!), value);
      });
      return out;
    }),
  };
}

/** For a value read through references: the condition under which those related records are visible. */
function relatedGuard(ctx: DataContext, module: Module, ref: FieldRef): { guard?: Condition } {
  if (ref.refs.length === 0) return {};
  return { guard: resolveVariables(pathVisible(ref.refs, module, ctx.access, ctx.graph), module.name, ctx.graph, ctx.access.variables) };
}

export function fieldOf(ctx: DataContext, module: Module, ref: FieldRef): Field {
  return moduleAt(module, ref.refs, ctx.graph).fields.get(ref.field)!;
}

/** One 0/1 column per embedded reference: is the record there readable by the caller? */
function embedFlags(ctx: DataContext, module: Module, columns: readonly FieldRef[]): { name: string; when: Condition }[] {
  const prefixes = new Map<string, readonly string[]>();
  for (const c of columns) for (let i = 1; i <= c.refs.length; i++) prefixes.set(refKey(c.refs.slice(0, i)), c.refs.slice(0, i));
  return [...prefixes].map(([key, refs]) => ({
    name: `${key}._visible`,
    when: resolveVariables(pathVisible(refs, module, ctx.access, ctx.graph), module.name, ctx.graph, ctx.access.variables),
  }));
}

async function shape(ctx: DataContext, module: Module, rows: Row[], columns: readonly FieldRef[], relations: readonly string[], tx?: import('sequelize').Transaction) {
  const hidden = (row: Row) => {
    // Embedded records the caller may not read are shown as absent.
    const copy = { ...row };
    for (const key of Object.keys(row)) {
      if (!key.endsWith('._visible') || Number(row[key]) === 1) continue;
      const prefixKey = key.slice(0, -'._visible'.length);
      for (const k of Object.keys(copy)) if (k.startsWith(`${prefixKey}.`)) copy[k] = null;
    }
    return copy;
  };
  // Only embedded records carry a `._visible` flag (embedFlags).
  const embeds = columns.some((c) => c.refs.length > 0);
  const data = rows.map((r) => decodeRow(embeds ? hidden(r) : r, columns, (ref) => fieldOf(ctx, module, ref)));
  for (const name of relations) await attachManyToMany(ctx, module, name, data, tx);
  return data;
}

/** Many-to-many ids for a page of records: one query per relation, only related records the caller may read. */
async function attachManyToMany(ctx: DataContext, module: Module, name: string, data: Record<string, unknown>[], tx?: import('sequelize').Transaction) {
  const rel = module.relations.get(name)!;
  const ids = data.map((d) => d.id as number);
  for (const d of data) d[name] = [];
  if (ids.length === 0) return;
  const target = ctx.graph.modules.get(rel.target)!;
  const q = (s: string) => ctx.db.quote(s);
  const visible = visibleWhere(target, 'read', and(), ctx.access, ctx.graph);
  const sub = ctx.compiler.select({ module: target.name, where: visible, columns: [{ refs: [], field: 'id' }], orderBy: [] });
  const offset = ids.length;
  const sql = `SELECT ${q('source')} AS ${q('s')}, ${q('target')} AS ${q('t')} FROM ${q(rel.junction!.table)} WHERE ${q('source')} IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) AND ${q('target')} IN (${shiftParams(sub.sql, offset)}) ORDER BY ${q('target')}`;
  const rows = await ctx.db.all({ sql, params: [...ids, ...sub.params] }, tx);
  const byId = new Map(data.map((d) => [d.id as number, d[name] as number[]]));
  for (const r of rows) byId.get(Number(r.s))?.push(Number(r.t));
}
