/**
 * The plugins of one Stratum: the code loaded in this process, and which of them are enabled —
 * read from the database per generation of the registry, like the module graph, so that every
 * process sharing the database agrees from the next request on.
 */
import type { Database } from '../db/database.js';
import type { Registry } from '../db/registry.js';
import { adminAccess, type Actor } from '../rules/access.js';
import { DataContext } from '../data/context.js';
import { loadActor } from '../auth/actor.js';
import { loadAccess, type VariableSource } from '../auth/load-access.js';
import type { Plugin } from './define-plugin.js';
import { PluginHooks } from './hooks.js';
import { ensurePluginTable, pluginStates, type PluginState } from './plugin-state.js';
import { compileRoutes, matchRoute, type CompiledRoute } from './route-match.js';
import { pluginScope, type Log } from './scope.js';
import { ensureSystemUsesTable } from './system-access.js';
import type { PluginScope } from './types.js';
import type { UiPage } from './ui-types.js';
import { variableSource } from './variables.js';

/** One declared route, public or behind login. */
export interface PluginRoute {
  readonly public: boolean;
  readonly handler: (ctx: any) => unknown;
  readonly requires?: string;
}

/** One declared record route: `/api/data/<module>/<id>/<name>`, behind login. */
export interface RecordRoute {
  readonly plugin: Plugin;
  readonly method: string;
  readonly name: string;
  readonly handler: (ctx: any) => unknown;
  readonly query: readonly string[];
  readonly bodyFields?: readonly string[];
}

/** The plugins enabled at one generation, and what they contribute to a request. */
export interface ActivePlugins {
  readonly generation: number;
  readonly enabled: readonly Plugin[];
  readonly states: ReadonlyMap<string, PluginState>;
  /** Undefined when no enabled plugin has hooks: the engine then writes as without plugins. */
  readonly hooks: PluginHooks | undefined;
  /** Undefined when no enabled plugin defines `$user` variables. */
  readonly variables: VariableSource | undefined;
  isEnabled(name: string): boolean;
}

export class PluginHost {
  private cached: ActivePlugins | undefined;
  private loading: Promise<ActivePlugins> | undefined;
  private readonly routeTables = new Map<string, CompiledRoute<PluginRoute>[]>();
  /** Each plugin's UI pages (`ui.pages`), matched like its routes. */
  private readonly pageTables = new Map<string, CompiledRoute<UiPage>[]>();
  private readonly byName: ReadonlyMap<string, Plugin>;
  /** Every loaded plugin's record routes, enabled or not: the app mounts them once, each answers while its plugin is enabled. */
  readonly recordRoutes: readonly RecordRoute[];

  constructor(
    readonly db: Database,
    readonly registry: Registry,
    readonly plugins: readonly Plugin[],
    private readonly logLine: Log,
  ) {
    const byName = new Map<string, Plugin>();
    for (const p of plugins) {
      if (byName.has(p.name)) throw new Error(`Two plugins are named "${p.name}"`);
      byName.set(p.name, p);
      this.routeTables.set(p.name, compileRoutes(routeTable(p)));
      this.pageTables.set(p.name, compileRoutes(Object.fromEntries((p.definition.ui?.pages ?? []).map((page) => [`GET ${page.path}`, page]))));
    }
    this.byName = byName;
    this.recordRoutes = recordRouteTable(plugins);
  }

  async ensureTable(): Promise<void> {
    await ensurePluginTable(this.db);
    await ensureSystemUsesTable(this.db);
  }

  plugin(name: string): Plugin | undefined {
    return this.byName.get(name);
  }

  /** Whether `path` is one of the plugin's UI pages; trailing slashes do not count. */
  hasPage(name: string, path: string): boolean {
    return matchRoute(this.pageTables.get(name) ?? [], 'GET', path.replace(/(.)\/+$/, '$1')) !== undefined;
  }

  routesOf(name: string): readonly CompiledRoute<PluginRoute>[] {
    return this.routeTables.get(name) ?? [];
  }

  logFor(plugin: Plugin): Log {
    return Object.assign((line: string) => this.logLine(`[plugin ${plugin.name}] ${line}`), { plugin });
  }

  /**
   * Whether `/api/plugins/<name>/<rest>` is a route its plugin declares public, so that the
   * middleware lets it through without a session. Enabled or not is decided by the dispatcher.
   */
  isPublicRoute(method: string, path: string): boolean {
    const m = /^\/api\/plugins\/([a-z][a-z0-9_]{0,62})(\/.*)?$/.exec(path);
    if (!m) return false;
    const found = matchRoute(this.routesOf(m[1]!), method, m[2] ?? '/');
    return found?.route.spec.public === true;
  }

  /** The plugins enabled at a generation the caller has just read; re-read only when it moved. */
  async active(generation: number): Promise<ActivePlugins> {
    if (this.cached && this.cached.generation === generation) return this.cached;
    if (!this.loading) this.loading = this.load(generation).finally(() => (this.loading = undefined));
    const loaded = await this.loading;
    return loaded.generation === generation ? loaded : this.active(generation);
  }

  private async load(generation: number): Promise<ActivePlugins> {
    const states = await pluginStates(this.db);
    const enabled = this.plugins.filter((p) => states.get(p.name)?.enabled === true);
    const names = new Set(enabled.map((p) => p.name));
    const withHooks = enabled.filter((p) => Object.keys(p.definition.hooks ?? {}).length > 0);
    const active: ActivePlugins = {
      generation,
      enabled,
      states,
      hooks: withHooks.length > 0 ? new PluginHooks(withHooks, (p) => this.logFor(p)) : undefined,
      variables: variableSource(enabled, (plugin) => this.adminScope(generation, plugin)),
      isEnabled: (name) => names.has(name),
    };
    if (!this.cached || this.cached.generation <= generation) this.cached = active;
    return active;
  }

  /** A caller's context at a generation, as a request would build it (for public routes acting as an account). */
  async contextFor(username: string, generation: number): Promise<DataContext | undefined> {
    const q = (s: string) => this.db.quote(s);
    const rows = await this.db.all({ sql: `SELECT ${q('id')} AS id FROM ${q('user')} WHERE ${q('username')} = $1`, params: [username] });
    const actor = rows[0] ? await loadActor(this.db, Number(rows[0].id)) : undefined;
    if (!actor) return undefined;
    const [graph, active] = await Promise.all([this.registry.graphAt(generation), this.active(generation)]);
    const access = await loadAccess(this.db, graph, actor, active.variables);
    return new DataContext(this.db, this.registry, graph, access, active.hooks);
  }

  /**
   * The built-in admin's context, for lifecycle steps and `$user` variable resolvers: what a
   * user may see is what those are deciding or setting up, so they cannot run as that user.
   */
  async adminContext(generation: number): Promise<DataContext> {
    const [graph, active, actor] = await Promise.all([this.registry.graphAt(generation), this.active(generation), this.adminActor()]);
    return new DataContext(this.db, this.registry, graph, adminAccess(actor), active.hooks);
  }

  private async adminScope(generation: number, plugin: Plugin): Promise<PluginScope<any>> {
    return pluginScope(await this.adminContext(generation), this.logFor(plugin));
  }

  private admin: Actor | undefined;

  private async adminActor(): Promise<Actor> {
    if (this.admin) return this.admin;
    const q = (s: string) => this.db.quote(s);
    const rows = await this.db.all({ sql: `SELECT ${q('id')} AS id, ${q('name')} AS name FROM ${q('user')} WHERE ${q('username')} = $1`, params: ['admin'] });
    const row = rows[0];
    this.admin = { id: row ? Number(row.id) : 0, username: 'admin', name: row?.name == null ? null : String(row.name), isAdmin: true, roles: ['admin'] };
    return this.admin;
  }
}

/** `"GET history"` of each plugin; two plugins may not answer the same method and name. */
function recordRouteTable(plugins: readonly Plugin[]): RecordRoute[] {
  const out: RecordRoute[] = [];
  for (const plugin of plugins) {
    for (const [key, spec] of Object.entries(plugin.definition.recordRoutes ?? {})) {
      const [method, name] = key.split(' ') as [string, string];
      const taken = out.find((r) => r.method === method && r.name === name);
      if (taken) throw new Error(`Plugins "${taken.plugin.name}" and "${plugin.name}" both declare ${method} /api/data/<module>/<id>/${name}`);
      const s = typeof spec === 'function' ? { handler: spec } : spec;
      out.push({ plugin, method, name, handler: s.handler, query: s.query ?? [], ...(s.bodyFields ? { bodyFields: s.bodyFields } : {}) });
    }
  }
  return out;
}

function routeTable(p: Plugin): Record<string, PluginRoute> {
  const table: Record<string, PluginRoute> = {};
  for (const [route, spec] of Object.entries(p.definition.routes ?? {})) {
    table[route] = typeof spec === 'function' ? { public: false, handler: spec } : { public: false, handler: spec.handler, ...(spec.requires ? { requires: spec.requires } : {}) };
  }
  for (const [route, handler] of Object.entries(p.definition.publicRoutes ?? {})) table[route] = { public: true, handler };
  return table;
}
