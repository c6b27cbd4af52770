/**
 * An installation always keeps an administrator: the built-in role `admin` (under that name) and
 * at least one active user who holds it. A write to users or roles that would break either —
 * deleting or renaming the role, deleting or deactivating the last admin, taking the role from
 * them, one by one or in bulk — is refused in its own transaction, before it commits, with the
 * reason. A locked-out installation is mended with `npm run admin -- reset-password <user>`.
 */
import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { httpError } from '../errors.js';

export const ADMIN_ROLE = 'admin';

/** Throws 409 `last_admin` when the write in `tx` left no admin role or no active admin. */
export async function refuseWithoutAdmin(db: Database, tx: Transaction): Promise<void> {
  const q = (s: string) => db.quote(s);
  const role = await db.all({ sql: `SELECT ${q('id')} FROM ${q('role')} WHERE ${q('name')} = $1`, params: [ADMIN_ROLE] }, tx);
  if (role.length === 0) {
    throw httpError(409, 'last_admin', `The built-in role "${ADMIN_ROLE}" cannot be removed or renamed; nothing was changed`);
  }
  const active = await db.all({
    sql: `SELECT COUNT(*) AS n FROM ${q('user')} u JOIN ${q('user_roles')} ur ON ur.${q('source')} = u.${q('id')}`
      + ` WHERE ur.${q('target')} = $1 AND (u.${q('active')} IS NULL OR u.${q('active')} <> 0)`,
    params: [Number(role[0]!.id)],
  }, tx);
  if (Number(active[0]?.n ?? 0) === 0) {
    throw httpError(409, 'last_admin', 'This would leave no active user with the admin role; nothing was changed. Give another user the admin role first');
  }
}
