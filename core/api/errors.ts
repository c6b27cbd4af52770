import type { Context } from 'hono';
import { HttpError } from '../errors.js';
import { DefinitionError } from '../schema/finding.js';
import { readBody } from './request-body.js';

/** The one error handler: every failure leaves as `{ error: { code, message, details } }`. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof HttpError) return c.json(err.toJSON(), err.status);
  if (err instanceof DefinitionError) {
    return c.json({
      error: {
        code: 'invalid_definition',
        message: `The module definition has ${err.findings.length} problem${err.findings.length === 1 ? '' : 's'}; nothing was created or changed`,
        details: err.findings.map((f) => ({ path: f.pointer, message: f.message, code: f.code, hint: f.hint, ...(f.module ? { module: f.module } : {}) })),
      },
    }, 400);
  }
  console.error(err);
  return c.json({ error: { code: 'internal', message: 'Something went wrong on the server; nothing was acknowledged. Try again, and report it if it persists.' } }, 500);
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
