/**
 * The harness every integration test uses to run on both SQLite and MariaDB. Each call to
 * `createTestDatabase` yields a brand-new, empty database, so test files can run in parallel.
 *
 * MariaDB is never skipped: when it cannot be reached the test fails with instructions, because
 * a suite that silently runs on one dialect proves nothing about the other.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { describe } from 'vitest';

export type TestDialect = 'sqlite' | 'mariadb';

export interface TestDatabase {
  /** `sqlite:<file>` or `mysql://user@host:port/<db>`, the form `DATABASE_URL` accepts. */
  readonly url: string;
  /** Removes the database (file or schema). Safe to call more than once. */
  drop(): Promise<void>;
}

const ALL_DIALECTS: readonly TestDialect[] = ['sqlite', 'mariadb'];
const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';
const START_HINT =
  'Start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd` ' +
  '(or run `.ci/run`), or point STRATUM_TEST_MYSQL_URL at a reachable server. ' +
  'To run only SQLite on purpose, set STRATUM_TEST_DIALECTS=sqlite.';

/** The dialects to test: `STRATUM_TEST_DIALECTS` (comma list), default both. */
export function testDialects(): TestDialect[] {
  const raw = process.env.STRATUM_TEST_DIALECTS?.trim();
  if (!raw) return [...ALL_DIALECTS];
  const picked = raw
    .split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d.length > 0);
  for (const d of picked) {
    if (!ALL_DIALECTS.includes(d as TestDialect)) {
      throw new Error(
        `STRATUM_TEST_DIALECTS contains unknown dialect "${d}"; use a comma list of ${ALL_DIALECTS.join(', ')}`,
      );
    }
  }
  return [...new Set(picked as TestDialect[])];
}

/** Creates a fresh, empty database of the given dialect. Call `drop()` in `afterAll`. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqlite() : createMariadb();
}

/** `describe(`${name} [${dialect}]`, …)` once per dialect from `testDialects()`. */
export function describeEachDialect(name: string, fn: (dialect: TestDialect) => void): void {
  for (const dialect of testDialects()) {
    describe(`${name} [${dialect}]`, () => fn(dialect));
  }
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-test-'));
  const file = join(dir, 'db.sqlite');
  return {
    url: `sqlite:${file}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function createMariadb(): Promise<TestDatabase> {
  const serverUrl = process.env.STRATUM_TEST_MYSQL_URL?.trim() || DEFAULT_MYSQL_URL;
  const name = `stratum_t_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withServer(serverUrl, (conn) =>
    conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withServer(serverUrl, (conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``));
    },
  };
}

async function withServer<T>(serverUrl: string, fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  let conn: mysql.Connection;
  try {
    // Connect to the server, not to a database: the one in the URL need not exist.
    const server = new URL(serverUrl);
    server.pathname = '/';
    conn = await mysql.createConnection({ uri: server.toString(), connectTimeout: 10_000 });
  } catch (err) {
    // mysql2 reports ECONNREFUSED as an AggregateError with an empty message; the code says more.
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    const reason = [code, message].filter((s) => typeof s === 'string' && s.length > 0).join(': ');
    throw new Error(`MariaDB is not reachable at ${redact(serverUrl)} (${reason}). ${START_HINT}`, {
      cause: err,
    });
  }
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

function redact(serverUrl: string): string {
  try {
    const u = new URL(serverUrl);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid STRATUM_TEST_MYSQL_URL>';
  }
}
