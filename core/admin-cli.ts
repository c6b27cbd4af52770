/**
 * `npm run admin -- reset-password <username>`: the way back into a locked-out installation (a
 * forgotten password, an admin deactivated outside the engine). On the database `npm start`
 * opens (DATABASE_URL or DATA_DIR), it gives the user a new password (ADMIN_PASSWORD, or a
 * random one it prints), makes them active and an admin — creating the user, or the built-in
 * admin role, when missing — and ends their sessions. Exit status 0 done, 1 failed.
 */
import { hashPassword, randomPassword } from './auth/password.js';
import { SESSION_TABLE } from './auth/session-adapter.js';
import { ScopeColumns } from './data/scope-column.js';
import { openConfigured } from './configured-stratum.js';
import { ADMIN_ROLE } from './data/admin-remains.js';
import { storedDateTime } from './query/values.js';
import type { Stratum } from './stratum.js';

const USAGE = 'usage: npm run admin -- reset-password <username>';

async function main(args: readonly string[]): Promise<number> {
  const [command, username] = args;
  if (command !== 'reset-password' || !username || !/^[A-Za-z0-9_.@-]{1,64}$/.test(username)) {
    console.error(USAGE);
    return 1;
  }
  const stratum = await openConfigured((line) => console.error(line));
  try {
    const password = process.env.ADMIN_PASSWORD || randomPassword();
    const created = await resetAdmin(stratum, username, await hashPassword(password));
    console.log(`${created ? 'Created' : 'Reset'} the admin account "${username}". Log in with password: ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : password}`);
    return 0;
  } finally {
    await stratum.close();
  }
}

/** In one transaction, around the engine's own checks (this is what repairs them). True when the user was created. */
async function resetAdmin(stratum: Stratum, username: string, hash: string): Promise<boolean> {
  const db = stratum.db;
  const q = (s: string) => db.quote(s);
  const now = storedDateTime(new Date());
  return db.transaction(async (tx) => {
    let role = await db.all({ sql: `SELECT ${q('id')} FROM ${q('role')} WHERE ${q('name')} = $1`, params: [ADMIN_ROLE] }, tx);
    if (role.length === 0) {
      await db.insert({
        sql: `INSERT INTO ${q('role')} (${q('name')}, ${q('description')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ($1, $2, $3, $3, 1)`,
        params: [ADMIN_ROLE, 'Built in: may do everything and sees every record', now],
      }, tx);
      role = await db.all({ sql: `SELECT ${q('id')} FROM ${q('role')} WHERE ${q('name')} = $1`, params: [ADMIN_ROLE] }, tx);
    }
    const roleId = Number(role[0]!.id);
    const user = await db.all({ sql: `SELECT ${q('id')} FROM ${q('user')} WHERE ${q('username')} = $1`, params: [username] }, tx);
    let userId: number;
    if (user.length === 0) {
      userId = await db.insert({
        sql: `INSERT INTO ${q('user')} (${q('username')}, ${q('password')}, ${q('name')}, ${q('active')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ($1, $2, $1, 1, $3, $3, 1)`,
        params: [username, hash, now],
      }, tx);
      // Written around the engine: the maintained counts of users take the new one in.
      const graph = await stratum.registry.graph();
      await new ScopeColumns(db, graph).counts.added(graph.modules.get('user')!, userId, tx);
    } else {
      userId = Number(user[0]!.id);
      await db.update({
        sql: `UPDATE ${q('user')} SET ${q('password')} = $1, ${q('active')} = 1, ${q('updatedAt')} = $2, ${q('version')} = ${q('version')} + 1 WHERE ${q('id')} = $3`,
        params: [hash, now, userId],
      }, tx);
      await db.delete({ sql: `DELETE FROM ${q(SESSION_TABLE)} WHERE ${q('userId')} = $1`, params: [userId] }, tx);
    }
    await db.delete({ sql: `DELETE FROM ${q('user_roles')} WHERE ${q('source')} = $1 AND ${q('target')} = $2`, params: [userId, roleId] }, tx);
    await db.insert({ sql: `INSERT INTO ${q('user_roles')} (${q('source')}, ${q('target')}) VALUES ($1, $2)`, params: [userId, roleId] }, tx);
    // Every process drops what it cached about users and grants.
    await stratum.registry.bump(tx);
    return user.length === 0;
  });
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
