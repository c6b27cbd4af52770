import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { DataContext } from '../data/context.js';
import { adminAccess } from '../rules/access.js';

const roots = new WeakMap<DataContext, DataContext>();
const transactions = new WeakMap<DataContext, Transaction>();

/**
 * The same caller's context, with every statement run in `tx`: reads see what the transaction
 * wrote so far, and engine writes join it (Database.transaction joins an outer transaction). So
 * a hook that creates a record and then one referring to it works through the ordinary engine
 * functions, all or nothing together.
 */
export function bindContext(ctx: DataContext, tx: Transaction): DataContext {
  if (transactions.get(ctx) === tx) return ctx;
  const root = unbound(ctx);
  const db = boundDatabase(root.db, tx);
  // A copy of every field (so that fields added to DataContext later come along), with the bound database.
  const bound = Object.assign(Object.create(DataContext.prototype) as DataContext, root, { db });
  roots.set(bound, root);
  transactions.set(bound, tx);
  return bound;
}

/** The context a bound one was made from: for work after the commit, outside the finished transaction. */
export function unbound(ctx: DataContext): DataContext {
  return roots.get(ctx) ?? ctx;
}

export function transactionOf(ctx: DataContext): Transaction | undefined {
  return transactions.get(ctx);
}

function boundDatabase(db: Database, tx: Transaction): Database {
  const bound = Object.create(db) as Database & Record<string, unknown>;
  bound.all = (statement, t) => db.all(statement, t ?? tx);
  bound.insert = (statement, t) => db.insert(statement, t ?? tx);
  bound.update = (statement, t) => db.update(statement, t ?? tx);
  bound.delete = (statement, t) => db.delete(statement, t ?? tx);
  bound.transaction = (fn, outer) => fn(outer ?? tx);
  return bound;
}

/**
 * The same context (and transaction) reading as the engine itself: every record and field. For
 * what hooks are shown — the record before and after a write, whole — never for the caller's reply.
 */
export function systemView(ctx: DataContext): DataContext {
  return Object.assign(Object.create(DataContext.prototype) as DataContext, ctx, { access: adminAccess(ctx.access.actor) });
}
