/**
 * The plugin API's entry point (docs/PLUGINS.md):
 *
 *   export default definePlugin({ name: 'example', version: '1.0.0', hooks: { note: { … } } });
 *
 * `definePlugin` checks the definition's shape at load, so that a mistake shows when the server
 * starts, with the plugin's name, not at the first request that reaches it.
 */
import { fileURLToPath } from 'node:url';
import { HttpError, invalidWith, type ErrorDetail as EngineDetail } from '../errors.js';
import type { Modules } from '../generated/modules.js';
import type { PluginDefinition } from './types.js';
import { uiProblems } from './ui-problems.js';

export type * from './types.js';
export { HttpError, httpError, forbidden, notFound } from '../errors.js';
/** A detail of a plugin's refusal: its code is the plugin's own. */
export type ErrorDetail = EngineDetail<string>;

/** 400 with the plugin's own code (the engine's codes are in core/error-codes.ts; `httpError` answers with those). */
export const badRequest = (code: string, message: string, details: readonly ErrorDetail[] = []) => new HttpError(400, code, message, details);

/** 409 with the plugin's own code. */
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) => new HttpError(409, code, message, [], extra);
export type { FieldType } from '../schema/field-types.js';
/** Where the server keeps its files (`DATA_DIR`): a plugin that stores files keeps them under it. */
export { dataDir } from '../data-dir.js';

const PLUGIN_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const ROUTE = /^(GET|POST|PUT|PATCH|DELETE) (\/(?:[A-Za-z0-9_.~-]+|:[a-zA-Z][a-zA-Z0-9_]*))+$|^(GET|POST|PUT|PATCH|DELETE) \/$/;
const VARIABLE = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
/** `$user.<name>` the engine defines itself (core/rules/user-variables.ts). */
const BUILTIN_VARIABLES = ['id', 'username', 'department', 'departmentCode', 'roles'];
/** Paths the admin endpoints take: POST /api/plugins/<name>/enable and /disable. */
const RESERVED_ROUTES = ['POST /enable', 'POST /disable'];
const RECORD_ROUTE = /^(GET|POST|PUT|PATCH|DELETE) ([a-z][a-z0-9_-]{0,62})$/;
/** What the engine answers under /api/data/<m>/<id>/ itself. */
const ENGINE_RECORD_ROUTES = ['can', 'explain', 'restore', 'files'];

/** A loaded plugin, as the host handles it (hooks untyped). */
export interface Plugin {
  readonly name: string;
  readonly version: string;
  readonly definition: PluginDefinition<any>;
  /** The folder of its module definitions, when it ships any. */
  readonly metadataDir: string | undefined;
}

/**
 * Declares a plugin. Typed over the generated `Modules`: hook payloads and records are the
 * modules' record types, so a misspelled module or field name does not compile. For modules
 * created at runtime, widen the map: `definePlugin<Modules & { ticket: Ticket }>({ … })`.
 */
export function definePlugin<M extends object = Modules>(definition: PluginDefinition<NoInfer<M>>): Plugin {
  const problems = definitionProblems(definition as PluginDefinition<any>);
  if (problems.length > 0) {
    throw new Error(`Plugin "${String(definition?.name)}" is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const metadata = definition.metadata;
  return {
    name: definition.name,
    version: definition.version,
    definition: definition as PluginDefinition<any>,
    metadataDir: metadata === undefined ? undefined : metadata instanceof URL ? fileURLToPath(metadata) : metadata,
  };
}

/** Refuses a write from a hook: 400 `invalid`, the field named by a JSON pointer (`/title`), nothing written. */
export function refuse(path: string, message: string, code = 'refused'): never {
  throw invalidWith([{ path, message, code }]);
}

/** Several faults at once, one detail each. */
export function refuseAll(details: readonly ErrorDetail[]): never {
  throw invalidWith(details);
}

function definitionProblems(d: PluginDefinition<any>): string[] {
  const out: string[] = [];
  if (typeof d !== 'object' || d === null) return ['definePlugin needs an object'];
  if (typeof d.name !== 'string' || !PLUGIN_NAME.test(d.name)) out.push('name: lowercase letters, digits and _, starting with a letter (the folder name under modules/)');
  if (typeof d.version !== 'string' || d.version.trim() === '' || d.version.length > 32) out.push('version: a version string such as "1.0.0"');
  for (const [module, hooks] of Object.entries(d.hooks ?? {})) {
    for (const [name, fn] of Object.entries(hooks ?? {})) {
      if (!HOOK_NAMES.has(name)) out.push(`hooks.${module}.${name}: not a hook; use ${[...HOOK_NAMES].join(', ')}`);
      else if (typeof fn !== 'function') out.push(`hooks.${module}.${name}: must be a function`);
    }
  }
  const routes: [string, string, unknown][] = [
    ...Object.entries(d.routes ?? {}).map(([r, s]): [string, string, unknown] => ['routes', r, typeof s === 'function' ? s : (s as { handler?: unknown })?.handler]),
    ...Object.entries(d.publicRoutes ?? {}).map(([r, s]): [string, string, unknown] => ['publicRoutes', r, s]),
  ];
  for (const [where, route, handler] of routes) {
    if (!ROUTE.test(route)) out.push(`${where}["${route}"]: write "METHOD /path", e.g. "GET /summary" or "POST /notes/:id/close"`);
    if (RESERVED_ROUTES.includes(route)) out.push(`${where}["${route}"]: taken by the admin endpoint POST /api/plugins/<name>${route.slice(5)}`);
    if (typeof handler !== 'function') out.push(`${where}["${route}"]: a handler function${where === 'routes' ? ', or { handler, requires }' : ''}`);
  }
  for (const route of Object.keys(d.publicRoutes ?? {})) {
    if (d.routes && route in d.routes) out.push(`publicRoutes["${route}"]: also in routes; a route is public or behind login, not both`);
  }
  for (const [route, spec] of Object.entries(d.recordRoutes ?? {})) {
    const name = RECORD_ROUTE.exec(route)?.[2];
    if (!name) out.push(`recordRoutes["${route}"]: write "METHOD name", e.g. "GET history", for /api/data/<module>/<id>/history`);
    else if (ENGINE_RECORD_ROUTES.includes(name)) out.push(`recordRoutes["${route}"]: /api/data/<module>/<id>/${name} is the engine's`);
    const s = spec as { handler?: unknown; query?: unknown; bodyFields?: unknown } | undefined;
    if (typeof spec !== 'function' && typeof s?.handler !== 'function') out.push(`recordRoutes["${route}"]: a handler function, or { handler, query, bodyFields }`);
    for (const list of ['query', 'bodyFields'] as const) {
      if (typeof spec !== 'function' && s?.[list] !== undefined && !(Array.isArray(s[list]) && s[list].every((n: unknown) => typeof n === 'string'))) out.push(`recordRoutes["${route}"].${list}: a list of names`);
    }
  }
  for (const name of Object.keys(d.variables ?? {})) {
    if (!VARIABLE.test(name)) out.push(`variables.${name}: a name of letters, digits and _`);
    if (BUILTIN_VARIABLES.includes(name)) out.push(`variables.${name}: $user.${name} is built in`);
    if (typeof d.variables![name] !== 'function') out.push(`variables.${name}: must be a function`);
  }
  for (const [name, type] of Object.entries(d.fieldTypes ?? {})) {
    if (typeof type?.schema !== 'object' || type.schema === null) out.push(`fieldTypes.${name}: needs a schema, e.g. { "type": "string", "maxLength": 32 }`);
  }
  if (d.demo !== undefined && typeof d.demo !== 'function') out.push('demo: a function (ctx) => { … } that installs the demo data');
  out.push(...uiProblems(d));
  return out;
}

const HOOK_NAMES = new Set([
  'beforeCreate', 'afterCreate', 'afterCreateCommit',
  'beforeUpdate', 'afterUpdate', 'afterUpdateCommit',
  'beforeDelete', 'afterDelete', 'afterDeleteCommit',
  'afterRestore', 'afterRestoreCommit',
]);
