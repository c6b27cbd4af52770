import { DataTypes } from 'sequelize';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';

/**
 * The bytes of every uploaded file, in the application database: several server processes share
 * the database and no disk, so a file must be readable by whichever process serves its download.
 */
export const FILES_TABLE = '_stratum_files';

/** Creates `_stratum_files` unless it exists (see ensureSystemTable). */
export async function ensureFilesTable(db: Database): Promise<void> {
  await ensureSystemTable(db, FILES_TABLE, {
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
  }, [{ name: `${FILES_TABLE}_unattached`, fields: ['attachedAt', 'createdAt'] }]);
}
