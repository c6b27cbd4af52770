import { DataTypes } from 'sequelize';
import type { Database } from '../db/database.js';

/**
 * The bytes of every uploaded file, in the application database: several server processes share
 * the database and no disk, so a file must be readable by whichever process serves its download.
 */
export const FILES_TABLE = '_stratum_files';

/** Creates `_stratum_files` unless it exists. Safe on every start and from several processes. */
export async function ensureFilesTable(db: Database): Promise<void> {
  const qi = db.sequelize.getQueryInterface();
  if ((await qi.showAllTables()).map(String).includes(FILES_TABLE)) return;
  try {
    await qi.createTable(FILES_TABLE, {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      sha256: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      type: { type: DataTypes.STRING(127), allowNull: false },
      size: { type: DataTypes.INTEGER, allowNull: false },
      createdBy: { type: DataTypes.INTEGER, allowNull: false },
      createdAt: { type: DataTypes.DATE(3), allowNull: false },
      // Set when a record first takes the file; uploads nobody took are swept after a day.
      attachedAt: { type: DataTypes.DATE(3), allowNull: true },
      // LONGBLOB on MariaDB (a BLOB holds only 64 KiB), BLOB on SQLite.
      data: { type: DataTypes.BLOB('long'), allowNull: false },
    }, { charset: 'utf8mb4', collate: 'utf8mb4_bin' });
    await qi.addIndex(FILES_TABLE, ['attachedAt', 'createdAt'], { name: `${FILES_TABLE}_unattached` });
  } catch (e) {
    // Another process created it first.
    if (!(await qi.showAllTables()).map(String).includes(FILES_TABLE)) throw e;
  }
}
