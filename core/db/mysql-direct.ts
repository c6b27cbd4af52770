import type { Sequelize, Transaction } from 'sequelize';
import type { Compiled } from '../query/ast.js';

interface ResultHeader {
  insertId: number;
  affectedRows: number;
}

interface MysqlConnection {
  execute(sql: string, params: unknown[], cb: (error: Error | null, result: unknown) => void): unknown;
  query(sql: string, cb: (error: Error | null, result: unknown) => void): unknown;
}

interface ConnectionManager {
  getConnection(options: { type: 'read' | 'write' }): Promise<MysqlConnection>;
  releaseConnection(connection: MysqlConnection): void;
  destroyConnection(connection: MysqlConnection): Promise<void>;
}

interface QueryClass {
  new (connection: MysqlConnection, sequelize: Sequelize, options: object): { formatError(error: Error, stack?: string): Error };
}

/**
 * Runs compiled statements on MySQL straight through the mysql2 connections of sequelize's own
 * pool (and of its transactions): sequelize's query wrapper cost more Node CPU per request than
 * the rest of a read by id (the million-row benchmark's Q4 profile). Statements stay prepared and bound; errors
 * are turned into sequelize's error classes (UniqueConstraintError, …) as before.
 */
export class MysqlDirect {
  private readonly connections: ConnectionManager;
  private mariadb?: Promise<boolean>;

  constructor(private readonly sequelize: Sequelize) {
    this.connections = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  }

  /** Whether the server is MariaDB (its VERSION() says so), asked once; a failed ask is asked again. */
  isMariaDb(): Promise<boolean> {
    this.mariadb ??= this.rows({ sql: 'SELECT VERSION() AS v', params: [] }).then(
      ([row]) => /mariadb/i.test(String(row?.v ?? '')),
      (error: unknown) => {
        this.mariadb = undefined;
        throw error;
      },
    );
    return this.mariadb;
  }

  rows(statement: Compiled, tx?: Transaction): Promise<Record<string, unknown>[]> {
    return this.run(statement, tx) as Promise<Record<string, unknown>[]>;
  }

  async header(statement: Compiled, tx?: Transaction): Promise<ResultHeader> {
    return (await this.run(statement, tx)) as ResultHeader;
  }

  /**
   * A transaction on one pooled connection, begun and ended by plain statements: sequelize's
   * transaction wrapper (its query class run for START TRANSACTION and COMMIT, hooks, options)
   * cost more Node CPU per create than the create's own statements (the million-row benchmark's Q5 profile). The
   * `Transaction` handed to `fn` carries the connection, which is all `run` reads, and
   * `afterCommit`, whose callbacks run in order once the COMMIT succeeded and the connection is
   * back in the pool. A connection whose ROLLBACK or COMMIT failed is in an unknown state: it is
   * destroyed, not reused.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const committed: (() => unknown)[] = [];
    const result = await this.holding(async (connection, spoiled) => {
      const tx = { connection, afterCommit: (hook: () => unknown) => void committed.push(hook) } as unknown as Transaction;
      await this.plain(connection, 'START TRANSACTION');
      let value: T;
      try {
        value = await fn(tx);
      } catch (error) {
        await this.plain(connection, 'ROLLBACK').catch(spoiled);
        throw error;
      }
      await this.plain(connection, 'COMMIT').catch((error: unknown) => {
        spoiled();
        throw error;
      });
      return value;
    });
    for (const hook of committed) await hook();
    return result;
  }

  /**
   * Runs `fn` while this process holds the named lock of this database (MySQL's GET_LOCK, on a
   * connection kept for it): processes doing the same wait for each other. A process that dies
   * loses its connection, and with it the lock.
   */
  exclusively<T>(name: string, timeoutSeconds: number, fn: () => Promise<T>): Promise<T> {
    // Lock names are server-wide and at most 64 characters: the database's digest keeps them apart.
    const lock = "CONCAT('stratum:', LEFT(SHA1(DATABASE()), 16), ':', ?)";
    return this.holding(async (connection, spoiled) => {
      const run = (sql: string, params: unknown[]) => new Promise<unknown>((resolve, reject) => {
        connection.execute(sql, params, (error, result) => (error ? reject(error) : resolve(result)));
      });
      const [got] = (await run(`SELECT GET_LOCK(${lock}, ?) AS ${'`ok`'}`, [name, timeoutSeconds])) as { ok: unknown }[];
      if (Number(got?.ok) !== 1) throw new Error(`Another process held the "${name}" lock of this database for ${timeoutSeconds} s; try again`);
      try {
        return await fn();
      } finally {
        await run(`SELECT RELEASE_LOCK(${lock})`, [name]).catch(spoiled);
      }
    });
  }

  /**
   * One pooled connection kept for `fn`, then given back; destroyed instead when `fn` called
   * `spoiled` (a ROLLBACK, COMMIT or lock release that failed leaves it in an unknown state).
   */
  private async holding<T>(fn: (connection: MysqlConnection, spoiled: () => void) => Promise<T>): Promise<T> {
    const connection = await this.connections.getConnection({ type: 'write' });
    let reusable = true;
    try {
      return await fn(connection, () => {
        reusable = false;
      });
    } finally {
      if (reusable) this.connections.releaseConnection(connection);
      else await this.connections.destroyConnection(connection).catch(() => undefined);
    }
  }

  private async plain(connection: MysqlConnection, sql: 'START TRANSACTION' | 'COMMIT' | 'ROLLBACK'): Promise<void> {
    try {
      await new Promise((resolve, reject) => connection.query(sql, (error, result) => (error ? reject(error) : resolve(result))));
    } catch (error) {
      throw this.formatted(connection, error as Error);
    }
  }

  private formatted(connection: MysqlConnection, error: Error): Error {
    const Query = (this.sequelize as unknown as { dialect: { Query: QueryClass } }).dialect.Query;
    return new Query(connection, this.sequelize, {}).formatError(error);
  }

  private async run(statement: Compiled, tx?: Transaction): Promise<unknown> {
    const [sql, params] = positional(statement);
    const joined = tx ? (tx as unknown as { connection: MysqlConnection }).connection : undefined;
    const connection = joined ?? (await this.connections.getConnection({ type: 'write' }));
    // No `new Error()` up front for the caller's stack: capturing one cost ~10 µs a statement (the million-row benchmark's
    // Q4 profile). The error built below, after an await, still carries the awaiting callers as
    // V8's async stack frames.
    try {
      return await new Promise((resolve, reject) => {
        connection.execute(sql, params, (error, result) => (error ? reject(error) : resolve(result)));
      });
    } catch (error) {
      throw this.formatted(connection, error as Error);
    } finally {
      if (!joined) this.connections.releaseConnection(connection);
    }
  }
}

/** A statement's text with `?` for each `$n`, and which parameter each `?` takes. */
interface Placeholders {
  readonly sql: string;
  readonly order: readonly number[];
}

// Statements repeat (the same read for every request of a kind), so each text is rewritten once.
// Bounded, and emptied when full: what it holds is derived from the text alone.
const rewritten = new Map<string, Placeholders>();
const MAX_REWRITTEN = 5_000;

/** `$n` placeholders (which may repeat) to mysql2's positional `?`. */
function positional(statement: Compiled): [string, unknown[]] {
  let found = rewritten.get(statement.sql);
  if (!found) {
    const order: number[] = [];
    const sql = statement.sql.replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    if (rewritten.size >= MAX_REWRITTEN) rewritten.clear();
    rewritten.set(statement.sql, (found = { sql, order }));
  }
  return [found.sql, found.order.map((i) => statement.params[i] ?? null)];
}
