import { badRequest, HttpError } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import { deleteRecord, updateRecord } from './write-records.js';
import { recordIdempotencyKey } from './idempotency-context.js';

const MAX_BULK = 1000;

/**
 * `POST /api/data/<m>/bulk`: delete or update many records by id, all or nothing. Each record
 * goes through the same scoped write as a single one, so bulk work can never reach further.
 */
export async function bulkRecords(ctx: DataContext, module: Module, payload: unknown): Promise<{ action: string; count: number }> {
  const body = payload as { action?: unknown; ids?: unknown; values?: unknown };
  const details = [];
  if (body?.action !== 'delete' && body?.action !== 'update') details.push({ path: '/action', message: 'must be "delete" or "update"' });
  const ids = body?.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BULK || !ids.every((i) => Number.isSafeInteger(i) && i > 0)) {
    details.push({ path: '/ids', message: `must be a list of 1 to ${MAX_BULK} record ids` });
  }
  if (body?.action === 'update' && (typeof body.values !== 'object' || body.values === null || Array.isArray(body.values))) {
    details.push({ path: '/values', message: 'give the fields to set, e.g. {"status": "paid"}' });
  }
  if (details.length > 0) throw badRequest('invalid', 'The bulk request is not valid; nothing was changed', details);
  const unique = [...new Set(ids as number[])];
  const result = { action: String(body.action), count: unique.length };
  // One transaction for all: the first refusal undoes the others.
  await ctx.db.transaction(async (tx) => {
    // The whole answer is known already: kept with the key, it is the answer to a retry.
    await recordIdempotencyKey(ctx.db, tx, { kind: 'bulk', module: module.name }, undefined, { status: 200, body: result });
    for (const [i, id] of unique.entries()) {
      try {
        if (body.action === 'delete') await deleteRecord(ctx, module, id, tx);
        else await updateRecord(ctx, module, id, body.values, undefined, tx);
      } catch (e) {
        if (e instanceof HttpError) {
          throw new HttpError(e.status, e.code, `Record ${id} (item ${i}): ${e.message}. Nothing was changed.`, e.details.map((d) => ({ ...d, path: `/ids/${i}${d.path}` })), { ...e.extra, id });
        }
        throw e;
      }
    }
  });
  return result;
}
