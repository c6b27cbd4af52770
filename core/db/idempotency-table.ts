/**
 * `_stratum_idempotency`: one row per `Idempotency-Key` a caller used for a write that took
 * effect. A record write inserts its row in its own transaction (core/data/idempotency-context.ts),
 * so the row exists exactly when the write committed; the answer is added once it is made.
 */
import { DataTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Database } from './database.js';
import { ensureSystemTable } from './system-table.js';
import { storedDateTime } from '../query/values.js';

export const IDEMPOTENCY_TABLE = '_stratum_idempotency';

/** How long a key answers its first answer (API.md: "within a day"). */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What a key row holds; `status` is null while the answer is not stored (not yet, or lost). */
export interface KeyRow {
  readonly fingerprint: string;
  readonly status: number | null;
  readonly answer: StoredAnswer | null;
  readonly module: string | null;
  readonly recordId: number | null;
  readonly createdAt: Date;
}

/** An answer as replayed: its headers that matter and its body (null when too large to keep). */
export interface StoredAnswer {
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

/** The caller, and the key it sent: a key means something only to the caller who sent it. */
export interface KeyOwner {
  readonly actor: number;
  readonly key: string;
}

/** Creates the table unless it exists (see ensureSystemTable). */
export async function ensureIdempotencyTable(db: Database): Promise<void> {
  await ensureSystemTable(db, IDEMPOTENCY_TABLE, {
    // The primary key is the uniqueness that makes two writes with one key impossible.
    actor: { type: DataTypes.INTEGER, primaryKey: true, allowNull: false },
    idempotencyKey: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
    fingerprint: { type: DataTypes.STRING(64), allowNull: false },
    status: { type: DataTypes.INTEGER, allowNull: true },
    // MEDIUMTEXT on MariaDB (a TEXT holds only 64 KiB): an answer kept whole is up to 1 MiB
    // (core/api/idempotency.ts). SQLite has one TEXT, and warns about the size given.
    answer: { type: db.dialect.name === 'mysql' ? DataTypes.TEXT('medium') : DataTypes.TEXT, allowNull: true },
    module: { type: DataTypes.STRING(64), allowNull: true },
    recordId: { type: DataTypes.BIGINT, allowNull: true },
    createdAt: { type: DataTypes.DATE(3), allowNull: false },
  }, [{ name: `${IDEMPOTENCY_TABLE}_created`, fields: ['createdAt'] }]);
}

/** The store of keys on one database. */
export class IdempotencyKeys {
  constructor(private readonly db: Database) {}

  private q = (s: string) => this.db.quote(s);

  /** The caller's row for the key, or undefined; a row older than a day is removed and counts as none. */
  async find(owner: KeyOwner): Promise<KeyRow | undefined> {
    const q = this.q;
    const [row] = await this.db.all({
      sql: `SELECT ${['fingerprint', 'status', 'answer', 'module', 'recordId', 'createdAt'].map(q).join(', ')} FROM ${q(IDEMPOTENCY_TABLE)} WHERE ${q('actor')} = $1 AND ${q('idempotencyKey')} = $2`,
      params: [owner.actor, owner.key],
    });
    if (!row) return undefined;
    const createdAt = row.createdAt instanceof Date ? row.createdAt : new Date(`${String(row.createdAt).replace(' ', 'T')}Z`);
    if (Date.now() - createdAt.getTime() > KEY_LIFETIME_MS) {
      await this.db.delete({ sql: `DELETE FROM ${q(IDEMPOTENCY_TABLE)} WHERE ${q('actor')} = $1 AND ${q('idempotencyKey')} = $2 AND ${q('createdAt')} < $3`, params: [owner.actor, owner.key, cutoff()] });
      return undefined;
    }
    return {
      fingerprint: String(row.fingerprint),
      status: row.status === null || row.status === undefined ? null : Number(row.status),
      answer: typeof row.answer === 'string' ? (JSON.parse(row.answer) as StoredAnswer) : null,
      module: row.module === null || row.module === undefined ? null : String(row.module),
      recordId: row.recordId === null || row.recordId === undefined ? null : Number(row.recordId),
      createdAt,
    };
  }

  /**
   * Records the key in `tx` (the write's own transaction) or, without one, on its own. False
   * when the caller's key is recorded already: another request with it committed first.
   */
  async insert(owner: KeyOwner, row: { fingerprint: string; module?: string; recordId?: number; status?: number; answer?: StoredAnswer }, tx?: Transaction): Promise<boolean> {
    const q = this.q;
    const columns = ['actor', 'idempotencyKey', 'fingerprint', 'status', 'answer', 'module', 'recordId', 'createdAt'];
    try {
      await this.db.insert({
        sql: `INSERT INTO ${q(IDEMPOTENCY_TABLE)} (${columns.map(q).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        params: [owner.actor, owner.key, row.fingerprint, row.status ?? null, row.answer ? JSON.stringify(row.answer) : null, row.module ?? null, row.recordId ?? null, storedDateTime(new Date())],
      }, tx);
      return true;
    } catch (e) {
      if (e instanceof UniqueConstraintError) return false;
      throw e;
    }
  }

  /** Keeps the answer on the key's row (recorded by the write's transaction). */
  async storeAnswer(owner: KeyOwner, status: number, answer: StoredAnswer): Promise<void> {
    const q = this.q;
    await this.db.update({
      sql: `UPDATE ${q(IDEMPOTENCY_TABLE)} SET ${q('status')} = $1, ${q('answer')} = $2 WHERE ${q('actor')} = $3 AND ${q('idempotencyKey')} = $4`,
      params: [status, JSON.stringify(answer), owner.actor, owner.key],
    });
  }

  /** Removes the keys older than a day: one indexed DELETE. */
  async sweep(): Promise<void> {
    const q = this.q;
    await this.db.delete({ sql: `DELETE FROM ${q(IDEMPOTENCY_TABLE)} WHERE ${q('createdAt')} < $1`, params: [cutoff()] });
  }
}

const cutoff = () => storedDateTime(new Date(Date.now() - KEY_LIFETIME_MS));
