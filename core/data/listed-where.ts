/**
 * Which records a list reaches: the live ones, or, for a module with x-soft-delete, the trash.
 * Apart from soft-delete.ts so that the reads (read-records.ts) and the soft delete, which reads
 * back what it writes, do not import each other.
 */
import { and, type Condition } from '../query/ast.js';
import { badRequest } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import { visibleWhere } from './visible.js';

/**
 * The list's condition: the live records the caller may read, or with `deleted=only` the deleted
 * ones they may both read and restore (the delete permission and scope): the trash.
 */
export function listedWhere(ctx: DataContext, module: Module, own: Condition, deleted: string | undefined): { where: Condition; trash: boolean } {
  if (deleted === undefined || deleted === '' || deleted === 'none') return { where: visibleWhere(module, 'read', own, ctx.access, ctx.graph), trash: false };
  if (deleted !== 'only') throw badRequest('invalid_query', 'The list parameters are not valid; see details', [{ path: '/deleted', message: 'must be "only" (the deleted records) or left out' }]);
  requireSoftDelete(module);
  ctx.access.require(module, 'delete');
  const where = and(
    visibleWhere(module, 'read', own, ctx.access, ctx.graph, 'deleted'),
    visibleWhere(module, 'delete', and(), ctx.access, ctx.graph, 'deleted'),
  );
  return { where, trash: true };
}

/** 400 `soft_delete_off` for a module without x-soft-delete: its deleted records are gone. */
export function requireSoftDelete(module: Module): void {
  if (!module.softDelete) {
    throw badRequest('soft_delete_off', `${module.name} has no soft delete: its deleted records are gone; set "x-soft-delete": true on the module to keep them`);
  }
}
