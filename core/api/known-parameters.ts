/**
 * The query parameters each operation knows: one declaration that the routes read their query
 * through (queryOf) and that the OpenAPI document lists (core/api/openapi/parameters.ts), so the
 * two cannot drift. A parameter outside it is refused with 400 `unknown_parameter` rather than
 * ignored: an aggregate asked with `having=` that answered unfiltered groups would be read as
 * filtered. Keys are the document's operationIds; `data.*` stands for `<module>.*`.
 */
import type { Context } from 'hono';
import { badRequest } from '../errors.js';

export const KNOWN_QUERY = {
  // `deleted` and `purge` mean something only with x-soft-delete; elsewhere they answer 400 `soft_delete_off`, which says so.
  'data.list': ['filter', 'q', 'sort', 'page', 'pageSize', 'fields', 'total', 'totalCap', 'after', 'deleted'],
  // compare, having, sort and others (for dashboards) are not implemented yet: refused, never ignored.
  'data.aggregate': ['groupBy', 'metrics', 'filter', 'q', 'limit'],
  'data.export': ['filter', 'q', 'sort', 'fields', 'deleted'],
  'data.get': ['fields'],
  'data.can': [],
  'data.create': [],
  'data.update': [],
  'data.delete': ['purge'],
  'data.restore': [],
  'data.bulk': [],
  'data.history': ['page', 'pageSize'],
  'data.revert': [],
  'data.download': [],
  'data.explain': ['user'],
  'data.explainRecord': ['user'],
  'files.upload': [],
  'modules.list': [],
  'modules.get': [],
  'modules.create': [],
  'modules.update': ['dryRun', 'confirm'],
  'modules.delete': ['dryRun', 'confirm'],
  'modules.trash': [],
  'modules.trash.purge': ['confirm'],
  'modules.trash.restore': [],
  'modules.changes': [],
  'modules.changes.revert': ['dryRun', 'confirm'],
  'schema.snapshot': [],
  'schema.diff': [],
  'schema.apply': ['confirm'],
  'meta.modules': [],
  'auth.login': [],
  'auth.logout': [],
  'auth.me': [],
  'auth.tokens.list': [],
  'auth.tokens.create': [],
  'auth.tokens.revoke': [],
  'docs.openapi': [],
  'docs.page': [],
  'docs.asset': [],
} as const satisfies Record<string, readonly string[]>;

export type Operation = keyof typeof KNOWN_QUERY;

/** The query parameters `op` knows. */
export const knownQuery = (op: Operation): readonly string[] => KNOWN_QUERY[op];

/**
 * The request's query parameters (the first value of each), once every one is known to `op`;
 * else 400 `unknown_parameter`, with a pointer per unknown parameter and nothing done.
 */
export function queryOf(c: Context, op: Operation): Record<string, string> {
  return queryKnowing(c, knownQuery(op));
}

/** The same for a route that declares its parameters itself (a plugin's record route). */
export function queryKnowing(c: Context, known: readonly string[]): Record<string, string> {
  const query = c.req.query();
  // A request with a thousand made-up names gets twenty pointers, not a thousand.
  const unknown = Object.keys(query).filter((name) => !known.includes(name)).slice(0, 20);
  if (unknown.length === 0) return query;
  const route = `${c.req.method} ${c.req.path}`;
  const knows = known.length === 0 ? 'takes no query parameters' : `knows ${known.join(', ')}`;
  throw badRequest(
    'unknown_parameter',
    `${route} does not know the parameter${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n.slice(0, 64)}"`).join(', ')}; it ${knows}. Nothing was done.`,
    unknown.map((name) => ({ path: pointer(name), message: `is not a parameter of ${route}; it ${knows}` })),
  );
}

/** `/<name>` as a JSON pointer (RFC 6901 escapes), cut to a readable length. */
export const pointer = (name: string): string => `/${name.slice(0, 64).replace(/~/g, '~0').replace(/\//g, '~1')}`;
