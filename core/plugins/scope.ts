import type { DataContext } from '../data/context.js';
import { aggregateRecords, getRecord, listRecords } from '../data/read-records.js';
import { createRecord, deleteRecord, updateRecord } from '../data/write-records.js';
import type { ListParams } from '../query/parse-list.js';
import { bindContext, transactionOf, unbound } from './bound-context.js';
import type { ListQuery, PluginScope, Records, TransactionScope } from './types.js';

export type Log = (line: string) => void;
type AnyRecord = Record<string, unknown>;

/**
 * Data access for plugin code on behalf of the caller of `ctx`, through the engine's own
 * functions: the caller's permissions, visibility and validation apply, and the enabled plugins'
 * hooks run. Bound to a transaction (a hook's), every call joins it.
 */
export function pluginScope(ctx: DataContext, log: Log): PluginScope<any> {
  const tx = transactionOf(ctx);
  const scope: PluginScope<any> & { tx?: unknown } = {
    actor: ctx.access.actor,
    data: ctx,
    records: (module: string) => recordsOf(ctx, module),
    afterCommit(fn) {
      if (tx) tx.afterCommit(() => runAfterCommit(fn, log));
      else void runAfterCommit(fn, log);
    },
    transaction<R>(fn: (scope: TransactionScope<any>) => Promise<R>): Promise<R> {
      if (tx) return fn(scope as TransactionScope<any>);
      return ctx.db.transaction((t) => fn(pluginScope(bindContext(ctx, t), log) as TransactionScope<any>));
    },
    log,
    ...(tx ? { tx } : {}),
  };
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

export function recordsOf(ctx: DataContext, name: string): Records<AnyRecord> {
  const module = ctx.module(name);
  return {
    list: (query = {}) => listRecords(ctx, module, listParams(query)),
    get: (id) => getRecord(ctx, module, id),
    create: (input) => createRecord(ctx, module, input),
    update: (id, patch, options) => updateRecord(ctx, module, id, options?.version === undefined ? patch : { ...patch, version: options.version }),
    delete: (id) => deleteRecord(ctx, module, id),
    aggregate: (query) => aggregateRecords(ctx, module, {
      groupBy: query.groupBy, metrics: query.metrics, filter: query.filter === undefined ? undefined : JSON.stringify(query.filter),
    }),
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
