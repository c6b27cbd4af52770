/**
 * The `Idempotency-Key` header of every write (core/api/idempotency.ts, docs/RETRIES.md), added to
 * the write operations of a set of paths in one place, so that no operation can be left without it.
 */
import type { JsonSchema } from '../../schema/module.js';
import { ref } from './refs.js';

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

export const idempotencyKeyParameter: JsonSchema = {
  name: 'Idempotency-Key',
  in: 'header',
  description: 'Makes a retry safe: the same key with the same request within a day answers the first answer (with `Idempotent-Replayed: true`) and writes nothing, also when that answer was lost after the write. The same key with another request is refused with 422 `idempotency_key_reused`; while the first is still served, 409 `idempotency_key_in_use` with Retry-After. Keys are per user. See docs/RETRIES.md.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$', examples: ['9f1c2b8e-5a43-4c1e-9d5e-2f0a7c3b6d11'] },
};

const reused: JsonSchema = { description: 'The Idempotency-Key was used for another request (`idempotency_key_reused`); nothing was done.', content: { 'application/json': { schema: ref('Error') } } };

/** Adds the header, and its 422, to every POST, PUT, PATCH and DELETE of `paths`. */
export function addIdempotencyKey(paths: Record<string, JsonSchema>): void {
  for (const item of Object.values(paths)) {
    for (const [method, op] of Object.entries(item as Record<string, JsonSchema>)) {
      if (!WRITES.has(method)) continue;
      op.parameters = [...((op.parameters as JsonSchema[] | undefined) ?? []), idempotencyKeyParameter];
      const responses = op.responses as Record<string, JsonSchema> | undefined;
      if (responses && !responses['422']) op.responses = Object.fromEntries(Object.entries({ ...responses, 422: reused }).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
}
