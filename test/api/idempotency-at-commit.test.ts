/**
 * `Idempotency-Key` while MariaDB connections are killed (`KILL <id>` from another connection),
 * as happened when 2 of 35 creates answered 500/503 had in fact committed: a write whose
 * connection dies before its commit leaves no key, so the retry writes once; one whose
 * connections die after the commit, with its answer lost, is answered from its key and record.
 * A second process serving the same key while the first is between its write and its commit
 * finds the key at its own commit and writes nothing.
 */
import mysql from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSecondStratum, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect, testDialects } from '../support/databases.js';
import { expectStatus } from './crm.js';
import { setAfterAnswerHook } from '../../core/api/idempotency.js';
import { setBeforeCommitHook } from '../../core/data/idempotency-context.js';
import { IDEMPOTENCY_TABLE } from '../../core/db/idempotency-table.js';

const replayed = (r: Reply) => r.headers.get('idempotent-replayed');
const withKey = (key: string) => ({ 'idempotency-key': key });
const paymentDef = { $id: 'payment', type: 'object', properties: { payee: { type: 'string', maxLength: 40 } }, required: ['payee'] };

async function started(dialect: 'sqlite' | 'mariadb'): Promise<{ app: TestApp; admin: Client }> {
  const app = await startTestApp(dialect);
  const admin = await app.admin();
  expectStatus(await admin.post('/api/modules', paymentDef), 201);
  return { app, admin };
}

const countWhere = async (app: TestApp, table: string, column: string, value: string) => {
  const q = (s: string) => app.stratum.db.quote(s);
  const [row] = await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(table)} WHERE ${q(column)} = $1`, params: [value] });
  return Number(row!.n);
};

describeEachDialect('Idempotency-Key: a second process at the commit', (dialect) => {
  let app: TestApp;
  let admin: Client;
  beforeAll(async () => ({ app, admin } = await started(dialect)));
  afterAll(() => app?.close());
  afterEach(() => setBeforeCommitHook(undefined));

  it('the request that commits second finds the key in its own transaction: 409 in use, nothing written', async () => {
    const second = await openSecondStratum(app);
    try {
      const other = await second.admin();
      const key = 'racing-key';
      let late: Promise<Reply> | undefined;
      // The first write holds its transaction open, key row written, while the second request is
      // served by the other process: its lookup finds no key yet, so only the database can stop it.
      setBeforeCommitHook(async () => {
        setBeforeCommitHook(undefined);
        late = other.post('/api/data/payment', { payee: 'racing' }, withKey(key));
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      const first = expectStatus(await admin.post('/api/data/payment', { payee: 'racing' }, withKey(key)), 201);
      const secondReply = await late!;
      expect(secondReply.status, JSON.stringify(secondReply.body)).toBe(409);
      expect(secondReply.body.error.code).toBe('idempotency_key_in_use');
      expect(secondReply.headers.get('retry-after')).toBe('1');
      expect(await countWhere(app, 'payment', 'payee', 'racing')).toBe(1);
      // Sent again, it gets the first answer.
      const again = expectStatus(await other.post('/api/data/payment', { payee: 'racing' }, withKey(key)), 201);
      expect(replayed(again)).toBe('true');
      expect(again.body.id).toBe(first.body.id);
    } finally {
      await second.stratum.close();
    }
  });
});

describe.skipIf(!testDialects().includes('mariadb'))('Idempotency-Key with killed MariaDB connections [mariadb]', () => {
  let app: TestApp;
  let admin: Client;
  let killer: mysql.Connection;

  beforeAll(async () => {
    ({ app, admin } = await started('mariadb'));
    killer = await mysql.createConnection({ uri: app.databaseUrl });
  });
  afterAll(async () => {
    await killer?.end();
    await app?.close();
  });
  afterEach(() => {
    setBeforeCommitHook(undefined);
    setAfterAnswerHook(undefined);
  });

  /** Kills every connection of the app to its database: the pool's and any transaction's. */
  const killAppConnections = async () => {
    const [rows] = await killer.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()');
    for (const { id } of rows as { id: number }[]) await killer.query(`KILL ${Number(id)}`).catch(() => undefined);
  };

  it('a create whose connection is killed before its commit leaves no key: the retry writes it, once', async () => {
    const key = 'killed-before-commit';
    setBeforeCommitHook(async (db, tx) => {
      setBeforeCommitHook(undefined);
      const [own] = await db.all({ sql: 'SELECT CONNECTION_ID() AS id', params: [] }, tx);
      await killer.query(`KILL ${Number(own!.id)}`);
    });
    const failed = await admin.post('/api/data/payment', { payee: 'killed before commit' }, withKey(key));
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await countWhere(app, 'payment', 'payee', 'killed before commit')).toBe(0);
    expect(await countWhere(app, IDEMPOTENCY_TABLE, 'idempotencyKey', key)).toBe(0);
    const retry = expectStatus(await admin.post('/api/data/payment', { payee: 'killed before commit' }, withKey(key)), 201);
    expect(replayed(retry)).toBeNull();
    expect(await countWhere(app, 'payment', 'payee', 'killed before commit')).toBe(1);
  });

  it('a create whose connections are killed after its commit, answer lost: the retry answers 201 and the record, writes nothing', async () => {
    const key = 'killed-after-commit';
    setAfterAnswerHook(async () => {
      await killAppConnections();
      throw new Error('connections killed after the commit; the answer is lost');
    });
    const lost = await admin.post('/api/data/payment', { payee: 'killed after commit' }, withKey(key));
    expect(lost.status).toBe(500);
    setAfterAnswerHook(undefined);
    // The pool notices its killed connections and opens new ones.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const retry = expectStatus(await admin.post('/api/data/payment', { payee: 'killed after commit' }, withKey(key)), 201);
    expect(replayed(retry)).toBe('true');
    expect(retry.body).toMatchObject({ payee: 'killed after commit', version: 1 });
    expect(await countWhere(app, 'payment', 'payee', 'killed after commit')).toBe(1);
  });
});
