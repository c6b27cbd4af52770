import type { Lucia } from 'lucia';
import type { Database } from '../db/database.js';
import { STATE_TABLE } from '../db/registry.js';
import { storedDateTime } from '../query/values.js';
import { hashToken } from './password.js';
import { SESSION_TABLE } from './session-adapter.js';
import { TOKEN_TABLE } from './tokens.js';

const DAY = 86_400_000;
/** Lucia's defaults, kept here too: 30-day sessions, extended when used in their second half. */
const SESSION_LIFETIME = 30 * DAY;

export interface Authenticated {
  readonly userId: number;
  readonly username: string;
  readonly name: string | null;
  /** The generation of the database at this request, read in the same statement. */
  readonly generation: number;
  /** A cookie to send back when the session was extended. */
  readonly refreshCookie?: string;
  /** When the session ends (epoch ms); null for an API token (its expiry is checked in SQL each time). */
  readonly expiresAt: number | null;
}

/** What the caller presented: a session cookie or an API token (Bearer). */
export type Credentials = { sessionId?: string | undefined; bearer?: string | undefined };

/**
 * Who is calling, and the database generation, in ONE statement: the session (or API token),
 * the user behind it (active only) and the generation counter. Everything else a request needs
 * about its caller is cached per user and generation, so an unchanged world costs one round trip.
 */
export async function authenticate(
  db: Database,
  lucia: Lucia,
  credentials: Credentials,
): Promise<Authenticated | undefined> {
  const q = (s: string) => db.quote(s);
  const user = `u.${q('id')} AS uid, u.${q('username')} AS username, u.${q('name')} AS name, g.${q('value')} AS gen`;
  if (credentials.bearer !== undefined) {
    if (!isTokenShaped(credentials.bearer)) return undefined;
    const rows = await db.all({
      sql: `SELECT ${user} ${tokenSource(db)} AND (t.${q('expiresAt')} IS NULL OR t.${q('expiresAt')} > $2)`,
      params: [hashToken(credentials.bearer), storedDateTime(new Date())],
    });
    return rows[0] ? toAuthenticated(rows[0], null) : undefined;
  }
  const id = credentials.sessionId;
  if (!id || id.length > 64) return undefined;
  const rows = await db.all({ sql: `SELECT ${user}, s.${q('expiresAt')} AS exp ${sessionSource(db)}`, params: [id] });
  const row = rows[0];
  if (!row) return undefined;
  const now = Date.now();
  const expiresAt = Number(row.exp);
  if (expiresAt <= now) {
    await lucia.invalidateSession(id);
    return undefined;
  }
  if (!needsExtending(expiresAt, now)) return toAuthenticated(row, expiresAt);
  // Second half of its life: slide it forward, as lucia's own validateSession would.
  await db.update({ sql: `UPDATE ${q(SESSION_TABLE)} SET ${q('expiresAt')} = $1 WHERE ${q('id')} = $2`, params: [now + SESSION_LIFETIME, id] });
  return { ...toAuthenticated(row, now + SESSION_LIFETIME), refreshCookie: lucia.createSessionCookie(id).serialize() };
}

/** A session in the second half of its life is extended when used (lucia's rule). */
export function needsExtending(expiresAt: number, now: number): boolean {
  return expiresAt - now < SESSION_LIFETIME / 2;
}

export function isTokenShaped(bearer: string): boolean {
  return /^st_[A-Za-z0-9_-]{20,100}$/.test(bearer);
}

/**
 * FROM … WHERE of a session's lookup: `$1` is the session id; the user must be active, and the
 * generation comes along. Shared with the in-statement confirmation (core/auth/identity-check.ts).
 */
export function sessionSource(db: Database): string {
  const q = (s: string) => db.quote(s);
  return `FROM ${q(SESSION_TABLE)} AS s JOIN ${q('user')} AS u ON u.${q('id')} = s.${q('userId')} ${stateJoin(db)}
      WHERE s.${q('id')} = $1 AND ${activeUser(db)}`;
}

/** FROM … WHERE of an API token's lookup: `$1` is the token's hash (expiry is the caller's). */
export function tokenSource(db: Database): string {
  const q = (s: string) => db.quote(s);
  return `FROM ${q(TOKEN_TABLE)} AS t JOIN ${q('user')} AS u ON u.${q('id')} = t.${q('userId')} ${stateJoin(db)}
        WHERE t.${q('hash')} = $1 AND ${activeUser(db)}`;
}

const stateJoin = (db: Database) => `JOIN ${db.quote(STATE_TABLE)} AS g ON g.${db.quote('name')} = 'generation'`;
const activeUser = (db: Database) => `(u.${db.quote('active')} IS NULL OR u.${db.quote('active')} <> 0)`;

function toAuthenticated(row: Record<string, unknown>, expiresAt: number | null): Authenticated {
  return {
    userId: Number(row.uid),
    username: String(row.username),
    name: row.name === null || row.name === undefined ? null : String(row.name),
    generation: Number(row.gen),
    expiresAt,
  };
}
