/**
 * Nothing a plan drops is thrown away: a dropped field's values (id, value), a dropped relation's
 * links and a dropped module's table go to trash tables (`_trash_<change>_<n>`, plain copies with
 * no keys, so that they hold no other record back), listed in `_stratum_trash` until purged. A
 * dropped module's history entries stay in the history, and are its history again on restore.
 */
import { DataTypes, type Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';
import { storedDateTime } from '../query/values.js';
import type { JsonSchema } from '../schema/module.js';

export const TRASH_TABLE = '_stratum_trash';

export interface TrashEntry {
  readonly id: number;
  readonly kind: 'field' | 'relation' | 'module';
  readonly module: string;
  readonly field: string | null;
  /** The property (field, relation) or the whole definition (module), as it was. */
  readonly definition: JsonSchema;
  /** Whether the field was required. */
  readonly required: boolean;
  /** The trash table of the rows; for a module also its relations' (relation name → table). */
  readonly table: string;
  readonly junctions: Readonly<Record<string, string>>;
  readonly rows: number;
  readonly changeId: number;
  readonly droppedAt: string;
  readonly droppedBy: string;
}

/** The trash table of the `n`th thing change `changeId` drops: engine names, never a module's. */
export const trashTable = (changeId: number, n: number) => `_trash_${changeId}_${n}`;

export function ensureTrashTable(db: Database): Promise<boolean> {
  const text = db.dialect.name === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
  return ensureSystemTable(db, TRASH_TABLE, {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    kind: { type: DataTypes.STRING(16), allowNull: false },
    module: { type: DataTypes.STRING(64), allowNull: false },
    field: { type: DataTypes.STRING(64), allowNull: true },
    definition: { type: text, allowNull: false },
    required: { type: DataTypes.BOOLEAN, allowNull: false },
    dataTable: { type: DataTypes.STRING(64), allowNull: false },
    junctions: { type: text, allowNull: false },
    rows: { type: DataTypes.INTEGER, allowNull: false },
    changeId: { type: DataTypes.INTEGER, allowNull: false },
    droppedAt: { type: DataTypes.DATE(3), allowNull: false },
    droppedBy: { type: DataTypes.STRING(64), allowNull: false },
  });
}

export class Trash {
  constructor(private readonly db: Database) {}

  private q(s: string) {
    return this.db.quote(s);
  }

  async add(entry: Omit<TrashEntry, 'id' | 'droppedAt'>, tx?: Transaction): Promise<number> {
    const q = (s: string) => this.q(s);
    const cols = ['kind', 'module', 'field', 'definition', 'required', 'dataTable', 'junctions', 'rows', 'changeId', 'droppedAt', 'droppedBy'];
    return this.db.insert({
      sql: `INSERT INTO ${q(TRASH_TABLE)} (${cols.map(q).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      params: [entry.kind, entry.module, entry.field, JSON.stringify(entry.definition), entry.required ? 1 : 0, entry.table, JSON.stringify(entry.junctions), entry.rows, entry.changeId, storedDateTime(new Date()), entry.droppedBy.slice(0, 64)],
    }, tx);
  }

  /** Every entry, newest first; `id`: that one only. */
  async list(tx?: Transaction, id?: number): Promise<TrashEntry[]> {
    const only = id === undefined ? '' : ` WHERE ${this.q('id')} = $1`;
    const rows = await this.db.all({ sql: `SELECT * FROM ${this.q(TRASH_TABLE)}${only} ORDER BY ${this.q('id')} DESC`, params: id === undefined ? [] : [id] }, tx);
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind as TrashEntry['kind'],
      module: String(r.module),
      field: r.field === null ? null : String(r.field),
      definition: JSON.parse(String(r.definition)),
      required: r.required === true || Number(r.required) === 1,
      table: String(r.dataTable),
      junctions: JSON.parse(String(r.junctions)),
      rows: Number(r.rows),
      changeId: Number(r.changeId),
      droppedAt: isoOf(r.droppedAt),
      droppedBy: String(r.droppedBy),
    }));
  }

  async get(id: number, tx?: Transaction): Promise<TrashEntry | undefined> {
    return (await this.list(tx, id))[0];
  }

  /** Forgets the entry and drops its tables: what purge and a restore end with. */
  async remove(entry: TrashEntry, tx?: Transaction): Promise<void> {
    const q = (s: string) => this.q(s);
    for (const table of [entry.table, ...Object.values(entry.junctions)]) {
      await this.db.sequelize.query(`DROP TABLE IF EXISTS ${q(table)}`, { transaction: tx ?? null } as never);
    }
    await this.db.delete({ sql: `DELETE FROM ${q(TRASH_TABLE)} WHERE ${q('id')} = $1`, params: [entry.id] }, tx);
  }
}

/** A stored DATETIME(3) (`2026-12-07 21:55:47.123`) as ISO 8601 in UTC. */
export function isoOf(value: unknown): string {
  const text = String(value);
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text) ? `${text.slice(0, 19).replace(' ', 'T')}${text.slice(19, 23) || '.000'}Z` : text;
}
