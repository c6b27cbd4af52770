/**
 * Several server processes may start at once on a new MySQL-compatible database (the direction
 * of this project). Each Stratum.open below has its own pool, as a process would: they install one
 * after the other under the database's install lock (Database.exclusively), so none fails on
 * what another created in between, and what is created once (the admin, the CRM plugin's role,
 * the department counts) is there once. Without the lock two of three starts failed with a
 * duplicate key.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stratum } from '../../core/stratum.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../support/databases.js';

const MODULES = fileURLToPath(new URL('../../modules/', import.meta.url));
const PASSWORD = 'starting-at-once-admin-1';

describe.skipIf(!testDialects().includes('mariadb'))('server processes starting at once on one database [mariadb]', () => {
  let database: TestDatabase;
  const started: Stratum[] = [];
  const startThree = async () => {
    const opens = await Promise.allSettled([0, 1, 2].map(() => Stratum.open({ databaseUrl: database.url, adminPassword: PASSWORD, modulesDir: MODULES, log: () => undefined })));
    for (const r of opens) if (r.status === 'fulfilled') started.push(r.value);
    return opens.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'));
  };
  const count = async (sql: string) => Number((await started[0]!.db.all({ sql, params: [] }))[0]!.n);

  beforeAll(async () => {
    database = await createTestDatabase('mariadb');
  });
  afterAll(async () => {
    for (const s of started) await s.close();
    await database?.drop();
  });

  it('three starts on a new database all succeed, and what is made once is there once', async () => {
    expect(await startThree()).toEqual(['started', 'started', 'started']);
    expect(await count("SELECT COUNT(*) AS n FROM `user` WHERE `username` = 'admin'")).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM `role`')).toBe(await count('SELECT COUNT(DISTINCT `name`) AS n FROM `role`'));
    expect(await count('SELECT COUNT(*) AS n FROM `_stratum_counts`')).toBe(await count('SELECT COUNT(*) AS n FROM (SELECT DISTINCT `module`, `scope`, `slot` FROM `_stratum_counts`) AS d'));
  });

  it('three restarts at once find everything in place', async () => {
    for (const s of started.splice(0)) await s.close();
    expect(await startThree()).toEqual(['started', 'started', 'started']);
    expect(await count("SELECT COUNT(*) AS n FROM `user` WHERE `username` = 'admin'")).toBe(1);
  });
});
