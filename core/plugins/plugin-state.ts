import { DataTypes, type Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';

export const PLUGINS_TABLE = '_stratum_plugins';

/** A plugin as the database knows it: the version installed and whether it is enabled. */
export interface PluginState {
  readonly name: string;
  readonly version: string;
  readonly enabled: boolean;
  readonly installedAt: string;
  readonly updatedAt: string;
}

/**
 * Installed versions and enabled flags live in the database, not in process memory, so that every
 * process sharing it agrees; changing them moves the registry's generation in the same
 * transaction, and each process re-reads them at the next request.
 */
export async function ensurePluginTable(db: Database): Promise<void> {
  await ensureSystemTable(db, PLUGINS_TABLE, {
    name: { type: DataTypes.STRING(64), primaryKey: true },
    version: { type: DataTypes.STRING(32), allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false },
    installedAt: { type: DataTypes.DATE(3), allowNull: false },
    updatedAt: { type: DataTypes.DATE(3), allowNull: false },
  });
}

export async function pluginStates(db: Database, tx?: Transaction): Promise<Map<string, PluginState>> {
  const q = (s: string) => db.quote(s);
  const rows = await db.all({ sql: `SELECT ${['name', 'version', 'enabled', 'installedAt', 'updatedAt'].map(q).join(', ')} FROM ${q(PLUGINS_TABLE)}`, params: [] }, tx);
  return new Map(rows.map((r) => [String(r.name), {
    name: String(r.name),
    version: String(r.version),
    enabled: r.enabled === true || Number(r.enabled) === 1,
    installedAt: timestamp(r.installedAt),
    updatedAt: timestamp(r.updatedAt),
  }]));
}

/** One plugin's row, locked until `tx` ends (MySQL; SQLite's write transactions already run one at a time). */
export async function lockedState(db: Database, name: string, tx: Transaction): Promise<PluginState | undefined> {
  const q = (s: string) => db.quote(s);
  const lock = db.dialect.name === 'mysql' ? ' FOR UPDATE' : '';
  const rows = await db.all({ sql: `SELECT ${q('name')} FROM ${q(PLUGINS_TABLE)} WHERE ${q('name')} = $1${lock}`, params: [name] }, tx);
  if (rows.length === 0) return undefined;
  return (await pluginStates(db, tx)).get(name);
}

export async function insertState(db: Database, name: string, version: string, enabled: boolean, tx: Transaction): Promise<void> {
  const q = (s: string) => db.quote(s);
  const now = storedNow();
  await db.insert({
    sql: `INSERT INTO ${q(PLUGINS_TABLE)} (${q('name')}, ${q('version')}, ${q('enabled')}, ${q('installedAt')}, ${q('updatedAt')}) VALUES ($1, $2, $3, $4, $4)`,
    params: [name, version, enabled ? 1 : 0, now],
  }, tx);
}

export async function updateState(db: Database, name: string, change: { version?: string; enabled?: boolean }, tx: Transaction): Promise<void> {
  const q = (s: string) => db.quote(s);
  const sets: string[] = [];
  const params: unknown[] = [];
  if (change.version !== undefined) params.push(change.version), sets.push(`${q('version')} = $${params.length}`);
  if (change.enabled !== undefined) params.push(change.enabled ? 1 : 0), sets.push(`${q('enabled')} = $${params.length}`);
  params.push(storedNow());
  sets.push(`${q('updatedAt')} = $${params.length}`);
  params.push(name);
  await db.update({ sql: `UPDATE ${q(PLUGINS_TABLE)} SET ${sets.join(', ')} WHERE ${q('name')} = $${params.length}`, params }, tx);
}

const storedNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

function timestamp(v: unknown): string {
  const d = v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}${String(v).endsWith('Z') ? '' : 'Z'}`);
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
}
