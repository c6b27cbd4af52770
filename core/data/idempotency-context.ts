/**
 * The `Idempotency-Key` of the request being served, carried to the data layer so that a record
 * write records the key in its own transaction: the write is committed exactly when its key is.
 * A retry whose first answer was lost after the commit then finds the key and is answered from
 * it, and a retry of a write that did not commit finds no key and writes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'sequelize';
import { HttpError, httpError } from '../errors.js';
import type { Database } from '../db/database.js';
import { IdempotencyKeys, type KeyOwner, type StoredAnswer } from '../db/idempotency-table.js';

/** The record write a request's route makes: only that write records the key (not a plugin hook's writes beside it). */
export type KeyedWrite =
  | { readonly kind: 'create'; readonly module: string }
  | { readonly kind: 'update' | 'delete'; readonly module: string; readonly id: number }
  | { readonly kind: 'bulk'; readonly module: string };

export interface KeyedRequest extends KeyOwner {
  readonly fingerprint: string;
  /** The write that records the key in its transaction; undefined for routes that record it once answered. */
  readonly write: KeyedWrite | undefined;
  /** The transaction that inserted the key row (a retried write inserts it again in its next one). */
  recordedIn?: Transaction;
  /** Set when that transaction committed: from then on the write is done and the key says so. */
  committed: boolean;
  /** Set when another request with the key committed first (the answer then says when to come back). */
  inUse?: boolean;
}

const current = new AsyncLocalStorage<KeyedRequest>();

/** Runs `fn` (the route) with the request's key known to the data layer. */
export function withIdempotencyKey<T>(request: KeyedRequest, fn: () => Promise<T>): Promise<T> {
  return current.run(request, fn);
}

/** Tests only: runs in the write's transaction right after the key row, before the commit. */
let beforeCommit: ((db: Database, tx: Transaction) => Promise<void>) | undefined;
export function setBeforeCommitHook(hook: typeof beforeCommit): void {
  beforeCommit = hook;
}

/**
 * In a record write's transaction: records the request's key (if it has one and this is the
 * route's own write), with what was written. `answer`, when the write already knows the whole
 * answer (bulk), is kept with it. Throws 409 when another request with the key committed first;
 * the transaction then rolls back and nothing is written.
 */
export async function recordIdempotencyKey(
  db: Database, tx: Transaction, written: KeyedWrite, recordId?: number, answer?: { status: number; body: unknown },
): Promise<void> {
  const request = current.getStore();
  if (!request?.write || request.committed || request.recordedIn === tx || !sameWrite(request.write, written)) return;
  const inserted = await new IdempotencyKeys(db).insert(request, {
    fingerprint: request.fingerprint,
    module: written.module,
    ...(recordId !== undefined ? { recordId } : {}),
    ...(answer ? { status: answer.status, answer: jsonAnswer(answer.body) } : {}),
  }, tx);
  if (!inserted) {
    request.inUse = true;
    throw keyInUse();
  }
  request.recordedIn = tx;
  tx.afterCommit(() => {
    if (request.recordedIn === tx) request.committed = true;
  });
  await beforeCommit?.(db, tx);
}

function sameWrite(expected: KeyedWrite, written: KeyedWrite): boolean {
  if (expected.kind !== written.kind || expected.module !== written.module) return false;
  return !('id' in expected) || ('id' in written && expected.id === written.id);
}

const jsonAnswer = (body: unknown): StoredAnswer => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** 409 with Retry-After: the first request with this key is still being served. */
export function keyInUse(): HttpError {
  return httpError(409, 'idempotency_key_in_use', 'A request with this Idempotency-Key is still being served; nothing was written. Send it again in a moment to get its answer', [], { header: 'Idempotency-Key' });
}
