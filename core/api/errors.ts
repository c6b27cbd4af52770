import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { HttpError } from '../errors.js';
import { DefinitionError } from '../schema/finding.js';
import { ChangeLog } from '../migrate/change-log.js';
import { isLockConflict } from '../db/lock-conflict.js';
import { readBody } from './request-body.js';

/** The one error handler: every failure leaves as `{ error: { code, message, details } }`. */
export async function onError(err: Error, c: Context<AppEnv>): Promise<Response> {
  if (err instanceof HttpError) {
    // Busy or mid-change: the client may send it again in a moment (nothing was written).
    if (err.status === 503 && !c.res.headers.get('Retry-After')) c.header('Retry-After', '1');
    return c.json(err.toJSON(), err.status);
  }
  // Records only: a plan's own request that fails so is a fault to report, not a race.
  if (c.req.path.startsWith('/api/data/') && missingTableOrColumn(err) && (await definitionsMoved(c))) {
    // A plan switched the module's columns while this request read it with the definition before.
    c.header('Retry-After', '1');
    return c.json({ error: { code: 'definition_changed', message: 'The module\'s definition changed while this request was served; nothing was written. Send it again.' } }, 503);
  }
  if (err instanceof DefinitionError) {
    return c.json({
      error: {
        code: 'invalid_definition',
        message: `The module definition has ${err.findings.length} problem${err.findings.length === 1 ? '' : 's'}; nothing was created or changed`,
        details: err.findings.map((f) => ({ path: f.pointer, message: f.message, code: f.code, hint: f.hint, ...(f.module ? { module: f.module } : {}) })),
      },
    }, 400);
  }
  if (clientGone(err)) {
    // The client closed the connection while its body was read: nobody is there to answer, nothing was done.
    return c.json({ error: { code: 'client_closed', message: 'The connection closed before the request was read; nothing was done' } }, 400);
  }
  if (isLockConflict(err)) {
    // Other writers held the rows; nothing of this request was kept.
    c.header('Retry-After', '1');
    return c.json({ error: { code: 'busy', message: 'Other changes held the records this request needed; nothing was written. Send it again.' } }, 503);
  }
  console.error(err);
  return c.json({ error: { code: 'internal', message: 'Something went wrong on the server; nothing was acknowledged. Try again, and report it if it persists.' } }, 500);
}

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
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  const text = await readBody(c);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON', [{ path: '', message: 'is not valid JSON' }]);
  }
}
