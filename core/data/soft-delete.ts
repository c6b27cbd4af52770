import type { Transaction } from 'sequelize';
import { and, compare, type Condition } from '../query/ast.js';
import { storedDateTime } from '../query/values.js';
import { conflict, forbidden, HttpError, notFound } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import type { Written } from './write-hooks.js';
import { inScope, readWritten } from './read-records.js';
import { ScopeCounts } from './scope-counts.js';
import { visibleWhere, type Lifecycle } from './visible.js';
import { listedWhere, requireSoftDelete } from './listed-where.js';

/**
 * Soft delete (`"x-soft-delete": true`): DELETE sets `deletedAt`/`deletedBy` and every read path
 * hides the record (visibleWhere adds `deletedAt IS NULL`); `POST …/<id>/restore` brings it back;
 * `DELETE …/<id>?purge=true` removes a deleted record for good. Nothing is removed by a soft
 * delete, so references to the record are not refused and do not cascade; they show the record
 * as absent, as they show one the caller may not read. The maintained department counts hold
 * live records only: a soft delete takes the record off them and a restore puts it back.
 */

/** In deleteRecord's transaction, once the record is known to be live and in the caller's delete scope. */
export async function markDeleted(ctx: DataContext, module: Module, id: number, guard: Condition, tx: Transaction): Promise<void> {
  const now = storedDateTime(new Date());
  const actor = ctx.access.actor.id;
  const statement = ctx.writer.update(module, id, { deletedAt: now, deletedBy: actor, updatedAt: now, updatedBy: actor }, { guard });
  const changed = await moveCount(ctx, module, id, tx, () => ctx.db.update(statement, tx));
  if (changed === 0) throw notFound(`${module.name} ${id}`);
}

/**
 * `POST /api/data/<m>/<id>/restore`: a soft-deleted record is live again. Needs the delete
 * permission and the record in the caller's delete scope (who may delete it may undo that).
 * A restore cannot break a unique value: a deleted record keeps blocking its values.
 */
export async function restoreRecord(ctx: DataContext, module: Module, id: number, outer?: Transaction): Promise<Record<string, unknown>> {
  requireSoftDelete(module);
  ctx.access.require(module, 'delete');
  // Plugins' afterRestore hooks (the audit history) see the record once it is live again.
  const written = ctx.hooks?.wraps(module, 'restore')
    ? await ctx.hooks.restore(ctx, module, id, outer, (bound) => restoreRow(bound, module, id))
    : await restoreRow(ctx, module, id, outer);
  if (!written.record) throw notFound(`${module.name} ${id}`);
  return written.record;
}

async function restoreRow(ctx: DataContext, module: Module, id: number, outer?: Transaction): Promise<Written> {
  const guard = visibleWhere(module, 'delete', and(), ctx.access, ctx.graph, 'deleted');
  return ctx.db.transaction(async (tx) => {
    if (!(await inLifecycleScope(ctx, module, id, 'delete', 'deleted', tx))) throw await whyNotDeleted(ctx, module, id, 'restore', tx);
    const now = storedDateTime(new Date());
    const actor = ctx.access.actor.id;
    const statement = ctx.writer.update(module, id, { deletedAt: null, deletedBy: null, updatedAt: now, updatedBy: actor }, { guard });
    const changed = await moveCount(ctx, module, id, tx, () => ctx.db.update(statement, tx));
    if (changed === 0) throw notFound(`${module.name} ${id}`);
    return { id, record: (await readWritten(ctx, module, id, 'delete', tx)).record };
  }, outer);
}

/**
 * `DELETE …/<id>?purge=true`: the checks before a soft-deleted record is removed for good (the
 * removal itself is deleteRecord's). Admins only: it destroys what a soft delete keeps. Purging a
 * live record is refused, so that a purge is always a second, deliberate step.
 */
export async function checkPurge(ctx: DataContext, module: Module, id: number, tx: Transaction): Promise<void> {
  requireSoftDelete(module);
  if (!ctx.access.actor.isAdmin) throw forbidden(`${module.name}:purge`, 'Only admins may purge deleted records; nothing was deleted');
  if (!(await inLifecycleScope(ctx, module, id, 'delete', 'deleted', tx))) throw await whyNotDeleted(ctx, module, id, 'purge', tx);
}

/** Whether record `id` is in the caller's trash: deleted, and in both their read and delete scope (see listedWhere). */
export async function inTrash(ctx: DataContext, module: Module, id: number, tx?: Transaction): Promise<boolean> {
  if (!module.softDelete) return false;
  try {
    ctx.access.require(module, 'delete');
  } catch (e) {
    if (e instanceof HttpError) return false;
    throw e;
  }
  const { where } = listedWhere(ctx, module, compare('id', 'eq', id), 'only');
  const rows = await ctx.db.all(ctx.compiler.select({ module: module.name, where, columns: [{ refs: [], field: 'id' }], orderBy: [], limit: 1 }), tx);
  return rows.length > 0;
}

async function inLifecycleScope(ctx: DataContext, module: Module, id: number, action: 'read' | 'delete', lifecycle: Lifecycle, tx: Transaction): Promise<boolean> {
  const where = visibleWhere(module, action, compare('id', 'eq', id), ctx.access, ctx.graph, lifecycle);
  const rows = await ctx.db.all(ctx.compiler.select({ module: module.name, where, columns: [{ refs: [], field: 'id' }], orderBy: [], limit: 1 }), tx);
  return rows.length > 0;
}

/** Why a restore or purge found no deleted record in the caller's delete scope: live (409), not theirs (403), or none they can see (404). */
async function whyNotDeleted(ctx: DataContext, module: Module, id: number, what: 'restore' | 'purge', tx: Transaction): Promise<HttpError> {
  if (await inScope(ctx, module, id, 'read', tx)) {
    return conflict('not_deleted', what === 'restore'
      ? `This ${module.name} is not deleted; there is nothing to restore`
      : `This ${module.name} is not deleted; delete it first (DELETE without purge), then purge it`);
  }
  if (await inLifecycleScope(ctx, module, id, 'read', 'deleted', tx)) {
    return forbidden(`${module.name}:delete`, `You may see this deleted ${module.name} but not ${what} it; nothing was changed`);
  }
  return notFound(`${module.name} ${id}`);
}

/** A soft delete or restore moves the record out of its department's maintained count, or back. */
function moveCount<T>(ctx: DataContext, module: Module, id: number, tx: Transaction, fn: () => Promise<T>): Promise<T> {
  return new ScopeCounts(ctx.db, ctx.writer).around([{ module, where: compare('id', 'eq', id) }], tx, fn);
}
