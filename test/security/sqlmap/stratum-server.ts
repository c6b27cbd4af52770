/**
 * A Stratum for sqlmap to attack: `npm start`'s server (core/server.ts) as a process on a free
 * 127.0.0.1 port, with the demo CRM on a database of its own — SQLite under a temporary DATA_DIR,
 * or a fresh MariaDB database created here and dropped by `stop()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, startChild } from '../../../bench/lib/children.js';

export type Dialect = 'sqlite' | 'mariadb';

export interface StratumServer {
  readonly baseUrl: string;
  readonly adminPassword: string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** The MariaDB server to use (STRATUM_TEST_MYSQL_URL, else root@127.0.0.1:3306), or undefined when none answers. */
export async function reachableMariadb(): Promise<URL | undefined> {
  const url = new URL(process.env.STRATUM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
  url.pathname = '/';
  try {
    const conn = await mysql.createConnection({ uri: url.toString(), connectTimeout: 3_000 });
    await conn.end();
    return url;
  } catch {
    return undefined;
  }
}

export async function startStratum(dialect: Dialect, mariadb?: URL): Promise<StratumServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'stratum-sqlmap-'));
  const adminPassword = randomBytes(12).toString('hex');
  const database = `stratum_sqlmap_${randomBytes(4).toString('hex')}`;
  let databaseUrl = `sqlite:${path.join(dataDir, 'stratum.sqlite')}`;
  if (dialect === 'mariadb') {
    if (!mariadb) throw new Error('no MariaDB server to create the database on');
    const conn = await mysql.createConnection({ uri: mariadb.toString() });
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
    const url = new URL(mariadb.toString());
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  const dropDatabase = async () => {
    if (dialect !== 'mariadb' || !mariadb) return;
    const conn = await mysql.createConnection({ uri: mariadb.toString() });
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.end();
  };
  const port = await freePort();
  try {
    const child = await startChild({
      name: `stratum (${dialect})`,
      script: 'core/server.ts',
      cwd: ROOT,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        DEMO: process.env.DEMO ?? '1',
        ADMIN_PASSWORD: adminPassword,
        MIGRATIONS_DIR: '',
        // sqlmap's login target sends a random X-Forwarded-For per payload (see run.ts).
        TRUSTED_PROXIES: '127.0.0.1,::1',
      },
      ready: /Stratum listening on/,
      timeoutMs: 180_000,
      port,
    });
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      adminPassword,
      async stop() {
        await child.stop();
        await dropDatabase();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await dropDatabase();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** The session cookie (`name=value`) of the admin, logged in through the API as the UI does. */
export async function adminCookie(server: StratumServer): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: server.adminPassword }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 200 || !cookie) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
  const check = await fetch(`${server.baseUrl}/api/data/customer?pageSize=1`, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`the admin session cannot list customers: ${check.status} ${await check.text()}`);
  return cookie;
}
