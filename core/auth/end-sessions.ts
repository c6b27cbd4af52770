import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { SESSION_TABLE } from './session-adapter.js';

/**
 * A changed password ends the user's other sessions (as Django's update_session_auth_hash does):
 * whoever knew the old one is logged out everywhere. The session that made the change stays, when
 * it is the user's own. API tokens are kept: they are revoked on their own (DELETE /api/auth/tokens/<id>).
 */
export async function endOtherSessions(db: Database, userId: number, keep: string | undefined, tx?: Transaction): Promise<void> {
  const q = (s: string) => db.quote(s);
  await db.delete({ sql: `DELETE FROM ${q(SESSION_TABLE)} WHERE ${q('userId')} = $1 AND ${q('id')} <> $2`, params: [userId, keep ?? ''] }, tx);
}
