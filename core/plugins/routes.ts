/**
 * `/api/plugins`: the admin endpoints (list, enable, disable) and every plugin's own routes under
 * `/api/plugins/<name>/…`; and the plugins' record routes under `/api/data/<module>/<id>/<name>`.
 * Plugin routes pass the same middleware as the rest of `/api` — a session, unless the plugin
 * declared the route public — and handlers get the caller's scope, so that whatever they read or
 * write goes through permissions and visibility.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { jsonBody } from '../api/errors.js';
import { queryKnowing } from '../api/known-parameters.js';
import { refuseUnknownFields } from '../api/known-body-fields.js';
import { forbidden, HttpError, httpError, notFound, pluginOff } from '../errors.js';
import { fieldType } from '../schema/field-types.js';
import type { Action } from '../rules/access.js';
import type { Plugin } from './define-plugin.js';
import type { PluginHost, RecordRoute } from './host.js';
import { setEnabled } from './lifecycle.js';
import { matchRoute } from './route-match.js';
import { extendScope, pluginScope, scopeInternals, type Log } from './scope.js';
import { bindContext, transactionOf } from './bound-context.js';
import type { ActAs, PublicRouteContext, RecordRouteContext, RequestParts, RouteContext } from './types.js';

const NAME = '{[a-z][a-z0-9_]{0,62}}';

export const pluginRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    requireAdmin(c);
    const host = c.get('stratum').plugins;
    const active = await host.active(c.get('data').graph.generation);
    return c.json({ data: host.plugins.map((p) => describe(host, p, active.states.get(p.name))) });
  })
  .post(`/:name${NAME}/enable`, (c) => toggle(c, true))
  .post(`/:name${NAME}/disable`, (c) => toggle(c, false))
  .all(`/:name${NAME}/*`, dispatch);

function requireAdmin(c: Context<AppEnv>) {
  if (!c.get('access').actor.isAdmin) throw forbidden('plugins:admin', 'Only admins may list, enable or disable plugins');
}

async function toggle(c: Context<AppEnv>, enabled: boolean) {
  requireAdmin(c);
  const host = c.get('stratum').plugins;
  const name = c.req.param('name')!;
  const state = await setEnabled(host, name, enabled, c.get('data'));
  return c.json(describe(host, host.plugin(name)!, state));
}

function describe(host: PluginHost, p: Plugin, state: { version: string; enabled: boolean; installedAt?: string } | undefined) {
  const d = p.definition;
  return {
    name: p.name,
    version: p.version,
    description: d.description ?? null,
    installedVersion: state?.version ?? null,
    enabled: state?.enabled ?? false,
    hooks: Object.fromEntries(Object.entries(d.hooks ?? {}).map(([m, h]) => [m, Object.keys(h ?? {})])),
    routes: host.routesOf(p.name).map((r) => ({
      method: r.method,
      path: `/api/plugins/${p.name}${r.path === '/' ? '/' : r.path}`,
      public: r.spec.public,
      ...(r.spec.requires ? { requires: r.spec.requires } : {}),
    })),
    fieldTypes: Object.keys(d.fieldTypes ?? {}).map((name) => ({ name, schema: fieldType(name)?.schema ?? d.fieldTypes![name]!.schema, ui: d.fieldTypes![name]!.ui ?? {} })),
    variables: Object.keys(d.variables ?? {}).map((name) => `$user.${name}`),
  };
}

async function dispatch(c: Context<AppEnv>): Promise<Response> {
  const stratum = c.get('stratum');
  const host = stratum.plugins;
  const name = c.req.param('name')!;
  const plugin = host.plugin(name);
  if (!plugin) throw notFound(`Plugin "${name}"`);
  const rest = c.req.path.slice(`/api/plugins/${name}`.length) || '/';
  const found = matchRoute(host.routesOf(name), c.req.method, rest);
  if (!found) throw notFound(`The route ${c.req.method} ${c.req.path}`);
  const spec = found.route.spec;
  const open = spec.public;
  // A public route has no session, so no generation of its own yet: read the current one.
  const generation = open ? await stratum.registry.generation() : c.get('data').graph.generation;
  if (!(await host.active(generation)).isEnabled(name)) throw notFound(`Plugin "${name}" is disabled, so ${c.req.method} ${c.req.path}`);
  const log = host.logFor(plugin);
  const parts = requestParts(c, found.params, log);
  const actAs = actAsFor(host, generation, log);
  return answer(c, log, async () => {
    if (open) return spec.handler({ ...parts, actAs } satisfies PublicRouteContext<any>);
    const data = c.get('data');
    const requires = spec.requires;
    if (requires === 'admin' && !data.access.actor.isAdmin) throw forbidden('admin', `Only admins may use ${c.req.method} ${c.req.path}`);
    if (requires && requires !== 'admin') {
      const [module, action] = requires.split(':') as [string, Action];
      data.access.require(data.module(module), action);
    }
    return spec.handler(extendScope(pluginScope(data, log), { ...parts, actAs }) satisfies RouteContext<any>);
  });
}

const ID = '{[1-9][0-9]{0,14}}';

/**
 * The record routes of every loaded plugin (`recordRoutes`), at `/api/data/<module>/<id>/<name>`:
 * mounted once, whether the plugin is enabled or not, so that the app's routes do not change
 * with a toggle; while it is disabled, a route answers 404 `<plugin>_off`. Before the handler:
 * the module must exist, and the query and a JSON body may hold only what the route declares.
 */
export function pluginRecordRoutes(host: PluginHost): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const route of host.recordRoutes) {
    app.on(route.method, `/:module/:id${ID}/${route.name}`, (c) => recordRoute(c, host, route));
  }
  return app;
}

async function recordRoute(c: Context<AppEnv>, host: PluginHost, route: RecordRoute): Promise<Response> {
  const data = c.get('data');
  const module = data.module(c.req.param('module')!);
  queryKnowing(c, route.query);
  // The body is kept once read (core/api/request-body.ts): the handler reads the same text.
  if (route.bodyFields && c.req.header('content-type')?.toLowerCase().startsWith('application/json')) {
    refuseUnknownFields(await jsonBody(c), route.bodyFields, `the body of ${c.req.method} ${c.req.path}`);
  }
  const name = route.plugin.name;
  if (!(await host.active(data.graph.generation)).isEnabled(name)) {
    throw pluginOff(name, `The plugin "${name}" that answers ${c.req.method} /api/data/<module>/<id>/${route.name} is disabled; an admin enables it with POST /api/plugins/${name}/enable`);
  }
  const log = host.logFor(route.plugin);
  const id = Number(c.req.param('id'));
  const parts = requestParts(c, { module: module.name, id: String(id) }, log);
  const ctx = extendScope(pluginScope(data, log), { ...parts, actAs: actAsFor(host, data.graph.generation, log), record: { module: module.name, id } });
  return answer(c, log, () => route.handler(ctx satisfies RecordRouteContext<any>));
}

function requestParts(c: Context<AppEnv>, params: Record<string, string>, log: Log): RequestParts {
  return {
    req: c.req,
    params,
    body: async <B>() => (await jsonBody(c)) as B,
    json: (value, status = 200, headers) => c.json(value as object, status, headers as Record<string, string> | undefined),
    log,
  };
}

/** Another account's scope at the request's generation; given `within` (a transaction's scope), joining that transaction. */
function actAsFor(host: PluginHost, generation: number, log: Log): ActAs<any> {
  return async (username, within) => {
    const data = await host.contextFor(username, generation);
    if (!data) throw httpError(503, 'unavailable', `This service is not set up: the account "${username}" it acts as does not exist or is inactive`);
    if (within === undefined) return pluginScope(data, log);
    const tx = transactionOf(scopeInternals(within)?.data ?? data);
    if (!tx) throw new Error('actAs(username, within): within must be the scope given by transaction(fn)');
    return pluginScope(bindContext(data, tx), log);
  };
}

/** The handler's answer: a Response, a value as JSON, or 204; a failure that is no HttpError is a bug, logged with the plugin's name. */
async function answer(c: Context<AppEnv>, log: Log, handler: () => unknown): Promise<Response> {
  let result: unknown;
  try {
    result = await handler();
  } catch (e) {
    if (!(e instanceof HttpError)) log(`${c.req.method} ${c.req.path} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    throw e;
  }
  if (result instanceof Response) return result;
  if (result === undefined) return c.body(null, 204);
  return c.json(result as object);
}
