/**
 * What a plugin author writes against. Everything is typed over a map of module name → record
 * type, by default the generated `Modules` (core/generated/modules.ts, `npm run types`), so that
 * a hook on `user` sees a `User` and `payload.usrname` does not compile.
 */
import type { HonoRequest } from 'hono';
import type { Action, Actor } from '../rules/access.js';
import type { Scalar } from '../query/ast.js';
import type { FieldType } from '../schema/field-types.js';
import type { PluginUi } from './ui-types.js';
import type { DemoContext, DemoResult } from './demo-types.js';

export type * from './ui-types.js';
export type * from './demo-types.js';

type Awaitable<T> = T | Promise<T>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Fields the engine maintains; no payload carries them. */
export type SystemField = 'id' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy' | 'version';
type Writable<T> = Exclude<keyof T, SystemField>;
type Optional<T, K extends keyof T> = null extends T[K] ? true : undefined extends T[K] ? true : false;

/**
 * A create payload as the before hook sees it: validated, defaults filled in. Required fields are
 * present; the others (nullable in the record type) may be missing.
 */
export type CreateInput<T> = Simplify<
  { [K in Writable<T> as Optional<T, K> extends true ? never : K]: T[K] } & {
    [K in Writable<T> as Optional<T, K> extends true ? K : never]?: T[K];
  }
>;

/** An update payload: only the fields that change. */
export type UpdateInput<T> = { [K in Writable<T>]?: T[K] };

/** Per field that an update changed: its value before and after. */
export type Changes<T> = { [K in Writable<T>]?: { readonly before: T[K]; readonly after: T[K] } };

export interface UpdateEvent<T> {
  readonly id: number;
  /** The record as it was, and as it is now written (still in the transaction in afterUpdate). */
  readonly before: T;
  readonly after: T;
  readonly changes: Changes<T>;
}

/** A list filter (API.md "Records"): field names of the module, paths through references, and/or/not. */
export type Filter<T> = { [K in (keyof T & string) | `${keyof T & string}.${string}` | 'and' | 'or' | 'not']?: unknown };

export interface ListQuery<T> {
  filter?: Filter<T>;
  q?: string;
  /** `-createdAt,title` */
  sort?: string;
  /** `title,owner.name` */
  fields?: string;
  page?: number;
  pageSize?: number;
  total?: 'exact' | 'capped' | 'estimated' | 'none';
}

/** One module's records, through the same engine functions as the REST API: permissions, visibility and validation apply. */
export interface Records<T> {
  list(query?: ListQuery<T>): Promise<{ data: T[]; meta: { total: number | null; page: number; pageSize: number } }>;
  /** 404 when there is no such record or the caller may not see it. */
  get(id: number): Promise<T>;
  create(input: CreateInput<T>): Promise<T>;
  /** With `version`, refused with 409 when the record changed since (optimistic locking). */
  update(id: number, patch: UpdateInput<T>, options?: { version?: number }): Promise<T>;
  delete(id: number): Promise<void>;
  /** What the caller may do with one record they can read (each action's scope asked); 404 as `get`. */
  can(id: number): Promise<{ update: boolean; delete: boolean }>;
  /** `{ groupBy: 'status', metrics: 'count(),sum(amount)' }` → one row per group, keyed by the expressions. */
  aggregate(query: { groupBy?: string; metrics?: string; filter?: Filter<T> }): Promise<{ data: Record<string, unknown>[] }>;
}

/**
 * Data access on behalf of one caller, and only through the engine: a plugin never holds the
 * database, a transaction object or an engine context, so every read and write it makes is
 * checked, scoped and validated like a request's, and shows in the history as that caller's.
 */
export interface PluginScope<M> {
  /** Who acts: the caller of the request (or the account given to actAs). */
  readonly actor: Actor;
  records<K extends keyof M & string>(module: K): Records<M[K]>;
  /**
   * Runs `fn` once the current transaction has committed — never when it rolls back — or at once
   * when there is none. A failure is logged; it never turns the committed write into an error.
   */
  afterCommit(fn: () => unknown): void;
  /** Runs `fn` in one transaction (all or nothing); inside a transaction already, joins it. */
  transaction<R>(fn: (scope: TransactionScope<M>) => Promise<R>): Promise<R>;
  /**
   * The escape for the rare task that needs more than the caller may do: `fn` gets records with
   * an admin's permissions and visibility — still the engine (validation, hooks, history), never
   * SQL — acting as the same actor. Each use is recorded with the plugin's name and `reason`
   * (1 to 200 characters: why no role grants it), in the same transaction as what `fn` does, and
   * admins read the uses at GET /api/plugins/audit/system-uses. Prefer `actAs` with a service
   * account whose role says exactly what it may do.
   */
  system<R>(reason: string, fn: (scope: TransactionScope<M>) => Promise<R>): Promise<R>;
  log(message: string): void;
}

/** The scope inside `transaction(fn)` (and every hook's): each call joins that one transaction. */
export interface TransactionScope<M> extends PluginScope<M> {
  readonly inTransaction: true;
}

/** What every hook gets: the caller, and data access inside the write's own transaction. */
export interface HookContext<M> extends TransactionScope<M> {
  /** The module whose record is being written. */
  readonly module: string;
  /**
   * In `afterCreate` and `afterUpdate`: the values the write was given — the caller's payload
   * after every before hook (a create's with the definition's defaults filled in) — including
   * write-only fields, which the record itself never shows.
   */
  readonly written?: Readonly<Record<string, unknown>>;
}

/**
 * Hooks on one module's writes. `before*` and `after*` run inside the write's transaction: throw
 * (e.g. `refuse('/title', 'must not be empty')`) to refuse, and nothing is written. A before hook
 * may return a changed payload (or change it in place); it is validated like the caller's input.
 * `after*Commit` run after the commit only.
 */
export interface ModuleHooks<T, M> {
  beforeCreate?(payload: CreateInput<T>, ctx: HookContext<M>): Awaitable<CreateInput<T> | void>;
  afterCreate?(record: T, ctx: HookContext<M>): Awaitable<void>;
  afterCreateCommit?(record: T, ctx: PluginScope<M>): Awaitable<void>;
  beforeUpdate?(change: { readonly id: number; patch: UpdateInput<T>; readonly before: T }, ctx: HookContext<M>): Awaitable<UpdateInput<T> | void>;
  afterUpdate?(change: UpdateEvent<T>, ctx: HookContext<M>): Awaitable<void>;
  afterUpdateCommit?(change: UpdateEvent<T>, ctx: PluginScope<M>): Awaitable<void>;
  beforeDelete?(record: T, ctx: HookContext<M>): Awaitable<void>;
  afterDelete?(record: T, ctx: HookContext<M>): Awaitable<void>;
  afterDeleteCommit?(record: T, ctx: PluginScope<M>): Awaitable<void>;
  /** A soft-deleted record (x-soft-delete) made live again: the record as it is now. */
  afterRestore?(record: T, ctx: HookContext<M>): Awaitable<void>;
  afterRestoreCommit?(record: T, ctx: PluginScope<M>): Awaitable<void>;
}

export type HookName = keyof ModuleHooks<unknown, unknown>;

/** The request, as every route handler sees it. */
export interface RequestParts {
  /** Hono's request: `query()`, `header()`, `raw`, … (route parameters are in `params`). */
  readonly req: HonoRequest;
  /** `:name` parts of the route path. */
  readonly params: Readonly<Record<string, string>>;
  /** The JSON body; 415 unless sent as application/json, 400 when it does not parse. */
  body<B = unknown>(): Promise<B>;
  /** A JSON reply with a status (and headers); returning a plain value from the handler is the same with 200. */
  json(value: unknown, status?: 200 | 201 | 202, headers?: Readonly<Record<string, string>>): Response;
  log(message: string): void;
}

/**
 * Data access as a named account (a service account with only the permissions the route needs),
 * with that account's permissions and visibility; 503 when it does not exist or is inactive. Given
 * `within` (the scope of `transaction(fn)`), its work joins that transaction: all or nothing with
 * the caller's own writes (an approval that also opens an account the caller may not create).
 */
export type ActAs<M> = (username: string, within?: TransactionScope<M>) => Promise<PluginScope<M>>;

/** A route behind login: the caller's own scope; data access sees what the caller may see. */
export type RouteContext<M> = PluginScope<M> & RequestParts & { readonly actAs: ActAs<M> };

/** A record route: a route behind login, about one record of any module (`/api/data/<module>/<id>/<name>`). */
export type RecordRouteContext<M> = RouteContext<M> & { readonly record: { readonly module: string; readonly id: number } };

/** A route without login (e.g. a sign-up link): no caller; act as a named account to touch data. */
export interface PublicRouteContext<M> extends RequestParts {
  readonly actAs: ActAs<M>;
}

/** A reply: a Response, a value sent as JSON with 200, or nothing (204). */
export type RouteHandler<C> = (ctx: C) => Awaitable<unknown>;

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `"METHOD /path"` (`"GET /summary"`, `"POST /notes/:id/close"`), mounted under `/api/plugins/<name>/`. */
export type RouteKey = `${RouteMethod} /${string}`;

export type RouteSpec<M> =
  | RouteHandler<RouteContext<M>>
  | {
      readonly handler: RouteHandler<RouteContext<M>>;
      /** Checked before the handler: `"note:read"` needs that permission, `"admin"` the admin role. */
      readonly requires?: `${keyof M & string}:${Action}` | 'admin';
    };

export type Routes<M> = { readonly [route: RouteKey]: RouteSpec<M> };

/** `"METHOD name"` (`"GET history"`): mounted at `/api/data/<module>/<id>/<name>` for every module. */
export type RecordRouteKey = `${RouteMethod} ${string}`;

export type RecordRouteSpec<M> =
  | RouteHandler<RecordRouteContext<M>>
  | {
      readonly handler: RouteHandler<RecordRouteContext<M>>;
      /** The query parameters it takes; any other is refused with 400 `unknown_parameter`. */
      readonly query?: readonly string[];
      /** The top-level fields of its JSON body; any other is refused with 400 `unknown_field`. */
      readonly bodyFields?: readonly string[];
    };

export type RecordRoutes<M> = { readonly [route: RecordRouteKey]: RecordRouteSpec<M> };

/** Routes without login, each one named here on purpose (a sign-up link). */
export type PublicRoutes<M> = { readonly [route: RouteKey]: RouteHandler<PublicRouteContext<M>> };

/** `$user.<name>` in rules: the values for one user (a list for `in`), or null when there are none. */
export type VariableResolver<M> = (
  user: { readonly id: number; readonly username: string },
  /** Data access as the built-in admin: what the user may see is being decided, so not as them. */
  ctx: PluginScope<M>,
) => Awaitable<Scalar | readonly Scalar[] | null | undefined>;

export interface LifecycleInfo {
  readonly name: string;
  readonly version: string;
  log(message: string): void;
}

export interface PluginDefinition<M> {
  /** The folder name under modules/: lowercase letters, digits and _. */
  readonly name: string;
  /** Compared with the version installed in the database: a different one runs `upgrade`. */
  readonly version: string;
  readonly description?: string;
  /**
   * A folder of module definitions the plugin ships (`new URL('./metadata/', import.meta.url)`);
   * `<plugin folder>/metadata` when the plugin is loaded from modules/.
   */
  readonly metadata?: string | URL;
  /** Per module; `'*'` hooks every module (an audit), after that module's own hooks. */
  readonly hooks?: { readonly [K in keyof M]?: ModuleHooks<M[K], M> } & { readonly '*'?: ModuleHooks<Record<string, unknown>, M> };
  /** Behind login, like the rest of /api: the caller's permissions and visibility apply. */
  readonly routes?: Routes<M>;
  /** Without login. A route may not be in both. */
  readonly publicRoutes?: PublicRoutes<M>;
  /**
   * Behind login, about one record of any module: `{ 'GET history': handler }` answers
   * `GET /api/data/<module>/<id>/history` while the plugin is enabled (404 `<name>_off` while it
   * is disabled). The handler checks what the caller may see of the record, e.g. `records(module).get(id)`.
   */
  readonly recordRoutes?: RecordRoutes<M>;
  /** `"x-type": "<name>"` on a property. */
  readonly fieldTypes?: Readonly<Record<string, FieldType>>;
  /** `$user.<name>` in rule filters. */
  readonly variables?: Readonly<Record<string, VariableResolver<M>>>;
  /** Pages, record actions, panels and field widgets in the admin UI (core/plugins/ui-types.ts). */
  readonly ui?: PluginUi<M>;
  /** Demo data, installed by `npm start` on a new database unless DEMO=0; as the built-in admin (core/plugins/demo-types.ts). */
  demo?(ctx: DemoContext<M>): Awaitable<DemoResult>;
  /** In every process, at start, whether enabled or not (in-process setup, e.g. a mail transport). */
  load?(info: LifecycleInfo): Awaitable<void>;
  /** Once per database, when the plugin is first seen; in a transaction, as the built-in admin. */
  install?(ctx: TransactionScope<M> & LifecycleInfo): Awaitable<void>;
  /** When the code's version differs from the installed one; in a transaction, as the built-in admin. */
  upgrade?(ctx: TransactionScope<M> & LifecycleInfo & { readonly from: string }): Awaitable<void>;
  /** When an admin enables or disables it, in that request's transaction, as that admin. */
  enable?(ctx: TransactionScope<M> & LifecycleInfo): Awaitable<void>;
  disable?(ctx: TransactionScope<M> & LifecycleInfo): Awaitable<void>;
}
