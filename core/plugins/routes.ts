/**
 * `/api/plugins`: the admin endpoints (list, enable, disable) and every plugin's own routes under
 * `/api/plugins/<name>/…`. Plugin routes pass the same middleware as the rest of `/api` — a
 * session, unless the plugin declared the route public — and handlers get the caller's
 * DataContext, so that whatever they read or write goes through permissions and visibility.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../api/env.js';
import { jsonBody } from '../api/errors.js';
import { forbidden, HttpError, notFound } from '../errors.js';
import { fieldType } from '../schema/field-types.js';
import type { Action } from '../data/access.js';
import type { Plugin } from './define-plugin.js';
import type { PluginHost } from './host.js';
import { setEnabled } from './lifecycle.js';
import { matchRoute } from './route-match.js';
import { pluginScope } from './scope.js';
import { bindContext } from './bound-context.js';
import type { ActAs, PublicRouteContext, RequestParts, RouteContext } from './types.js';

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
  const parts: RequestParts = {
    req: c.req,
    params: found.params,
    body: async <B>() => (await jsonBody(c)) as B,
    json: (value, status = 200) => c.json(value as object, status),
    log,
  };
  const handler = spec.handler;
  const actAs: ActAs<any> = async (username, within) => {
    const data = await host.contextFor(username, generation);
    if (!data) throw new HttpError(503, 'unavailable', `This service is not set up: the account "${username}" it acts as does not exist or is inactive`);
    return pluginScope(within ? bindContext(data, within.tx) : data, log);
  };
  let result: unknown;
  try {
    if (open) {
      const ctx: PublicRouteContext<any> = { ...parts, actAs };
      result = await handler(ctx);
    } else {
      const data = c.get('data');
      const requires = spec.requires;
      if (requires === 'admin' && !data.access.actor.isAdmin) throw forbidden('admin', `Only admins may use ${c.req.method} ${c.req.path}`);
      if (requires && requires !== 'admin') {
        const [module, action] = requires.split(':') as [string, Action];
        data.access.require(data.module(module), action);
      }
      const ctx: RouteContext<any> = { ...pluginScope(data, log), ...parts, actAs };
      result = await handler(ctx);
    }
  } catch (e) {
    if (!(e instanceof HttpError)) log(`${c.req.method} ${c.req.path} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    throw e;
  }
  if (result instanceof Response) return result;
  if (result === undefined) return c.body(null, 204);
  return c.json(result as object);
}
