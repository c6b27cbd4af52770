import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import type { Compiled } from '../query/ast.js';
import { dialectFor, type Dialect } from '../query/dialect.js';
import { MysqlDirect } from './mysql-direct.js';
import { WriteQueue } from './write-queue.js';

export type Row = Record<string, unknown>;

/**
 * The one door to the database for compiled statements: parameters are always bound
 * (sequelize `bind`), never spliced into the text.
 */
export class Database {
  readonly dialect: Dialect;
  /** MySQL: statements go straight to mysql2 (see MysqlDirect); SQLite: through sequelize. */
  private readonly direct: MysqlDirect | undefined;
  /** SQLite: one write at a time (core/db/write-queue.ts). */
  private readonly writes = new WriteQueue();

  constructor(readonly sequelize: Sequelize) {
    this.dialect = dialectFor(sequelize.getDialect());
    this.direct = this.dialect.name === 'mysql' ? new MysqlDirect(sequelize) : undefined;
  }

  async all(statement: Compiled, tx?: Transaction): Promise<Row[]> {
    if (this.direct) return this.direct.rows(statement, tx);
    return this.sequelize.query(statement.sql, this.options(statement, QueryTypes.SELECT, tx)) as Promise<Row[]>;
  }

  /** INSERT: the new row's id. */
  async insert(statement: Compiled, tx?: Transaction): Promise<number> {
    return (await this.inserting(statement, tx)).id;
  }

  /** An INSERT … SELECT that may insert nothing: the new row's id, and how many rows it inserted (0 or 1). */
  insertIf(statement: Compiled, tx?: Transaction): Promise<{ id: number; inserted: number }> {
    return this.inserting(statement, tx);
  }

  private async inserting(statement: Compiled, tx?: Transaction): Promise<{ id: number; inserted: number }> {
    if (this.direct) {
      const header = await this.direct.header(statement, tx);
      return { id: Number(header.insertId), inserted: Number(header.affectedRows) };
    }
    const [id, changes] = (await this.writing(() => this.sequelize.query(statement.sql, this.options(statement, QueryTypes.INSERT, tx)), tx)) as unknown as [number, number];
    return { id: Number(id), inserted: Number(changes ?? 0) };
  }

  /** UPDATE: the number of rows changed. */
  async update(statement: Compiled, tx?: Transaction): Promise<number> {
    if (this.direct) return Number((await this.direct.header(statement, tx)).affectedRows);
    const [, changes] = (await this.writing(() => this.sequelize.query(statement.sql, this.options(statement, QueryTypes.UPDATE, tx)), tx)) as unknown as [unknown, number];
    return Number(changes ?? 0);
  }

  /** DELETE: the number of rows removed. */
  async delete(statement: Compiled, tx?: Transaction): Promise<number> {
    if (this.direct) return Number((await this.direct.header(statement, tx)).affectedRows);
    const removed = await this.writing(() => this.sequelize.query(statement.sql, this.options(statement, QueryTypes.BULKDELETE, tx)), tx);
    return Number(removed ?? 0);
  }

  /**
   * A write outside a transaction (`tx` undefined) waits for its turn on SQLite; one inside a
   * transaction already holds it. MySQL writes go at once.
   */
  writing<T>(fn: () => Promise<T>, tx?: Transaction): Promise<T> {
    return this.direct || tx ? fn() : this.writes.run(() => fn());
  }

  private options(statement: Compiled, type: QueryTypes, tx?: Transaction) {
    return { bind: [...statement.params] as unknown[], type, transaction: tx ?? null, raw: true } as const;
  }

  /**
   * Runs `fn` in a transaction that writes: IMMEDIATE on SQLite so that writers queue instead of
   * failing. Inside an `outer` transaction, `fn` simply joins it (all or nothing together).
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, outer?: Transaction): Promise<T> {
    if (outer) return fn(outer);
    if (this.direct) return this.direct.transaction(fn);
    // The turn is handed on at the commit, before after-commit work (which may write again).
    return this.writes.run((release) => this.sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, (tx) => {
      tx.afterCommit(release);
      return fn(tx);
    }));
  }

  /**
   * Runs `fn` while no other process runs it on this database: on MySQL under a named lock
   * (waiting up to `timeoutSeconds`). SQLite serves one process, which runs it at once.
   */
  exclusively<T>(name: string, timeoutSeconds: number, fn: () => Promise<T>): Promise<T> {
    return this.direct ? this.direct.exclusively(name, timeoutSeconds, fn) : fn();
  }

  /**
   * Whether the server stops a statement after a number of rows with `LIMIT … ROWS EXAMINED`:
   * MariaDB does, MySQL and SQLite do not. Asked once per Database (the server's version).
   */
  boundsRowsExamined(): Promise<boolean> {
    return this.direct ? this.direct.isMariaDb() : Promise.resolve(false);
  }

  quote(identifier: string): string {
    return this.dialect.quote(identifier);
  }

  close(): Promise<void> {
    return this.sequelize.close();
  }
}
