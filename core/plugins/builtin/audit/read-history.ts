/**
 * `GET /api/data/<m>/<id>/history`: a record's entries, newest first, to whoever may read the
 * record (or, once it is soft-deleted, whoever may restore it), with the values of the fields
 * they may not read left out.
 */
import type { Transaction } from 'sequelize';
import { and, compare } from '../../../query/ast.js';
import { badRequest, notFound, type ErrorDetail } from '../../../errors.js';
import type { DataContext } from '../../../data/context.js';
import { decodeValue } from '../../../data/decode.js';
import { inScope } from '../../../data/read-records.js';
import { inTrash } from '../../../data/soft-delete.js';
import type { Module } from '../../../schema/module.js';
import { HISTORY, type Change, type Changes, type HistoryAction } from './entries.js';

export interface HistoryEntry {
  readonly id: number;
  /** The record's version after this change. */
  readonly version: number;
  readonly action: HistoryAction;
  readonly at: string;
  readonly user: { readonly id: number | null; readonly username: string | null };
  readonly changes: Changes;
  readonly revertedTo?: number;
}

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;

/** The record's history as the caller may see it, a page at a time. */
export async function readHistory(
  ctx: DataContext, module: Module, id: number, params: { page?: string | undefined; pageSize?: string | undefined },
): Promise<{ data: HistoryEntry[]; meta: { total: number; page: number; pageSize: number } }> {
  const page = whole(params.page, 1, Number.MAX_SAFE_INTEGER / MAX_PAGE_SIZE, '/page');
  const pageSize = whole(params.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, '/pageSize');
  await requireReadable(ctx, module, id);
  const all = await entriesOf(ctx, module, id);
  const newestFirst = all.reverse().slice((page - 1) * pageSize, page * pageSize);
  return { data: newestFirst.map((e) => shown(ctx, module, e)), meta: { total: all.length, page, pageSize } };
}

/**
 * The same visibility as the record: 404 when the caller may not read it. A soft-deleted record's
 * history is there for whoever sees it in their trash (`deleted=only`), who may restore it.
 */
export async function requireReadable(ctx: DataContext, module: Module, id: number, tx?: Transaction): Promise<void> {
  ctx.access.require(module, 'read');
  if (await inScope(ctx, module, id, 'read', tx)) return;
  if (await inTrash(ctx, module, id, tx)) return;
  throw notFound(`${module.name} ${id}`);
}

/**
 * Every entry of the record, oldest first, from its latest `create` on: a module dropped and
 * defined again numbers its records afresh, and the entries of the old record 7 are not the new
 * record 7's. The caller's access to the record has been checked; the entries are the engine's.
 */
export async function entriesOf(ctx: DataContext, module: Module, id: number, tx?: Transaction): Promise<HistoryEntry[]> {
  const history = ctx.graph.modules.get(HISTORY)!;
  const columns = ['id', 'recordVersion', 'action', 'at', 'userId', 'username', 'changes', 'revertedTo'].map((field) => ({ refs: [], field }));
  const rows = await ctx.db.all(ctx.compiler.select({
    module: HISTORY,
    where: and(compare('module', 'eq', module.name), compare('recordId', 'eq', id)),
    columns,
    orderBy: [{ target: { refs: [], field: 'id' }, desc: false }],
  }), tx);
  const value = (row: Record<string, unknown>, name: string) => decodeValue(history.fields.get(name)!, row[name]);
  const entries = rows.map((row): HistoryEntry => {
    const revertedTo = value(row, 'revertedTo');
    return {
      id: Number(row.id),
      version: Number(row.recordVersion),
      action: String(row.action) as HistoryAction,
      at: String(value(row, 'at')),
      user: { id: row.userId === null ? null : Number(row.userId), username: row.username === null ? null : String(row.username) },
      changes: (value(row, 'changes') ?? {}) as Changes,
      ...(typeof revertedTo === 'number' ? { revertedTo } : {}),
    };
  });
  const lastCreate = entries.map((e) => e.action).lastIndexOf('create');
  return lastCreate > 0 ? entries.slice(lastCreate) : entries;
}

/**
 * An entry as the caller may see it: the values of fields their permission's readFields leave out
 * are not shown, as in the record itself. A write-only field only ever says that it changed.
 */
function shown(ctx: DataContext, module: Module, entry: HistoryEntry): HistoryEntry {
  const changes: Record<string, Change> = {};
  for (const [name, change] of Object.entries(entry.changes)) {
    const field = module.fields.get(name);
    const relation = module.relations.get(name);
    const visible = field
      ? 'changed' in change || (!field.internal && ctx.access.canRead(module, field))
      : relation !== undefined && (ctx.access.canReadRelation?.(module, relation) ?? true);
    if (visible) changes[name] = change;
  }
  return { ...entry, changes };
}

function whole(text: string | undefined, fallback: number, max: number, path: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (/^\d{1,15}$/.test(text) && n >= 1 && n <= max) return n;
  const detail: ErrorDetail = { path, message: `must be a whole number from 1 to ${Math.floor(max)}` };
  throw badRequest('invalid_query', 'The history parameters are not valid; see details', [detail]);
}
