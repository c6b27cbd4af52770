import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { HttpError, httpError } from '../errors.js';
import { DefinitionError } from '../schema/finding.js';
import { ChangeLog } from '../migrate/change-log.js';
import { isLockConflict } from '../db/lock-conflict.js';
import { readBody } from './request-body.js';

/** The one error handler: every failure leaves as `{ error: { code, message, details } }`. */
export async function onError(err: Error, c: Context<AppEnv>): Promise<Response> {
  if (err instanceof HttpError) {
    // Busy or mid-change: the client may send it again in a moment (nothing was written).
    if (err.status === 503 && !c.res.headers.get('Retry-After')) c.header('Retry-After', '1');
    return answer(c, err);
  }
  // Records only: a plan's own request that fails so is a fault to report, not a race.
  if (c.req.path.startsWith('/api/data/') && missingTableOrColumn(err) && (await definitionsMoved(c))) {
    // A plan switched the module's columns while this request read it with the definition before.
    c.header('Retry-After', '1');
    return answer(c, httpError(503, 'definition_changed', 'The module\'s definition changed while this request was served; nothing was written. Send it again.'));
  }
  if (err instanceof DefinitionError) {
    const message = `The module definition has ${err.findings.length} problem${err.findings.length === 1 ? '' : 's'}; nothing was created or changed`;
    return answer(c, httpError(400, 'invalid_definition', message, err.findings.map((f) => ({ path: f.pointer, message: f.message, code: f.code, hint: f.hint, ...(f.module ? { module: f.module } : {}) }))));
  }
  if (clientGone(err)) {
    // The client closed the connection while its body was read: nobody is there to answer, nothing was done.
    return answer(c, httpError(400, 'client_closed', 'The connection closed before the request was read; nothing was done'));
  }
  if (isLockConflict(err)) {
    // Other writers held the rows; nothing of this request was kept.
    c.header('Retry-After', '1');
    return answer(c, httpError(503, 'busy', 'Other changes held the records this request needed; nothing was written. Send it again.'));
  }
  console.error(err);
  return answer(c, httpError(500, 'internal', 'Something went wrong on the server; nothing was acknowledged. Try again, and report it if it persists.'));
}

const answer = (c: Context<AppEnv>, err: HttpError) => c.json(err.toJSON(), err.status);

function clientGone(err: Error): boolean {
  return err.message === 'aborted' || (err as { code?: string }).code === 'ECONNRESET';
}

/** A database error naming a table or column that is not there: what a read meets while a plan switches them. */
export function missingTableOrColumn(err: Error): boolean {
  const cause = (err as { parent?: { code?: string; message?: string } }).parent;
  const code = cause?.code ?? (err as { code?: string }).code;
  if (code === 'ER_BAD_FIELD_ERROR' || code === 'ER_NO_SUCH_TABLE') return true;
  return code === 'SQLITE_ERROR' && /no such (column|table)/.test(cause?.message ?? err.message);
}

/** Whether the definitions changed since the graph this request was served with, or a plan is switching them now. */
async function definitionsMoved(c: Context<AppEnv>): Promise<boolean> {
  const data = c.get('data');
  if (!data) return false;
  const stratum = c.get('stratum');
  try {
    return (await stratum.registry.generation()) !== data.graph.generation || (await new ChangeLog(stratum.db).applying());
  } catch {
    return false;
  }
}

/** Reads a JSON body or fails with 400 (nothing written). */
export async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    // Also a CSRF guard: a cross-site form cannot send application/json without a preflight.
    throw httpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  const text = await readBody(c);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw httpError(400, 'invalid_json', 'The body is not valid JSON', [{ path: '', message: 'is not valid JSON' }]);
  }
}
