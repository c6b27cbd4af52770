/**
 * Several server processes may start at once on a new database (the direction of this project:
 * stateless processes on one MySQL-compatible database). The engine's session and API-token
 * tables are created by whichever process is first; the others must not fail on a table or index
 * that appeared between their check and their create.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../../core/db/connect.js';
import { Database } from '../../core/db/database.js';
import { ensureSessionTable, SESSION_TABLE } from '../../core/auth/session-adapter.js';
import { ensureTokenTable, TOKEN_TABLE } from '../../core/auth/tokens.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

const PROCESSES = 6;

describeEachDialect('engine tables created by processes starting at once', (dialect) => {
  let database: TestDatabase;
  let dbs: Database[];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    dbs = Array.from({ length: PROCESSES }, () => new Database(connect(database.url)));
  });
  afterAll(async () => {
    for (const db of dbs ?? []) await db.close();
    await database?.drop();
  });

  it('every process ensures the session and token tables at the same moment, and none fails', async () => {
    const results = await Promise.allSettled(dbs.flatMap((db) => [ensureSessionTable(db.sequelize), ensureTokenTable(db)]));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const qi = dbs[0]!.sequelize.getQueryInterface();
    const names = async (table: string) => ((await qi.showIndex(table)) as { name: string }[]).map((i) => i.name);
    expect(await names(SESSION_TABLE)).toContain('_stratum_sessions_user_id');
    expect(await names(TOKEN_TABLE)).toContain(`${TOKEN_TABLE}_user`);
    // And again, as on every later start.
    await Promise.all(dbs.map(async (db) => {
      await ensureSessionTable(db.sequelize);
      await ensureTokenTable(db);
    }));
  });
});
