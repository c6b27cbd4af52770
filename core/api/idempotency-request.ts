/**
 * What an `Idempotency-Key` stands for: the key as sent, checked, and the fingerprint of the
 * request it came with (method, path and query, body), so that the key cannot be reused for
 * another request.
 */
import { createHash } from 'node:crypto';
import { httpError } from '../errors.js';
import type { KeyedWrite } from '../data/idempotency-context.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The methods that change state: the only ones a key means something on. */
export const KEYED_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PRINTABLE = /^[\x20-\x7e]{1,255}$/;

/**
 * The key, or 400 `invalid_header`. draft-ietf-httpapi-idempotency-key-header writes it as a
 * structured-field string (`"8e03978e-…"`), most clients send it bare: both mean the same key.
 */
export function parseKey(header: string): string {
  const quoted = /^"(.*)"$/.exec(header);
  const key = quoted ? quoted[1]! : header;
  if (!PRINTABLE.test(key)) {
    throw httpError(400, 'invalid_header', `${IDEMPOTENCY_HEADER} must be 1 to 255 printable ASCII characters, e.g. a UUID; nothing was done`, [
      { path: '', message: `the ${IDEMPOTENCY_HEADER} header is not 1 to 255 printable ASCII characters`, code: 'invalid_header' },
    ], { header: IDEMPOTENCY_HEADER });
  }
  return key;
}

/**
 * SHA-256 of the method, path with query, and body. A JSON body counts by its content, not its
 * spelling (keys sorted, spacing dropped), so a client that serialises the same object again
 * on retry is not refused as reusing the key.
 */
export function fingerprintOf(method: string, pathAndQuery: string, body: string): string {
  return createHash('sha256').update(`${method} ${pathAndQuery}\n${canonicalJson(body)}`).digest('hex');
}

function canonicalJson(body: string): string {
  if (body.trim() === '') return '';
  try {
    return JSON.stringify(sorted(JSON.parse(body)));
  } catch {
    return body;
  }
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]));
}

const MODULE = '([a-z][a-z0-9_]{0,62})';

/**
 * The record write a route of the data API makes, which records the key in its transaction.
 * Other writes (modules, plugins' routes, tokens) record it once they have answered.
 */
export function keyedWrite(method: string, path: string): KeyedWrite | undefined {
  const one = new RegExp(`^/api/data/${MODULE}/([1-9][0-9]{0,14})$`).exec(path);
  if (one && (method === 'PATCH' || method === 'DELETE')) return { kind: method === 'PATCH' ? 'update' : 'delete', module: one[1]!, id: Number(one[2]) };
  if (method !== 'POST') return undefined;
  const create = new RegExp(`^/api/data/${MODULE}$`).exec(path);
  if (create) return { kind: 'create', module: create[1]! };
  const bulk = new RegExp(`^/api/data/${MODULE}/bulk$`).exec(path);
  return bulk ? { kind: 'bulk', module: bulk[1]! } : undefined;
}
