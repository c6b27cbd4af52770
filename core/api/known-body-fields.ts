/**
 * Top-level fields of the JSON bodies that are not records (records are checked against their
 * module's schema): a field a route does not know is refused with 400 `unknown_field`, not
 * ignored, so that a misspelt option never silently does the default.
 */
import { badRequest } from '../errors.js';
import { pointer } from './known-parameters.js';

/** Refuses `body`'s top-level fields outside `known` (a body that is no object is the caller's own check). */
export function refuseUnknownFields(body: unknown, known: readonly string[], what: string, at = ''): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const unknown = Object.keys(body).filter((k) => !known.includes(k)).slice(0, 20);
  if (unknown.length === 0) return;
  const knows = `it has ${known.map((k) => `"${k}"`).join(', ')}`;
  throw badRequest(
    'unknown_field',
    `${what} has no field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `"${k.slice(0, 64)}"`).join(', ')}; ${knows}. Nothing was changed.`,
    unknown.map((k) => ({ path: `${at}${pointer(k)}`, message: `is not a field of ${what}; ${knows}` })),
  );
}
