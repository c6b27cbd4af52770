import { DataTypes } from 'sequelize';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';
import { hashToken, newToken } from './password.js';
import { storedDateTime } from '../query/values.js';

export const TOKEN_TABLE = '_stratum_tokens';

/** API tokens for scripts (`Authorization: Bearer …`): only their SHA-256 is stored. Safe when several processes start at once. */
export async function ensureTokenTable(db: Database): Promise<void> {
  await ensureSystemTable(db, TOKEN_TABLE, {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    userId: { type: DataTypes.INTEGER, allowNull: false },
    name: { type: DataTypes.STRING(128), allowNull: false },
    hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
    expiresAt: { type: DataTypes.DATE(3), allowNull: true },
  }, [{ name: `${TOKEN_TABLE}_user`, fields: ['userId'] }]);
}

export async function createToken(db: Database, userId: number, name: string, expiresAt: Date | null): Promise<{ id: number; token: string }> {
  const token = `st_${newToken()}`;
  const q = (s: string) => db.quote(s);
  const id = await db.insert({
    sql: `INSERT INTO ${q(TOKEN_TABLE)} (${q('userId')}, ${q('name')}, ${q('hash')}, ${q('createdAt')}, ${q('expiresAt')}) VALUES ($1, $2, $3, $4, $5)`,
    params: [userId, name, hashToken(token), storedDateTime(new Date()), expiresAt ? storedDateTime(expiresAt) : null],
  });
  return { id, token };
}


export async function listTokens(db: Database, userId: number) {
  const q = (s: string) => db.quote(s);
  const rows = await db.all({
    sql: `SELECT ${q('id')} AS id, ${q('name')} AS name, ${q('createdAt')} AS createdAt, ${q('expiresAt')} AS expiresAt FROM ${q(TOKEN_TABLE)} WHERE ${q('userId')} = $1 ORDER BY ${q('id')}`,
    params: [userId],
  });
  const iso = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : `${String(v).replace(' ', 'T').slice(0, 23)}Z`);
  return rows.map((r) => ({ id: Number(r.id), name: String(r.name), createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) }));
}

export async function revokeToken(db: Database, userId: number, id: number): Promise<boolean> {
  const q = (s: string) => db.quote(s);
  return (await db.delete({ sql: `DELETE FROM ${q(TOKEN_TABLE)} WHERE ${q('id')} = $1 AND ${q('userId')} = $2`, params: [id, userId] })) > 0;
}
