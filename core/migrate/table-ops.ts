/**
 * The table changes a plan is made of, in each dialect's own DDL: identifiers come only from
 * checked definitions and are quoted by the dialect. On SQLite they run inside the plan's
 * transaction (SQLite's DDL is transactional); on MariaDB each is its own atomic statement.
 * Sequelize's renameColumn/removeColumn are not used: on SQLite they copy the whole table.
 */
import type { ModelAttributeColumnOptions, Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { indexesOf, type IndexInfo } from '../db/ddl.js';

export class TableOps {
  constructor(
    private readonly db: Database,
    private readonly tx?: Transaction,
  ) {}

  private get mysql() {
    return this.db.dialect.name === 'mysql';
  }

  private q(s: string) {
    return this.db.quote(s);
  }

  /** Runs DDL (or a statement without rows) in the plan's transaction, if any. */
  async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.db.sequelize.query(sql, { transaction: this.tx ?? null, raw: true, ...(params.length > 0 ? { bind: [...params] } : {}) } as never);
  }

  async tables(): Promise<Set<string>> {
    const rows = this.mysql
      ? await this.db.all({ sql: 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()', params: [] }, this.tx)
      : await this.db.all({ sql: `SELECT name FROM sqlite_master WHERE type = 'table'`, params: [] }, this.tx);
    return new Set(rows.map((r) => String(r.name)));
  }

  async hasTable(table: string): Promise<boolean> {
    return (await this.tables()).has(table);
  }

  async columns(table: string): Promise<Set<string>> {
    const rows = this.mysql
      ? await this.db.all({ sql: 'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1', params: [table] }, this.tx)
      : await this.db.all({ sql: `SELECT name FROM pragma_table_info($1)`, params: [table] }, this.tx);
    return new Set(rows.map((r) => String(r.name)));
  }

  async count(table: string): Promise<number> {
    const rows = await this.db.all({ sql: `SELECT COUNT(*) AS n FROM ${this.q(table)}`, params: [] }, this.tx);
    return Number(rows[0]?.n ?? 0);
  }

  indexes(table: string): Promise<IndexInfo[]> {
    return indexesOf(this.db.sequelize.getQueryInterface(), table, { transaction: this.tx });
  }

  async addColumn(table: string, column: string, options: ModelAttributeColumnOptions): Promise<void> {
    if ((await this.columns(table)).has(column)) return;
    await this.db.sequelize.getQueryInterface().addColumn(table, column, options, { transaction: this.tx } as never);
  }

  async dropColumn(table: string, column: string): Promise<void> {
    if (!(await this.columns(table)).has(column)) return;
    await this.run(`ALTER TABLE ${this.q(table)} DROP COLUMN ${this.q(column)}`);
  }

  async renameColumn(table: string, from: string, to: string): Promise<void> {
    const present = await this.columns(table);
    if (!present.has(from) || present.has(to)) return;
    await this.run(`ALTER TABLE ${this.q(table)} RENAME COLUMN ${this.q(from)} TO ${this.q(to)}`);
  }

  async renameTable(from: string, to: string): Promise<void> {
    const present = await this.tables();
    if (!present.has(from) || present.has(to)) return;
    await this.run(this.mysql ? `RENAME TABLE ${this.q(from)} TO ${this.q(to)}` : `ALTER TABLE ${this.q(from)} RENAME TO ${this.q(to)}`);
  }

  async dropTable(table: string): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS ${this.q(table)}`);
  }

  /** A copy of the rows `select` reads, without keys or constraints: what the trash keeps. */
  async copyInto(table: string, select: string): Promise<void> {
    if (await this.hasTable(table)) return;
    await this.run(`CREATE TABLE ${this.q(table)} AS ${select}`);
  }

  async dropIndex(table: string, index: string): Promise<void> {
    await this.run(this.mysql ? `ALTER TABLE ${this.q(table)} DROP INDEX ${this.q(index)}` : `DROP INDEX IF EXISTS ${this.q(index)}`);
  }

  /** Drops the indexes (not the primary key) that use any of `columns`; MariaDB would otherwise narrow a composite one. */
  async dropIndexesOn(table: string, columns: ReadonlySet<string>, only?: (i: IndexInfo) => boolean): Promise<void> {
    for (const index of await this.indexes(table)) {
      if (index.columns.some((c) => columns.has(c)) && (!only || only(index))) await this.dropIndex(table, index.name);
    }
  }

  /** MariaDB: the foreign keys of `table` on any of `columns` (a column cannot be dropped under one). */
  async dropForeignKeysOn(table: string, columns: ReadonlySet<string>): Promise<void> {
    if (!this.mysql) return;
    const refs = (await this.db.sequelize.getQueryInterface().getForeignKeyReferencesForTable(table)) as { constraintName: string; columnName?: string }[];
    for (const ref of refs) {
      if (ref.columnName && columns.has(ref.columnName)) await this.run(`ALTER TABLE ${this.q(table)} DROP FOREIGN KEY ${this.q(ref.constraintName)}`);
    }
  }

  /** MariaDB: every foreign key of `table` (its rows leave for the trash, which must not hold other records back). */
  async dropAllForeignKeys(table: string): Promise<void> {
    if (!this.mysql) return;
    const refs = (await this.db.sequelize.getQueryInterface().getForeignKeyReferencesForTable(table)) as { constraintName: string; referencedTableName?: string }[];
    for (const ref of refs) if (ref.referencedTableName) await this.run(`ALTER TABLE ${this.q(table)} DROP FOREIGN KEY ${this.q(ref.constraintName)}`);
  }

  /**
   * The converted column takes the old one's place: on MariaDB in one ALTER (atomic, so a reader
   * never finds the name missing) that also drops the placeholder default; on SQLite, inside the
   * plan's transaction, the old column is retired and the new one renamed.
   */
  async swapColumn(table: string, old: string, shadow: string, to: string, tombstone: string): Promise<void> {
    const present = await this.columns(table);
    if (!present.has(shadow)) return;
    if (!this.mysql) {
      await this.retireColumn(table, old, tombstone);
      await this.renameColumn(table, shadow, to);
      return;
    }
    await this.dropIndexesOn(table, new Set([old]));
    const q = (s: string) => this.q(s);
    const drop = present.has(old) && old !== shadow ? `DROP COLUMN ${q(old)}, ` : '';
    // CHANGE keeps the type and drops the placeholder default: metadata only (ALGORITHM=INSTANT).
    await this.run(`ALTER TABLE ${q(table)} ${drop}CHANGE COLUMN ${q(shadow)} ${q(to)} ${await this.columnType(table, shadow)}`);
  }

  /** MariaDB: a column's type as the server reports it (`varchar(100) CHARACTER SET … NOT NULL`), without its default. */
  private async columnType(table: string, column: string): Promise<string> {
    const rows = await this.db.all({
      sql: 'SELECT COLUMN_TYPE AS t, IS_NULLABLE AS n, CHARACTER_SET_NAME AS cs, COLLATION_NAME AS co FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = $1 AND COLUMN_NAME = $2',
      params: [table, column],
    }, this.tx);
    const row = rows[0];
    const type = String(row?.t ?? '');
    const word = /^[a-z0-9_]+$/;
    // The server's own words, checked all the same before they are written into DDL.
    if (!/^[a-z]+(\(\d+(,\d+)?\))?( unsigned)?$/.test(type)) throw new Error(`unexpected column type ${type.slice(0, 40)} of ${table}.${column}`);
    const charset = row?.cs && word.test(String(row.cs)) && row?.co && word.test(String(row.co)) ? ` CHARACTER SET ${String(row.cs)} COLLATE ${String(row.co)}` : '';
    return `${type}${charset} ${row?.n === 'YES' ? 'NULL' : 'NOT NULL'}`;
  }

  /** MariaDB: the column refuses NULL from now on (an in-place rebuild that lets reads and writes go on). SQLite: nothing. */
  async refuseNull(table: string, column: string, options: ModelAttributeColumnOptions): Promise<void> {
    if (!this.mysql || !(await this.columns(table)).has(column)) return;
    // Without a database default: the engine fills defaults itself, and a date-time default in ISO form is no MariaDB literal.
    await this.db.sequelize.getQueryInterface().changeColumn(table, column, { ...options, allowNull: false, defaultValue: undefined });
  }

  /**
   * SQLite cannot drop a column that a foreign key names without copying the table, so such a
   * column is emptied and moved out of the way under an engine name (`_gone_…`), which no read
   * selects. MariaDB drops its key and the column.
   */
  async retireColumn(table: string, column: string, tombstone: string): Promise<void> {
    if (!(await this.columns(table)).has(column)) return;
    if (this.mysql) {
      await this.dropForeignKeysOn(table, new Set([column]));
      await this.dropIndexesOn(table, new Set([column]));
      await this.dropColumn(table, column);
      return;
    }
    await this.dropIndexesOn(table, new Set([column]));
    if (await this.hasForeignKey(table, column)) {
      await this.run(`UPDATE ${this.q(table)} SET ${this.q(column)} = NULL`);
      await this.renameColumn(table, column, tombstone);
    } else await this.dropColumn(table, column);
  }

  private async hasForeignKey(table: string, column: string): Promise<boolean> {
    const rows = await this.db.all({ sql: 'SELECT "from" AS col FROM pragma_foreign_key_list($1)', params: [table] }, this.tx);
    return rows.some((r) => r.col === column);
  }
}
