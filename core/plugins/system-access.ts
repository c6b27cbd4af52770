/**
 * `ctx.system(reason, fn)`: a plugin's escape from the caller's permissions, for the rare task no
 * role should be granted. `fn` still reaches data only through the engine — with an admin's
 * permissions and visibility, as the same actor, so validation, hooks and history apply and the
 * changes stay theirs — and each use is kept in `_stratum_system_uses` with the plugin, the reason,
 * the actor and what it wrote. The engine keeps the record, not a plugin: disabling the audit
 * plugin hides it from GET /api/plugins/audit/system-uses but never stops it being written.
 */
import { DataTypes, type Transaction } from 'sequelize';
import type { DataContext } from '../data/context.js';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';
import { isoOf } from '../migrate/trash.js';
import { storedDateTime } from '../query/values.js';
import { bindContext, systemView, unbound } from './bound-context.js';

export const SYSTEM_USES_TABLE = '_stratum_system_uses';

/** A record a use created, changed or deleted. */
export interface Written {
  readonly module: string;
  readonly id: number;
  readonly action: 'create' | 'update' | 'delete';
}

export interface SystemUse {
  readonly id: number;
  readonly plugin: string;
  readonly reason: string;
  readonly user: { readonly id: number | null; readonly username: string };
  readonly at: string;
  readonly written: readonly Written[];
}

const MAX_REASON = 200;

export async function ensureSystemUsesTable(db: Database): Promise<void> {
  const text = db.dialect.name === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
  await ensureSystemTable(db, SYSTEM_USES_TABLE, {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    plugin: { type: DataTypes.STRING(64), allowNull: false },
    reason: { type: DataTypes.STRING(MAX_REASON), allowNull: false },
    userId: { type: DataTypes.INTEGER, allowNull: true },
    username: { type: DataTypes.STRING(64), allowNull: false },
    at: { type: DataTypes.DATE(3), allowNull: false },
    written: { type: text, allowNull: false },
  }, [{ name: `${SYSTEM_USES_TABLE}_plugin`, fields: ['plugin', 'id'] }]);
}

/**
 * Runs `fn` with an admin's view of the data in one transaction (joining the caller's when there
 * is one), and records the use in that transaction: a use whose work is rolled back changed
 * nothing and leaves no entry; one whose work committed always has its entry.
 */
export async function systemUse<R>(
  ctx: DataContext, log: ((line: string) => void) & { readonly plugin?: { readonly name: string } }, reason: string,
  fn: (admin: DataContext, written: Written[]) => Promise<R>,
): Promise<R> {
  const why = typeof reason === 'string' ? reason.trim() : '';
  if (why === '' || why.length > MAX_REASON) {
    throw new Error(`system(reason, fn) needs a reason of 1 to ${MAX_REASON} characters: why this task needs more than the caller may do`);
  }
  const plugin = log.plugin?.name;
  if (!plugin) throw new Error('system(reason, fn) is for plugin code: this scope was made without its plugin');
  return ctx.db.transaction(async (tx) => {
    const written: Written[] = [];
    const result = await fn(bindContext(systemView(unbound(ctx)), tx), written);
    await recordUse(unbound(ctx).db, tx, { plugin, reason: why, actor: ctx.access.actor, written });
    log(`system access (${why}) as ${ctx.access.actor.username}${written.length > 0 ? `: ${written.map((w) => `${w.action} ${w.module} ${w.id}`).join(', ')}` : ''}`);
    return result;
  });
}

async function recordUse(
  db: Database, tx: Transaction, use: { plugin: string; reason: string; actor: { id: number; username: string }; written: readonly Written[] },
): Promise<void> {
  const q = (s: string) => db.quote(s);
  const columns = ['plugin', 'reason', 'userId', 'username', 'at', 'written'];
  await db.insert({
    sql: `INSERT INTO ${q(SYSTEM_USES_TABLE)} (${columns.map(q).join(', ')}) VALUES ($1, $2, $3, $4, $5, $6)`,
    params: [use.plugin, use.reason, use.actor.id > 0 ? use.actor.id : null, use.actor.username.slice(0, 64), storedDateTime(new Date()), JSON.stringify(use.written)],
  }, tx);
}

/** The recorded uses, newest first, optionally of one plugin; a page at a time. */
export async function readSystemUses(
  db: Database, query: { plugin?: string | undefined; page: number; pageSize: number },
): Promise<{ data: SystemUse[]; meta: { total: number; page: number; pageSize: number } }> {
  const q = (s: string) => db.quote(s);
  const where = query.plugin === undefined ? '' : ` WHERE ${q('plugin')} = $1`;
  const params = query.plugin === undefined ? [] : [query.plugin];
  const total = Number((await db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(SYSTEM_USES_TABLE)}${where}`, params }))[0]?.n ?? 0);
  // Whole numbers checked by the route, written into the statement as the query compiler writes its LIMIT.
  if (![query.page, query.pageSize].every(Number.isSafeInteger)) throw new Error('page and pageSize must be whole numbers');
  const rows = await db.all({
    sql: `SELECT ${['id', 'plugin', 'reason', 'userId', 'username', 'at', 'written'].map(q).join(', ')} FROM ${q(SYSTEM_USES_TABLE)}${where} ORDER BY ${q('id')} DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
    params,
  });
  return {
    data: rows.map((r) => ({
      id: Number(r.id),
      plugin: String(r.plugin),
      reason: String(r.reason),
      user: { id: r.userId === null ? null : Number(r.userId), username: String(r.username) },
      at: isoOf(r.at),
      written: JSON.parse(String(r.written)) as Written[],
    })),
    meta: { total, page: query.page, pageSize: query.pageSize },
  };
}
