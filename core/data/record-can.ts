import { compare, TRUE } from '../query/ast.js';
import type { Module } from '../schema/module.js';
import { notFound } from '../errors.js';
import type { DataContext } from './context.js';
import { grantedActions } from '../rules/access.js';
import { visibleWhere } from './visible.js';

/**
 * Whether the caller may update and delete one record they can read, asked in one statement
 * (each action's scope as a flag on the read). The UI offers what this says; the writes check
 * again. 404 when the record is not there or not theirs to see, as for a read.
 */
export async function recordCan(ctx: DataContext, module: Module, id: number): Promise<{ update: boolean; delete: boolean }> {
  ctx.access.require(module, 'read');
  const granted = grantedActions(ctx.access, module);
  const flag = (action: 'update' | 'delete') => ({ name: `_${action}`, when: granted.includes(action) ? visibleWhere(module, action, TRUE, ctx.access, ctx.graph) : { kind: 'const' as const, value: false } });
  const where = visibleWhere(module, 'read', compare('id', 'eq', id), ctx.access, ctx.graph);
  const rows = await ctx.readConfirming(ctx.compiler.select({ module: module.name, where, columns: [{ refs: [], field: 'id' }], flags: [flag('update'), flag('delete')], orderBy: [], limit: 1 }));
  const row = rows[0];
  if (!row) throw notFound(`${module.name} ${id}`);
  return { update: Number(row._update) === 1, delete: Number(row._delete) === 1 };
}
