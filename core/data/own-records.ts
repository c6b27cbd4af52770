import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import type { ModuleGraph } from '../schema/module.js';
import { OWN_RECORDS_MODULES } from '../rules/own-records.js';

/**
 * A deleted user's personal records (saved views) go with them, in the delete's transaction:
 * nobody else may ever read them, so kept they would only wait for a database that reuses the id.
 * `createdBy` is no reference, so the delete does not cascade by itself. None of these modules
 * has a department column, so no maintained count changes.
 */
export async function deleteOwnRecordsOf(db: Database, graph: ModuleGraph, userId: number, tx: Transaction): Promise<void> {
  const q = (s: string) => db.quote(s);
  for (const name of OWN_RECORDS_MODULES) {
    const module = graph.modules.get(name);
    if (module?.builtin) await db.delete({ sql: `DELETE FROM ${q(module.table)} WHERE ${q('createdBy')} = $1`, params: [userId] }, tx);
  }
}
