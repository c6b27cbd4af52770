import type { Database } from '../db/database.js';
import type { Actor } from '../rules/access.js';

/** The acting user as the rest of the engine sees them, or undefined when gone or deactivated. */
export async function loadActor(db: Database, id: number): Promise<(Actor & { roles: string[] }) | undefined> {
  const q = (s: string) => db.quote(s);
  const rows = await db.all({
    sql: `SELECT ${q('id')} AS id, ${q('username')} AS username, ${q('name')} AS name, ${q('active')} AS active FROM ${q('user')} WHERE ${q('id')} = $1`,
    params: [id],
  });
  const row = rows[0];
  if (!row || Number(row.active) === 0) return undefined;
  const roles = await db.all({
    sql: `SELECT r.${q('name')} AS name FROM ${q('user_roles')} AS j JOIN ${q('role')} AS r ON r.${q('id')} = j.${q('target')} WHERE j.${q('source')} = $1 ORDER BY r.${q('name')}`,
    params: [id],
  });
  const names = roles.map((r) => String(r.name));
  return {
    id: Number(row.id),
    username: String(row.username),
    name: row.name === null ? null : String(row.name),
    isAdmin: names.includes('admin'),
    roles: names,
  };
}
