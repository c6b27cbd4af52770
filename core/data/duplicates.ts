import { and, compare } from '../query/ast.js';
import { conflict, type HttpError } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import { toStored } from '../query/values.js';

/**
 * A duplicate names the existing record and who owns it, so that the person entering
 * it can tell the owner. The owner is the module's `x-owner` reference to a user, else its creator.
 * This lookup ignores visibility on purpose: the scenario requires naming an owner one may not see.
 */
export async function duplicateError(ctx: DataContext, module: Module, body: Record<string, unknown>, id?: number): Promise<HttpError | undefined> {
  // test/api (duplicates): the values the record would have, not only those sent. A patch may send
  // one field of a composite x-unique (the others are stored); a create may leave one to its default.
  const values = await effectiveValues(ctx, module, body, id);
  for (const set of module.uniques) {
    if (!set.every((name) => values[name] !== undefined && values[name] !== null)) continue;
    const where = and(...set.map((name) => {
      const stored = toStored(module.fields.get(name)!, values[name]);
      return compare(name, 'eq', 'value' in stored ? stored.value : null);
    }), ...(id === undefined ? [] : [compare('id', 'ne', id)]));
    // ^ An update's own stored values (of a unique set it did not send) match the record itself: not a duplicate of anything.
    const ownerField = typeof module.definition['x-owner'] === 'string' ? String(module.definition['x-owner']) : 'createdBy';
    // x-soft-delete: a deleted record keeps its unique values (so that it can always be restored).
    const deleted = module.softDelete ? [{ refs: [], field: 'deletedAt' }] : [];
    const rows = await ctx.db.all(ctx.compiler.select({
      module: module.name, where, columns: [{ refs: [], field: 'id' }, { refs: [], field: ownerField }, ...deleted], orderBy: [], limit: 1,
    }));
    const row = rows[0];
    if (!row) continue;
    const ownerId = row[ownerField] === null || row[ownerField] === undefined ? null : Number(row[ownerField]);
    const owner = ownerId === null ? null : await userSummary(ctx, ownerId);
    const fields = set.join(' + ');
    const isDeleted = row.deletedAt !== null && row.deletedAt !== undefined;
    return conflict(
      'duplicate',
      `This ${module.name} already exists (id ${row.id}, same ${fields})` +
        (isDeleted ? `; it is deleted: restore it (POST /api/data/${module.name}/${row.id}/restore) instead of entering it again`
          : owner ? `; it belongs to ${owner.name ?? owner.username}: contact them instead of entering it again` : ''),
      {
        existing: { id: Number(row.id), owner, ...(isDeleted ? { deleted: true } : {}) },
        details: set.map((name) => ({ path: `/${name}`, message: 'already exists', code: 'duplicate' })),
      },
    );
  }
  return undefined;
}

async function effectiveValues(ctx: DataContext, module: Module, body: Record<string, unknown>, id: number | undefined) {
  const values: Record<string, unknown> = {};
  const missing = new Set(module.uniques.flat().filter((name) => body[name] === undefined));
  for (const name of missing) values[name] = id === undefined ? module.fields.get(name)?.default : undefined;
  // A create's creator is the caller (`x-unique: [["createdBy", "module", "name"]]` on saved views).
  if (id === undefined && missing.has('createdBy')) values.createdBy = ctx.access.actor.id;
  if (id !== undefined && missing.size > 0) {
    const q = (s: string) => ctx.db.quote(s);
    const names = [...missing];
    const rows = await ctx.db.all({
      sql: `SELECT ${names.map((n) => `${q(module.fields.get(n)!.column)} AS ${q(n)}`).join(', ')} FROM ${q(module.table)} WHERE ${q('id')} = $1`,
      params: [id],
    });
    for (const name of names) values[name] = rows[0]?.[name];
  }
  return { ...values, ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) };
}

async function userSummary(ctx: DataContext, id: number) {
  if (!ctx.graph.modules.has('user')) return { id, username: null, name: null };
  const rows = await ctx.db.all({
    sql: `SELECT ${ctx.db.quote('username')} AS u, ${ctx.db.quote('name')} AS n FROM ${ctx.db.quote('user')} WHERE ${ctx.db.quote('id')} = $1`,
    params: [id],
  });
  return { id, username: rows[0] ? String(rows[0].u) : null, name: rows[0]?.n === null || rows[0]?.n === undefined ? null : String(rows[0].n) };
}
