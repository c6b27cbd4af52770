/**
 * The audit plugin's routes. A record's history and revert are record routes: the plugin host
 * mounts them at `/api/data/<m>/<id>/history` and `…/revert`, answers 404 `audit_off` while the
 * plugin is disabled, and checks the query and body against what they declare here. The
 * system-access record is an admin route under `/api/plugins/audit/`.
 */
import { knownQuery } from '../../../api/known-parameters.js';
import { badRequest, type ErrorDetail } from '../../../errors.js';
import { readSystemUses } from '../../system-access.js';
import type { RecordRouteContext, RecordRouteSpec, RouteContext } from '../../types.js';
import { engineOf } from '../internal.js';
import { readHistory } from './read-history.js';
import { revertRecord } from './revert.js';

type Ctx = RecordRouteContext<Record<string, Record<string, unknown>>>;

/** `GET /api/data/<m>/<id>/history` */
export const historyRoute: RecordRouteSpec<any> = {
  query: knownQuery('data.history'),
  async handler(ctx: Ctx) {
    const { data } = engineOf(ctx);
    return readHistory(data, data.module(ctx.record.module), ctx.record.id, ctx.req.query());
  },
};

/** `POST /api/data/<m>/<id>/revert {"version": N}` */
export const revertRoute: RecordRouteSpec<any> = {
  query: knownQuery('data.revert'),
  bodyFields: ['version'],
  async handler(ctx: Ctx) {
    const { data } = engineOf(ctx);
    const record = await revertRecord(data, data.module(ctx.record.module), ctx.record.id, await ctx.body(), ctx.req.header('if-match'));
    return ctx.json(record, 200, { ETag: `"${record.version}"` });
  },
};

const MAX_PAGE_SIZE = 500;

/** `GET /api/plugins/audit/system-uses?plugin=crm&page=1&pageSize=100`: each use of `ctx.system`, newest first (admins). */
export async function systemUsesRoute(ctx: RouteContext<Record<string, Record<string, unknown>>>) {
  const query = ctx.req.query();
  const unknown = Object.keys(query).filter((k) => !['plugin', 'page', 'pageSize'].includes(k));
  if (unknown.length > 0) throw badRequest('unknown_parameter', `GET /api/plugins/audit/system-uses knows plugin, page and pageSize; not ${unknown.join(', ')}`, unknown.map((k) => ({ path: `/${k}`, message: 'is not a parameter of this route' })));
  return readSystemUses(engineOf(ctx).data.db, {
    plugin: query.plugin,
    page: whole(query.page, 1, 1_000_000, '/page'),
    pageSize: whole(query.pageSize, 100, MAX_PAGE_SIZE, '/pageSize'),
  });
}

function whole(text: string | undefined, fallback: number, max: number, path: string): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (/^\d{1,7}$/.test(text) && n >= 1 && n <= max) return n;
  const detail: ErrorDetail = { path, message: `must be a whole number from 1 to ${max}` };
  throw badRequest('invalid_query', 'The parameters are not valid; see details', [detail]);
}
