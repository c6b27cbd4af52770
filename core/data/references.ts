import type { Transaction } from 'sequelize';
import { conflict, type HttpError } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';

/**
 * A record that others reference through an `x-on-delete: restrict` reference (the default)
 * cannot be deleted: 409 naming the referencing module and how many records point at it.
 * Cascades and set-null are left to the database's foreign keys.
 */
export async function refusedByReferences(ctx: DataContext, module: Module, id: number, tx: Transaction): Promise<HttpError | undefined> {
  const q = (s: string) => ctx.db.quote(s);
  for (const other of ctx.graph.modules.values()) {
    for (const field of other.fields.values()) {
      if (field.kind !== 'ref' || field.ref !== module.name || field.onDelete !== 'restrict') continue;
      const rows = await ctx.db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(other.table)} WHERE ${q(field.column)} = $1`, params: [id] }, tx);
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) {
        return conflict('referenced', `${n} ${other.name} record${n === 1 ? '' : 's'} still reference${n === 1 ? 's' : ''} this ${module.name} (field ${field.name}); delete or change them first. Nothing was deleted.`, {
          references: [{ module: other.name, field: field.name, count: n }],
        });
      }
    }
  }
  return undefined;
}
