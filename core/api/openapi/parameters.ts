/**
 * The query parameters of lists, aggregates and exports (core/query/parse-list.ts,
 * parse-aggregate.ts, core/data/read-records.ts), shared by reference; `q` and `sort` are
 * written per module because their meaning (search fields, default order) is the module's.
 */
import { DATE_BUCKETS, METRIC_FNS } from '../../query/ast.js';
import { MAX_GROUPS } from '../../query/parse-aggregate.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../query/parse-list.js';
import { DEFAULT_TOTAL_CAP } from '../../data/read-records.js';
import type { JsonSchema, Module } from '../../schema/module.js';
import { FILTER_DESCRIPTION } from './filter-schema.js';
import { ref } from './refs.js';
import { knownQuery, type Operation } from '../known-parameters.js';

const query = (name: string, description: string, schema: JsonSchema): JsonSchema => ({ name, in: 'query', description, schema });

/** `#/components/parameters`. */
export const sharedParameters: Record<string, JsonSchema> = {
  filter: {
    name: 'filter',
    in: 'query',
    description: FILTER_DESCRIPTION,
    content: { 'application/json': { schema: ref('Filter') } },
  },
  page: query('page', 'The page to return, from 1.', { type: 'integer', minimum: 1, default: 1 }),
  pageSize: query('pageSize', `Records per page, at most ${MAX_PAGE_SIZE}.`, { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
  fields: query('fields', 'A comma list of fields to return (`id` always comes along). Paths embed the referenced record: `customer.name` returns `"customer": {"id": 3, "name": "…"}`, or null when it is absent or you may not see it. Many-to-many relations of the module itself may be listed.', { type: 'string', examples: ['name,grade,customer.name'] }),
  total: query('total', `How \`meta.total\` is counted: \`exact\` (a COUNT), \`capped\` (counts up to \`totalCap\`, then \`meta.totalCapped\`), \`estimated\` (the database's estimate on MariaDB, \`meta.totalEstimated\`), \`none\` (null).`, { type: 'string', enum: ['exact', 'capped', 'estimated', 'none'], default: 'exact' }),
  totalCap: query('totalCap', 'With `total=capped`: where counting stops.', { type: 'integer', minimum: 1, maximum: 1_000_000, default: DEFAULT_TOTAL_CAP }),
  after: query('after', 'Keyset paging: empty for the first page, then the `meta.next` cursor of the previous page. Needs a sort on fields of the module itself; not with `page`.', { type: 'string' }),
  groupBy: query('groupBy', `Up to 5 comma-separated fields or paths, and the date buckets ${DATE_BUCKETS.map((b) => `\`${b}(f)\``).join(' ')}. Long text and JSON fields cannot be grouped. Groups come back in this order.`, { type: 'string', examples: ['status,month(orderDate)'] }),
  metrics: query('metrics', `Up to 20 comma-separated metrics: ${METRIC_FNS.map((f) => (f === 'count' ? '`count()`' : `\`${f}(f)\``)).join(' ')} (\`sum\`, \`avg\` on numbers; \`min\`, \`max\` on numbers, dates and short text). Default \`count()\`. Each result key is the expression as written.`, { type: 'string', default: 'count()', examples: ['count(),sum(amount)'] }),
  limit: query('limit', `At most this many groups.`, { type: 'integer', minimum: 1, maximum: MAX_GROUPS, default: 1000 }),
  explainUser: { name: 'user', in: 'query', required: true, description: 'The id of the user to explain for.', schema: { type: 'integer', minimum: 1 } },
  id: { name: 'id', in: 'path', required: true, description: 'The record id.', schema: { type: 'integer', minimum: 1, maximum: 999_999_999_999_999 } },
  ifMatch: {
    name: 'If-Match',
    in: 'header',
    description: 'The version you read (the `ETag` of GET). If the record changed since, the update is refused with 409 `stale` and nothing is written.',
    schema: { type: 'string', examples: ['"3"'] },
  },
};

const shared = (name: string): JsonSchema => ({ $ref: `#/components/parameters/${name}` });

/** `q` and `sort` of one module. */
function moduleParameters(module: Module): { q: JsonSchema; sort: JsonSchema } {
  const search = module.list.search;
  return {
    q: query('q', search.length > 0
      ? `Search text (at most 200 characters), found as a substring in ${search.map((s) => `\`${s}\``).join(', ')} (x-list.search) where you may read them.`
      : 'Search text; this module names no search fields (x-list.search).', { type: 'string', maxLength: 200 }),
    sort: query('sort', `Up to 5 comma-separated fields or paths, \`-\` for descending; \`id\` breaks ties. Long text and JSON fields cannot be sorted. Default \`${module.list.sort}\` (x-list.sort).`, { type: 'string', default: module.list.sort }),
  };
}

/**
 * The query parameters of `op` as the document lists them: every one the route knows
 * (core/api/known-parameters.ts), in its order, each described by `describe`. A known parameter
 * without a description fails the document's build, so the route and the document cannot drift.
 */
export function documentedQuery(op: Operation, describe: Readonly<Record<string, JsonSchema>>): JsonSchema[] {
  return knownQuery(op).map((name) => {
    const p = describe[name];
    if (!p) throw new Error(`The query parameter "${name}" of ${op} is known to its route but not described in the OpenAPI document`);
    return p;
  });
}

const listed = (module: Module): Record<string, JsonSchema> => ({
  ...moduleParameters(module),
  ...Object.fromEntries(['filter', 'page', 'pageSize', 'fields', 'total', 'totalCap', 'after', 'groupBy', 'metrics', 'limit'].map((n) => [n, shared(n)])),
  deleted: query('deleted', `${module.softDelete ? 'x-soft-delete' : 'Only on a module with x-soft-delete (here 400 `soft_delete_off`)'}: \`only\` lists the deleted records you may restore (the delete permission and scope) instead of the live ones.`, { type: 'string', enum: ['only'] }),
});

/** The parameters of a list (`GET /api/data/<m>`). */
export const listParameters = (module: Module): JsonSchema[] => documentedQuery('data.list', listed(module));

/** The parameters of an export: a list without paging, at most 100000 rows. */
export const exportParameters = (module: Module): JsonSchema[] => documentedQuery('data.export', listed(module));

/** The parameters of an aggregate: `q` narrows like a list's, so that counts per group add up to its total. */
export const aggregateParameters = (module: Module): JsonSchema[] => documentedQuery('data.aggregate', listed(module));
export const idParameter = () => shared('id');
export const ifMatchParameter = () => shared('ifMatch');
export const explainUserParameter = () => shared('explainUser');
