import { Sequelize } from 'sequelize';
import path from 'node:path';

/**
 * Opens the database named by `DATABASE_URL`: `mysql://user:pass@host:port/db` (MySQL or MariaDB)
 * or `sqlite:<file>`; without it, SQLite under `DATA_DIR`.
 */
export function connect(url: string): Sequelize {
  if (url.startsWith('sqlite:')) {
    const storage = url.slice('sqlite:'.length).replace(/^\/\//, '');
    const sequelize = new Sequelize({ dialect: 'sqlite', storage, logging: false });
    busyTimeoutOnEveryConnection(sequelize);
    return sequelize;
  }
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) {
    return new Sequelize(url.replace(/^mariadb:/, 'mysql:'), {
      dialect: 'mysql',
      logging: false,
      timezone: '+00:00',
      pool: { max: 10, min: 0, idle: 10_000 },
      // Dates travel as text in UTC and decimals as numbers: the engine converts them itself.
      // `typeCast: true` replaces sequelize's per-field cast function, which made mysql2 build a
      // wrapper object for every field of every row and parse each DATETIME with moment-timezone
      // into a Date the engine then turned back into text (the million-row benchmark's Q1/Q4 profiles). Only DATETIME
      // changes (text, as on SQLite); every reader of dates already takes text.
      // mysql2 keeps every distinct statement prepared on its connection (up to 16000 each), but the
      // server allows 16382 in all (max_prepared_stmt_count): filters make many shapes of SQL, so
      // a few busy connections would exhaust it and every query would fail. Evicted ones are closed.
      dialectOptions: { typeCast: true, dateStrings: true, decimalNumbers: true, supportBigNumbers: true, charset: 'utf8mb4', maxPreparedStatements: 256 },
      define: { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci' },
    });
  }
  throw new Error(`DATABASE_URL must start with mysql:// or sqlite: (got ${url.split(':')[0]}:…)`);
}

export const defaultDatabaseUrl = (dataDir: string) => `sqlite:${path.resolve(dataDir, 'stratum.sqlite')}`;

/**
 * Sequelize opens one SQLite connection per transaction. Without a busy timeout a second writer
 * fails at once with SQLITE_BUSY instead of waiting its turn, so every connection gets one (writes
 * of this process already take turns, core/db/write-queue.ts; the wait is for other processes
 * such as `npm run schema`). The database is put in WAL mode: readers then neither wait for the
 * writer nor hold it up, and a commit appends to one file instead of rewriting a journal and the
 * database. `synchronous` keeps its default, FULL, so that an acknowledged write survives a power cut.
 */
function busyTimeoutOnEveryConnection(sequelize: Sequelize) {
  const manager = (sequelize as unknown as { connectionManager: { getConnection(o?: unknown): Promise<SqliteConnection> } })
    .connectionManager;
  const original = manager.getConnection.bind(manager);
  const configured = new WeakSet<SqliteConnection>();
  manager.getConnection = async (options?: unknown) => {
    const connection = await original(options);
    if (!configured.has(connection)) {
      configured.add(connection);
      connection.configure('busyTimeout', 15_000);
      await pragma(connection, 'PRAGMA journal_mode = WAL');
    }
    return connection;
  };
}

function pragma(connection: SqliteConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => connection.run(sql, (err) => (err ? reject(err) : resolve())));
}

interface SqliteConnection {
  configure(option: 'busyTimeout', value: number): void;
  run(sql: string, callback: (err: Error | null) => void): void;
}
