import type { Sequelize, Transaction } from 'sequelize';
import type { Compiled } from '../query/ast.js';

interface ResultHeader {
  insertId: number;
  affectedRows: number;
}

interface MysqlConnection {
  execute(sql: string, params: unknown[], cb: (error: Error | null, result: unknown) => void): unknown;
}

interface ConnectionManager {
  getConnection(options: { type: 'read' | 'write' }): Promise<MysqlConnection>;
  releaseConnection(connection: MysqlConnection): void;
}

interface QueryClass {
  new (connection: MysqlConnection, sequelize: Sequelize, options: object): { formatError(error: Error, stack?: string): Error };
}

/**
 * Runs compiled statements on MySQL straight through the mysql2 connections of sequelize's own
 * pool (and of its transactions): sequelize's query wrapper cost more Node CPU per request than
 * the rest of a read by id (issue 4, Q4 profile). Statements stay prepared and bound; errors
 * are turned into sequelize's error classes (UniqueConstraintError, …) as before.
 */
export class MysqlDirect {
  private readonly connections: ConnectionManager;

  constructor(private readonly sequelize: Sequelize) {
    this.connections = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  }

  rows(statement: Compiled, tx?: Transaction): Promise<Record<string, unknown>[]> {
    return this.run(statement, tx) as Promise<Record<string, unknown>[]>;
  }

  async header(statement: Compiled, tx?: Transaction): Promise<ResultHeader> {
    return (await this.run(statement, tx)) as ResultHeader;
  }

  private async run(statement: Compiled, tx?: Transaction): Promise<unknown> {
    const [sql, params] = positional(statement);
    const joined = tx ? (tx as unknown as { connection: MysqlConnection }).connection : undefined;
    const connection = joined ?? (await this.connections.getConnection({ type: 'write' }));
    // The caller's stack, formatted only when there is an error (formatting is what costs).
    const trace = new Error();
    try {
      return await new Promise((resolve, reject) => {
        connection.execute(sql, params, (error, result) => (error ? reject(error) : resolve(result)));
      });
    } catch (error) {
      const Query = (this.sequelize as unknown as { dialect: { Query: QueryClass } }).dialect.Query;
      throw new Query(connection, this.sequelize, {}).formatError(error as Error, trace.stack);
    } finally {
      if (!joined) this.connections.releaseConnection(connection);
    }
  }
}

/** `$n` placeholders (which may repeat) to mysql2's positional `?`. */
function positional(statement: Compiled): [string, unknown[]] {
  const params: unknown[] = [];
  const sql = statement.sql.replace(/\$(\d+)/g, (_, n: string) => {
    params.push(statement.params[Number(n) - 1] ?? null);
    return '?';
  });
  return [sql, params];
}
