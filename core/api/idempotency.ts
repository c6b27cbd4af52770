/**
 * `Idempotency-Key` on writes (API.md; draft-ietf-httpapi-idempotency-key-header): the same key
 * with the same request within a day answers the first answer and writes nothing; with another
 * request 422 `idempotency_key_reused`; while the first is still served 409
 * `idempotency_key_in_use`. Keys belong to the caller: a route without a session ignores them.
 *
 * A record write of the data API records its key in its own transaction
 * (core/data/idempotency-context.ts), so a write is committed exactly when its key is; its answer
 * is added to the key after. Other writes record the key with their answer once given.
 * Answers that wrote nothing (4xx) or failed (5xx) are not kept: the retry runs again.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { readBody } from './request-body.js';
import { fingerprintOf, IDEMPOTENCY_HEADER, KEYED_METHODS, keyedWrite, parseKey } from './idempotency-request.js';
import { replay } from './idempotency-replay.js';
import { keyInUse, withIdempotencyKey, type KeyedRequest } from '../data/idempotency-context.js';
import { IdempotencyKeys, type StoredAnswer } from '../db/idempotency-table.js';
import type { Database } from '../db/database.js';
import { httpError } from '../errors.js';
import { UPLOAD_PATH } from './file-routes.js';

/** The largest answer kept whole; a larger one keeps its status and is read back from its record. */
const MAX_KEPT_ANSWER = 1024 * 1024;

/** The headers of an answer that a replay repeats. */
const KEPT_HEADERS = ['content-type', 'etag', 'location'];

/** The keys being served by this process, per database: a second request with one waits its turn outside. */
const serving = new WeakMap<Database, Set<string>>();

/** When this process last removed the keys older than a day, per database. */
const swept = new WeakMap<Database, number>();
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Tests only: runs after the route answered, before the answer is kept; one that throws loses the answer, as a dying connection would. */
let afterAnswer: ((c: Context<AppEnv>) => Promise<void>) | undefined;
export function setAfterAnswerHook(hook: typeof afterAnswer): void {
  afterAnswer = hook;
}

export const idempotency: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header(IDEMPOTENCY_HEADER);
  // A public route has no caller to keep keys apart by: strangers would share one space of keys
  // and could be answered each other's answers. There the key is ignored, as on reads.
  const data = c.get('data');
  if (header === undefined || !KEYED_METHODS.has(c.req.method) || c.req.path === UPLOAD_PATH || !data) return next();
  const key = parseKey(header);
  // A replay must not leave on a guessed identity (core/api/session.ts): it is confirmed first.
  await data.confirmed();
  const url = new URL(c.req.url);
  const request: KeyedRequest = {
    actor: data.access.actor.id,
    key,
    fingerprint: fingerprintOf(c.req.method, url.pathname + url.search, await readBody(c)),
    write: keyedWrite(c.req.method, c.req.path),
    committed: false,
  };
  const db = data.db;
  const running = serving.get(db) ?? serving.set(db, new Set()).get(db)!;
  const id = `${request.actor}\n${key}`;
  if (running.has(id)) {
    c.header('Retry-After', '1');
    throw keyInUse();
  }
  running.add(id);
  try {
    const keys = new IdempotencyKeys(db);
    sweepNow(db, keys);
    const first = await keys.find(request);
    if (first) {
      if (first.fingerprint !== request.fingerprint) throw reused();
      return await replay(c, first, request.write);
    }
    await withIdempotencyKey(request, next);
    if (request.inUse) c.res.headers.set('Retry-After', '1');
    await afterAnswer?.(c);
    await keep(c, keys, request);
  } finally {
    running.delete(id);
  }
};

/**
 * Keeps the answer with the key: on the row the write's transaction made, or, for a route that
 * does not record it so, on a new row when it succeeded. A failure here is no failure of the
 * request: the client gets its answer, and a retry is answered from the record written.
 */
async function keep(c: Context<AppEnv>, keys: IdempotencyKeys, request: KeyedRequest): Promise<void> {
  const status = c.res.status;
  if (status >= 500 || (!request.committed && (status < 200 || status >= 300))) return;
  try {
    const answer = await answerOf(c.res);
    if (request.committed) await keys.storeAnswer(request, status, answer);
    else await keys.insert(request, { fingerprint: request.fingerprint, status, answer });
  } catch (e) {
    console.error(`The answer to ${c.req.method} ${c.req.path} was given but not kept with its ${IDEMPOTENCY_HEADER}:`, e);
  }
}

async function answerOf(res: Response): Promise<StoredAnswer> {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const bytes = res.body ? Buffer.from(await res.clone().arrayBuffer()) : undefined;
  return { headers, body: bytes === undefined ? '' : bytes.byteLength > MAX_KEPT_ANSWER ? null : bytes.toString('utf8') };
}

/**
 * At most hourly per process, the keys older than a day go in one indexed DELETE. Not awaited:
 * its range may wait for a key being written (a lock on MariaDB, the write turn on SQLite), and
 * the request need not wait with it; a key found old is dropped by the lookup anyway.
 */
function sweepNow(db: Database, keys: IdempotencyKeys): void {
  const last = swept.get(db) ?? 0;
  if (Date.now() - last < SWEEP_EVERY_MS) return;
  swept.set(db, Date.now());
  keys.sweep().catch(() => swept.delete(db));
}

const reused = () => httpError(422, 'idempotency_key_reused', `This ${IDEMPOTENCY_HEADER} was used for another request (another method, path or body) within the last day; nothing was done. Use a new key for a new request`, [], { header: IDEMPOTENCY_HEADER });
