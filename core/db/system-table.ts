import type { ModelAttributes } from 'sequelize';
import type { Database } from './database.js';

/**
 * Creates an engine table (`_stratum_…`) with its indexes unless it exists. Safe on every start
 * and when several processes start at once: a create that fails because another process made the
 * table first is no error.
 */
export async function ensureSystemTable(
  db: Database, name: string, columns: ModelAttributes, indexes: readonly { name: string; fields: string[] }[] = [],
): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  const exists = async () => (await qi.showAllTables()).map(String).includes(name);
  if (await exists()) return;
  try {
    await qi.createTable(name, columns, { charset: 'utf8mb4', collate: 'utf8mb4_bin' });
    for (const index of indexes) await qi.addIndex(name, index.fields, { name: index.name });
  } catch (e) {
    // Another process created it first.
    if (!(await exists())) throw e;
  }
}
