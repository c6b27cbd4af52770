import type { ModelAttributes } from 'sequelize';
import type { Database } from './database.js';

/**
 * Creates an engine table (`_stratum_…`) with its indexes unless it exists; true when it was
 * missing and this call created it. Safe on every start and when several processes start at
 * once: a create that fails because another process made the table first is no error. (The create
 * is IF NOT EXISTS, so two calls racing may both answer true; starts do not race, they install one
 * after the other under the database's install lock, Stratum.open.)
 */
export async function ensureSystemTable(
  db: Pick<Database, 'sequelize'>, name: string, columns: ModelAttributes, indexes: readonly { name: string; fields: string[] }[] = [],
): Promise<boolean> {
  const qi = db.sequelize.getQueryInterface();
  const exists = async () => (await qi.showAllTables()).map(String).includes(name);
  if (await exists()) {
    await addMissingColumns(db, name, columns);
    return false;
  }
  try {
    await qi.createTable(name, columns, { charset: 'utf8mb4', collate: 'utf8mb4_bin' });
    for (const index of indexes) await qi.addIndex(name, index.fields, { name: index.name });
    return true;
  } catch (e) {
    // Another process created it first.
    if (!(await exists())) throw e;
    return false;
  }
}

/**
 * A table made by an earlier version gets the columns added since (each nullable or with a
 * default, as such columns are written), so that an upgraded database starts.
 */
async function addMissingColumns(db: Pick<Database, 'sequelize'>, name: string, columns: ModelAttributes): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  const present = await qi.describeTable(name);
  for (const [column, options] of Object.entries(columns)) {
    if (column in present) continue;
    try {
      await qi.addColumn(name, column, options as never);
    } catch (e) {
      // Another process added it first.
      if (!(column in (await qi.describeTable(name)))) throw e;
    }
  }
}
