/**
 * The answer to a request whose `Idempotency-Key` was used before with the same request: the
 * first answer, kept with the key, or, when it was lost after the write committed (or was too
 * large to keep), the outcome of the write read back from the record it wrote.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from './env.js';
import { getRecord } from '../data/read-records.js';
import { keyInUse, type KeyedWrite } from '../data/idempotency-context.js';
import type { KeyRow } from '../db/idempotency-table.js';
import { HttpError } from '../errors.js';

export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Answers the request again as the key's first request was answered; nothing is written. */
export async function replay(c: Context<AppEnv>, row: KeyRow, write: KeyedWrite | undefined): Promise<Response> {
  const headers: Record<string, string> = { ...(row.answer?.headers ?? {}), [REPLAYED_HEADER]: 'true' };
  // Only answers that Hono can give with a body are kept (core/api/idempotency.ts keeps 2xx and 4xx).
  const status = row.status === null ? undefined : (row.status as ContentfulStatusCode);
  const body = row.answer?.body;
  // An empty body is kept as '' (a 204 has none); null means it was too large to keep.
  if (status !== undefined && typeof body === 'string') return body === '' ? c.body(null, status, headers) : c.body(body, status, headers);
  if (write?.kind === 'delete') return c.body(null, status ?? 204, headers);
  if ((write?.kind === 'create' || write?.kind === 'update') && row.recordId !== null) {
    const record = await readBack(c, write.module, row.recordId);
    if (write.kind === 'update' && record.version !== undefined) headers.etag = `"${String(record.version)}"`;
    return c.json(record, status ?? (write.kind === 'create' ? 201 : 200), headers);
  }
  if (status !== undefined) return c.body(null, status, headers);
  // Recorded by a write whose answer is on its way in another process.
  c.header('Retry-After', '1');
  throw keyInUse();
}

/** The record as the caller may read it now; only its id when it is gone or out of sight since. */
async function readBack(c: Context<AppEnv>, moduleName: string, id: number): Promise<Record<string, unknown>> {
  const data = c.get('data');
  try {
    return await getRecord(data, data.module(moduleName), id);
  } catch (e) {
    if (e instanceof HttpError && (e.status === 404 || e.status === 403)) return { id };
    throw e;
  }
}
