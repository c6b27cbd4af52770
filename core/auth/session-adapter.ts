/**
 * Login sessions for lucia v3, kept in `_stratum_sessions` in the application database so that
 * every server process sharing the database sees the same sessions. Lucia identifies users by
 * string ids; the table stores the integer `user.id`.
 */
import { Lucia, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import { DataTypes, QueryTypes, type Sequelize } from 'sequelize';
import { ensureSystemTable } from '../db/system-table.js';

export const SESSION_TABLE = '_stratum_sessions';
export const SESSION_COOKIE = 'stratum_session';
const MAX_SESSION_ID = 64;
const USER_ID_INDEX = '_stratum_sessions_user_id';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface SessionRow {
  id: string;
  userId: number | string;
  expiresAt: number | string;
  existingUserId?: number | string | null;
}

/**
 * Creates `_stratum_sessions` and its `userId` index unless they exist. Safe to call on every
 * start, and when several processes start at once (ensureSystemTable). A table from before the
 * index gets it; another process adding it at the same moment is no error either.
 */
export async function ensureSessionTable(sequelize: Sequelize): Promise<void> {
  // MariaDB only (SQLite ignores it): ensureSystemTable's utf8mb4_bin makes session ids compare
  // byte-for-byte, not case-insensitively; utf8mb4 (not ascii) so that a junk cookie value compares
  // as "no match" instead of raising "Illegal mix of collations".
  await ensureSystemTable({ sequelize }, SESSION_TABLE, {
    id: { type: DataTypes.STRING(MAX_SESSION_ID), primaryKey: true, allowNull: false },
    userId: { type: DataTypes.INTEGER, allowNull: false },
    // Epoch milliseconds: one representation on both dialects, no time-zone conversions.
    expiresAt: { type: DataTypes.BIGINT, allowNull: false },
  }, [{ name: USER_ID_INDEX, fields: ['userId'] }]);
  const qi = sequelize.getQueryInterface();
  const indexed = async () => ((await qi.showIndex(SESSION_TABLE)) as Array<{ name?: string }>).some((index) => index.name === USER_ID_INDEX);
  if (await indexed()) return;
  await qi.addIndex(SESSION_TABLE, ['userId'], { name: USER_ID_INDEX }).catch(async (e: unknown) => {
    if (!(await indexed())) throw e;
  });
}

/**
 * A lucia `Adapter` over `_stratum_sessions` (call `ensureSessionTable` first). A session whose
 * user row no longer exists in `userTable` comes back without a user, so lucia deletes it.
 *
 * @example
 * SELECT s.`id`, s.`userId`, s.`expiresAt`, u.`id` AS `existingUserId`
 * FROM `_stratum_sessions` s LEFT JOIN `user` u ON u.`id` = s.`userId` WHERE s.`id` = ?
 */
export function sessionAdapter(sequelize: Sequelize, opts: { userTable: string; writing?: <T>(fn: () => Promise<T>) => Promise<T> }): Adapter {
  if (!IDENTIFIER.test(opts.userTable)) {
    throw new Error(`sessionAdapter: userTable "${opts.userTable}" is not a plain SQL identifier`);
  }
  const q = (identifier: string) => sequelize.getQueryInterface().quoteIdentifier(identifier);
  const sessions = q(SESSION_TABLE);
  const [id, userId, expiresAt] = [q('id'), q('userId'), q('expiresAt')];
  const users = q(opts.userTable);

  // `bind` sends values as real bound parameters (mysql2 `execute`, sqlite3 statements); Sequelize's
  // `replacements` would splice escaped literals into the SQL text instead.
  const select = (sql: string, bind: unknown[]) =>
    sequelize.query<SessionRow>(sql, { bind, type: QueryTypes.SELECT });
  // SQLite takes one write at a time (core/db/write-queue.ts): session writes wait their turn too.
  const writing = opts.writing ?? ((fn) => fn());
  const run = async (sql: string, bind: unknown[]) => {
    await writing(() => sequelize.query(sql, { bind, type: QueryTypes.RAW }));
  };

  return {
    async getSessionAndUser(sessionId): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      if (sessionId.length > MAX_SESSION_ID) return [null, null];
      const [row] = await select(
        `SELECT s.${id}, s.${userId}, s.${expiresAt}, u.${id} AS ${q('existingUserId')}
         FROM ${sessions} s LEFT JOIN ${users} u ON u.${id} = s.${userId}
         WHERE s.${id} = $1`,
        [sessionId],
      );
      if (!row) return [null, null];
      const user = row.existingUserId == null ? null : { id: String(row.userId), attributes: {} };
      return [toSession(row), user];
    },

    async getUserSessions(luciaUserId) {
      const dbUserId = toDbUserId(luciaUserId);
      if (dbUserId === null) return [];
      const rows = await select(
        `SELECT ${id}, ${userId}, ${expiresAt} FROM ${sessions} WHERE ${userId} = $1`,
        [dbUserId],
      );
      return rows.map(toSession);
    },

    async setSession(session) {
      const dbUserId = toDbUserId(session.userId);
      if (dbUserId === null) {
        throw new Error(`setSession: user id "${String(session.userId)}" is not a positive integer`);
      }
      await run(`INSERT INTO ${sessions} (${id}, ${userId}, ${expiresAt}) VALUES ($1, $2, $3)`, [
        session.id,
        dbUserId,
        session.expiresAt.getTime(),
      ]);
    },

    async updateSessionExpiration(sessionId, expiresAtDate) {
      await run(`UPDATE ${sessions} SET ${expiresAt} = $1 WHERE ${id} = $2`, [expiresAtDate.getTime(), sessionId]);
    },

    async deleteSession(sessionId) {
      await run(`DELETE FROM ${sessions} WHERE ${id} = $1`, [sessionId]);
    },

    async deleteUserSessions(luciaUserId) {
      const dbUserId = toDbUserId(luciaUserId);
      if (dbUserId === null) return;
      await run(`DELETE FROM ${sessions} WHERE ${userId} = $1`, [dbUserId]);
    },

    async deleteExpiredSessions() {
      // Lucia treats a session as valid while now < expiresAt.
      await run(`DELETE FROM ${sessions} WHERE ${expiresAt} <= $1`, [Date.now()]);
    },
  };
}

/**
 * The Lucia instance: cookie `stratum_session` (HttpOnly, SameSite=Lax, path `/`), 30-day sessions
 * that lucia extends when used in their second half. `secure` (SECURE_COOKIES=1) marks every
 * cookie Secure; without it, a cookie is marked per request, when that request came over HTTPS
 * (core/api/client-connection.ts `sessionCookieFor`).
 */
export function createLucia(adapter: Adapter, opts: { secure: boolean }): Lucia {
  return new Lucia(adapter, {
    sessionCookie: {
      name: SESSION_COOKIE,
      attributes: { secure: opts.secure, sameSite: 'lax', path: '/' },
    },
  });
}

function toSession(row: SessionRow): DatabaseSession {
  return {
    id: row.id,
    userId: String(row.userId),
    expiresAt: new Date(Number(row.expiresAt)),
    attributes: {},
  };
}

/** Lucia's string user id → the integer stored in the table; null when it cannot be a user id. */
function toDbUserId(userId: unknown): number | null {
  const text = String(userId);
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
