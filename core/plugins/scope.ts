import type { DataContext } from '../data/context.js';
import { aggregateRecords, getRecord, listRecords } from '../data/read-records.js';
import { recordCan } from '../data/record-can.js';
import { createRecord, deleteRecord, updateRecord } from '../data/write-records.js';
import type { ListParams } from '../query/parse-list.js';
import { bindContext, transactionOf, unbound } from './bound-context.js';
import type { Plugin } from './define-plugin.js';
import { systemUse, type Written } from './system-access.js';
import type { ListQuery, PluginScope, Records, TransactionScope } from './types.js';

/** A plugin's log; the host's (`PluginHost.logFor`) also says whose it is, for the record of `system` uses. */
export type Log = ((line: string) => void) & { readonly plugin?: Plugin };
type AnyRecord = Record<string, unknown>;

/**
 * What the host knows behind a scope it handed out: the engine context and the plugin. Kept
 * here, out of the scope object and its public type, so that a plugin holds no engine handle;
 * the built-in plugins reach it through builtin/internal.ts, joining a transaction through actAs.
 */
export interface ScopeInternals {
  readonly data: DataContext;
  readonly log: Log;
}

const internals = new WeakMap<object, ScopeInternals>();

/** The engine context behind a scope the host made (or a copy made with `extendScope`). */
export function scopeInternals(scope: object): ScopeInternals | undefined {
  return internals.get(scope);
}

/** The scope with more parts (a route's request, a hook's module), still known to the host as the scope. */
export function extendScope<S extends object, E extends object>(scope: S, extra: E): S & E {
  const out = Object.assign({}, scope, extra);
  const known = internals.get(scope);
  if (known) internals.set(out, known);
  return out;
}

/**
 * Data access for plugin code on behalf of the caller of `ctx`, through the engine's own
 * functions: the caller's permissions, visibility and validation apply, and the enabled plugins'
 * hooks run. Bound to a transaction (a hook's), every call joins it. `written`, inside a
 * `system` use, collects what its records wrote, for the record of the use.
 */
export function pluginScope(ctx: DataContext, log: Log, written?: Written[]): PluginScope<any> {
  const tx = transactionOf(ctx);
  const scope: PluginScope<any> & { inTransaction?: true } = {
    actor: ctx.access.actor,
    records: (module: string) => recordsOf(ctx, module, written),
    afterCommit(fn) {
      if (tx) tx.afterCommit(() => runAfterCommit(fn, log));
      else void runAfterCommit(fn, log);
    },
    transaction<R>(fn: (scope: TransactionScope<any>) => Promise<R>): Promise<R> {
      if (tx) return fn(scope as TransactionScope<any>);
      return ctx.db.transaction((t) => fn(pluginScope(bindContext(ctx, t), log, written) as TransactionScope<any>));
    },
    system: (reason, fn) => systemUse(ctx, log, reason, (admin, uses) => fn(pluginScope(admin, log, uses) as TransactionScope<any>)),
    log,
    ...(tx ? { inTransaction: true as const } : {}),
  };
  internals.set(scope, { data: ctx, log });
  return scope;
}

/** The same caller outside any transaction: for after-commit work. */
export function committedScope(ctx: DataContext, log: Log): PluginScope<any> {
  return pluginScope(unbound(ctx), log);
}

/**
 * Runs after-commit work; a failure is logged and swallowed, because the write it follows is
 * committed and must be answered as such.
 */
export async function runAfterCommit(fn: () => unknown, log: Log): Promise<void> {
  try {
    await fn();
  } catch (e) {
    log(`after-commit work failed (the write itself is committed): ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}

export function recordsOf(ctx: DataContext, name: string, written?: Written[]): Records<AnyRecord> {
  const module = ctx.module(name);
  const wrote = <T extends { id?: unknown }>(action: Written['action'], id?: number) => (record: T): T => {
    written?.push({ module: name, id: id ?? Number(record.id), action });
    return record;
  };
  return {
    list: (query = {}) => listRecords(ctx, module, listParams(query)),
    get: (id) => getRecord(ctx, module, id),
    create: async (input) => wrote('create')(await createRecord(ctx, module, input)),
    update: async (id, patch, options) => wrote('update', id)(await updateRecord(ctx, module, id, options?.version === undefined ? patch : { ...patch, version: options.version })),
    delete: async (id) => {
      await deleteRecord(ctx, module, id);
      written?.push({ module: name, id, action: 'delete' });
    },
    aggregate: (query) => aggregateRecords(ctx, module, {
      groupBy: query.groupBy, metrics: query.metrics, filter: query.filter === undefined ? undefined : JSON.stringify(query.filter),
    }),
    can: (id) => recordCan(ctx, module, id),
  };
}

function listParams(query: ListQuery<AnyRecord>): ListParams {
  const params: ListParams = {};
  if (query.filter !== undefined) params.filter = JSON.stringify(query.filter);
  for (const key of ['q', 'sort', 'fields', 'total'] as const) if (query[key] !== undefined) params[key] = query[key];
  if (query.page !== undefined) params.page = String(query.page);
  if (query.pageSize !== undefined) params.pageSize = String(query.pageSize);
  return params;
}
