import mysql from 'mysql2/promise';

export const DEFAULT_STRATUM_URL = 'mysql://root@127.0.0.1:3306/stratum_bench';

/** The benchmark's two databases on one server: Stratum's, and F1's plain schema beside it (`<name>_plain`). */
export interface BenchDatabases {
  readonly stratumUrl: string;
  readonly plainUrl: string;
  readonly stratumName: string;
  readonly plainName: string;
  readonly serverUrl: string;
}

export function benchDatabases(stratumUrl: string): BenchDatabases {
  const url = new URL(stratumUrl.replace(/^mariadb:/, 'mysql:'));
  if (url.protocol !== 'mysql:') throw new Error(`The benchmark runs on MariaDB/MySQL only; got ${url.protocol}`);
  const stratumName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,56}$/.test(stratumName)) throw new Error(`Name the benchmark database in the URL (letters, digits, _): got "${stratumName}"`);
  const plainName = `${stratumName}_plain`;
  const plain = new URL(url.toString());
  plain.pathname = `/${plainName}`;
  const server = new URL(url.toString());
  server.pathname = '/';
  return { stratumUrl: url.toString(), plainUrl: plain.toString(), stratumName, plainName, serverUrl: server.toString() };
}

/** One connection to the server itself (no database selected). */
export async function withServer<T>(serverUrl: string, fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ uri: serverUrl, connectTimeout: 10_000 });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new Error(
      `MariaDB is not reachable at ${serverUrl} (${String(code ?? (err as Error).message)}). ` +
        'Start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, or set BENCH_DATABASE_URL.',
      { cause: err },
    );
  }
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

export async function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, async (conn) => {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withServer(serverUrl, (conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``));
}

/** A mysql2 pool as the floors use it: numbers as numbers, dates as the stored text. */
export function floorPool(url: string, connectionLimit = 10): mysql.Pool {
  return mysql.createPool({
    uri: url,
    connectionLimit,
    dateStrings: true,
    decimalNumbers: true,
    supportBigNumbers: true,
    charset: 'utf8mb4',
  });
}
