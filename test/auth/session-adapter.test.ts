import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Adapter, Lucia } from 'lucia';
import { DataTypes, QueryTypes, Sequelize } from 'sequelize';
import {
  SESSION_TABLE,
  createLucia,
  ensureSessionTable,
  sessionAdapter,
} from '../../core/auth/session-adapter.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';

const DAY = 24 * 60 * 60 * 1000;

function openSequelize(url: string): Sequelize {
  return url.startsWith('sqlite:')
    ? new Sequelize({ dialect: 'sqlite', storage: url.slice('sqlite:'.length), logging: false })
    : new Sequelize(url, { logging: false });
}

describeEachDialect('lucia session adapter', (dialect) => {
  let db: TestDatabase;
  let sequelize: Sequelize;
  let adapter: Adapter;
  let lucia: Lucia;

  const sessionRows = () =>
    sequelize.query<{ id: string; userId: number; expiresAt: number | string }>(
      `SELECT * FROM ${sequelize.getQueryInterface().quoteIdentifier(SESSION_TABLE)} ORDER BY id`,
      { type: QueryTypes.SELECT },
    );

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sequelize = openSequelize(db.url);
    const qi = sequelize.getQueryInterface();
    await qi.createTable('user', {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      username: { type: DataTypes.STRING(64), allowNull: false },
    });
    await qi.bulkInsert('user', [
      { id: 1, username: 'alice' },
      { id: 2, username: 'bob' },
      { id: 3, username: 'carol' },
    ]);
    await ensureSessionTable(sequelize);
    await ensureSessionTable(sequelize); // idempotent: a second start must not fail
    adapter = sessionAdapter(sequelize, { userTable: 'user' });
    lucia = createLucia(adapter, { secure: false });
  });

  afterAll(async () => {
    await sequelize?.close();
    await db?.drop();
  });

  beforeEach(async () => {
    await sequelize.query(`DELETE FROM ${sequelize.getQueryInterface().quoteIdentifier(SESSION_TABLE)}`);
  });

  it('creates the table with an index on userId', async () => {
    const qi = sequelize.getQueryInterface();
    const columns = await qi.describeTable(SESSION_TABLE);
    expect(Object.keys(columns).sort()).toEqual(['expiresAt', 'id', 'userId']);
    expect(columns.id?.primaryKey).toBe(true);
    expect(columns.userId?.allowNull).toBe(false);
    expect(columns.expiresAt?.allowNull).toBe(false);
    const indexes = (await qi.showIndex(SESSION_TABLE)) as Array<{ name: string; fields: Array<{ attribute: string }> }>;
    const byUser = indexes.find((i) => i.name === '_stratum_sessions_user_id');
    expect(byUser?.fields.map((f) => f.attribute)).toEqual(['userId']);
  });

  it('creates a session that validates to its user and is stored with an integer user id', async () => {
    const before = Date.now();
    const session = await lucia.createSession('1', {});
    expect(session.userId).toBe('1');
    expect(session.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);

    const result = await lucia.validateSession(session.id);
    expect(result.user).toEqual({ id: '1' });
    expect(result.session?.id).toBe(session.id);
    expect(result.session?.fresh).toBe(false);
    expect(result.session?.expiresAt.getTime()).toBe(session.expiresAt.getTime());

    const rows = await sessionRows();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.userId)).toBe(1);
    expect(Number(rows[0]!.expiresAt)).toBe(session.expiresAt.getTime());
  });

  it('returns nothing for an unknown id, and matches ids case-sensitively', async () => {
    const session = await lucia.createSession('1', {});
    expect(await lucia.validateSession('no-such-session')).toEqual({ session: null, user: null });
    expect(await lucia.validateSession(session.id.toUpperCase())).toEqual({ session: null, user: null });
    expect(await adapter.getSessionAndUser(session.id.toUpperCase())).toEqual([null, null]);
    // A forged cookie may carry anything; it must be "no session", never a database error.
    for (const junk of ['é☃😀', "' OR '1'='1", 'x'.repeat(500), '']) {
      expect(await lucia.validateSession(junk)).toEqual({ session: null, user: null });
    }
    await expect(lucia.invalidateSession('é☃😀')).resolves.toBeUndefined();
  });

  it('rejects an expired session and deletes it', async () => {
    await adapter.setSession({ id: 'expired1', userId: '2', expiresAt: new Date(Date.now() - 1000), attributes: {} });
    expect(await lucia.validateSession('expired1')).toEqual({ session: null, user: null });
    expect(await sessionRows()).toEqual([]);
  });

  it('extends a session used in the second half of its life (sliding expiry)', async () => {
    const oldExpiry = Date.now() + 10 * DAY;
    await adapter.setSession({ id: 'sliding1', userId: '2', expiresAt: new Date(oldExpiry), attributes: {} });
    const result = await lucia.validateSession('sliding1');
    expect(result.session?.fresh).toBe(true);
    const newExpiry = result.session!.expiresAt.getTime();
    expect(newExpiry).toBeGreaterThan(oldExpiry + 19 * DAY);
    const [row] = await sessionRows();
    expect(Number(row!.expiresAt)).toBe(newExpiry);
  });

  it('drops the session of a user that no longer exists', async () => {
    const session = await lucia.createSession('3', {});
    await sequelize.getQueryInterface().bulkDelete('user', { id: 3 });
    expect(await lucia.validateSession(session.id)).toEqual({ session: null, user: null });
    expect(await sessionRows()).toEqual([]);
  });

  it('deletes one session (logout) without touching the others', async () => {
    const a = await lucia.createSession('1', {});
    const b = await lucia.createSession('1', {});
    await lucia.invalidateSession(a.id);
    expect((await lucia.validateSession(a.id)).session).toBeNull();
    expect((await lucia.validateSession(b.id)).user?.id).toBe('1');
  });

  it("lists and deletes all of one user's sessions only", async () => {
    const a1 = await lucia.createSession('1', {});
    const a2 = await lucia.createSession('1', {});
    const b1 = await lucia.createSession('2', {});
    expect((await adapter.getUserSessions('1')).map((s) => s.id).sort()).toEqual([a1.id, a2.id].sort());
    expect((await lucia.getUserSessions('2')).map((s) => s.id)).toEqual([b1.id]);

    await lucia.invalidateUserSessions('1');
    expect(await adapter.getUserSessions('1')).toEqual([]);
    expect((await lucia.validateSession(a1.id)).session).toBeNull();
    expect((await lucia.validateSession(b1.id)).user?.id).toBe('2');
  });

  it('deletes expired sessions in bulk and keeps live ones', async () => {
    const now = Date.now();
    await adapter.setSession({ id: 'old1', userId: '1', expiresAt: new Date(now - DAY), attributes: {} });
    await adapter.setSession({ id: 'old2', userId: '2', expiresAt: new Date(now - 1), attributes: {} });
    await adapter.setSession({ id: 'live1', userId: '1', expiresAt: new Date(now + DAY), attributes: {} });
    await lucia.deleteExpiredSessions();
    expect((await sessionRows()).map((r) => r.id)).toEqual(['live1']);
  });

  it('treats user ids that cannot be integers as unknown, and refuses to store them', async () => {
    expect(await adapter.getUserSessions('abc')).toEqual([]);
    await expect(adapter.deleteUserSessions('1 OR 1=1')).resolves.toBeUndefined();
    await expect(lucia.createSession('abc', {})).rejects.toThrow(/not a positive integer/);
  });

  it('sets an HttpOnly, SameSite=Lax cookie named stratum_session', async () => {
    const cookie = lucia.createSessionCookie('abc').serialize();
    expect(cookie).toMatch(/^stratum_session=abc;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(createLucia(adapter, { secure: true }).createSessionCookie('abc').serialize()).toContain('Secure');
    expect(lucia.readSessionCookie('other=1; stratum_session=xyz')).toBe('xyz');
  });
});
