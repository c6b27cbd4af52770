/**
 * A client that sends many shapes of query (every filter, `in` length, sort and field list is a
 * new SQL text) must not exhaust the MySQL server's prepared statements: the server allows
 * 16382 in all (max_prepared_stmt_count), shared by every connection of every process, and
 * mysql2 by default keeps up to 16000 prepared per connection. Once the server is out of them,
 * every query of every client fails.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';

/** What mysql2 holds prepared on one pooled connection (its statement cache). */
interface PooledConnection {
  _statements?: { size: number };
}

describeEachDialect('prepared statements', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    const admin = await t.admin();
    const r = await admin.post('/api/modules', { $id: 'probe', type: 'object', properties: { n: { type: 'integer' } } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a burst of distinct query shapes keeps few statements prepared on a connection, and every query answers', async () => {
    const admin = await t.admin();
    for (let i = 1; i <= 600; i++) {
      const r = await admin.get(`/api/data/probe?${filterParam({ n: { in: Array.from({ length: (i % 300) + 1 }, (_, k) => k) }, id: { gt: i % 2 } })}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    if (dialect !== 'mariadb') return;
    const manager = (t.stratum.db.sequelize as unknown as { connectionManager: { getConnection(o: object): Promise<PooledConnection>; releaseConnection(c: PooledConnection): Promise<void> } }).connectionManager;
    const connection = await manager.getConnection({ type: 'read' });
    try {
      expect(connection._statements?.size).toBeGreaterThan(0);
      expect(connection._statements!.size).toBeLessThanOrEqual(256);
    } finally {
      await manager.releaseConnection(connection);
    }
  });
});
