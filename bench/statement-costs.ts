/**
 * What the statements of Q4 and Q5 cost, in CPU microseconds of MariaDB and of the client, one
 * step at a time from F2's statements to Stratum's (why Q4 and Q5 stay below F2). Each
 * step runs `--count` times on `--connections` pooled connections; MariaDB's CPU comes from
 * /proc/<pid>/stat, the client's from process.cpuUsage. The statements have the shapes that
 * MariaDB's general log shows for one request of each kind; Q5's rows go to scratch copies of the
 * tables, dropped afterwards, so the benchmark's data and counts stay as they were.
 *
 *   npx tsx bench/statement-costs.ts [--count 5000] [--connections 10]
 *
 * Needs the generated benchmark database (npm run bench, or bench/generate.ts); MariaDB's CPU is
 * read only when it runs on this machine (its process found with pidof).
 */
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2';
import { Database } from '../core/db/database.js';
import { connect } from '../core/db/connect.js';
import { identityCondition } from '../core/auth/identity-check.js';
import type { PendingIdentity } from '../core/auth/identity-hint.js';
import { intOption, parseArgs } from './lib/args.js';
import { DEFAULT_STRATUM_URL } from './lib/databases.js';

type Conn = mysql.PoolConnection;
type Step = (c: Conn) => Promise<unknown>;

const exec = (c: Conn, sql: string, params: unknown[] = []) =>
  new Promise<mysql.ResultSetHeader & mysql.RowDataPacket[]>((resolve, reject) => c.execute(sql, params as never[], (e, r) => (e ? reject(e) : resolve(r as never))));
const plain = (c: Conn, sql: string) => new Promise<void>((resolve, reject) => c.query(sql, (e) => (e ? reject(e) : resolve())));

const TICKS_PER_SECOND = Number(execSync('getconf CLK_TCK').toString().trim());

function localMariadb(): string | undefined {
  try {
    return execSync('pidof mariadbd mysqld', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().split(' ')[0] || undefined;
  } catch {
    return undefined;
  }
}

/** MariaDB's CPU time so far, in microseconds (user + system ticks of its process). */
function mariadbCpu(pid: string | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

export interface StatementCost {
  readonly step: string;
  /** CPU microseconds per run of the step. */
  readonly mariadb: number;
  readonly client: number;
  readonly wallMicros: number;
}

/** Runs each step `count` times on `connections` connections of Stratum's database at `url`. */
export async function measureStatementCosts(url: string, count: number, connections: number, log: (line: string) => void = () => undefined): Promise<StatementCost[]> {
  // MariaDB's own CPU only when it runs on this machine; NaN otherwise.
  const pid = localMariadb();
  const pool = mysql.createPool({ uri: url, connectionLimit: connections, dateStrings: true });
  const db = new Database(connect(url));
  const one = async <T>(fn: (c: Conn) => Promise<T>) => {
    const c = await new Promise<Conn>((resolve, reject) => pool.getConnection((e, conn) => (e ? reject(e) : resolve(conn))));
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  };
  const q = (s: string) => db.quote(s);
  const session = `cost-${randomBytes(12).toString('hex')}`;
  try {
    const [target] = await one((c) => exec(c, `SELECT o.${q('id')} AS id, o.${q('customer')} AS customer, o.${q('salesman')} AS salesman, o.${q('_scope')} AS scope FROM ${q('order')} AS o ORDER BY o.${q('id')} DESC LIMIT 1`));
    const [user] = await one((c) => exec(c, `SELECT ${q('id')} AS id FROM ${q('user')} WHERE ${q('username')} = 'admin'`));
    const [state] = await one((c) => exec(c, `SELECT ${q('value')} AS value FROM ${q('_stratum_state')} WHERE ${q('name')} = 'generation'`));
    if (!target || !user || !state) throw new Error('Generate the benchmark database first: npx tsx bench/generate.ts');
    const prefix = `${String(target.scope).slice(0, 4)}%`;
    await one(async (c) => {
      await exec(c, `INSERT INTO ${q('_stratum_sessions')} (${q('id')}, ${q('userId')}, ${q('expiresAt')}) VALUES (?, ?, ?)`, [session, user.id, Date.now() + 3_600_000]);
      for (const [copy, of] of [['_cost_order', 'order'], ['_cost_counts', '_stratum_counts'], ['_cost_history', 'history']]) {
        await plain(c, `DROP TABLE IF EXISTS ${q(copy!)}`);
        await plain(c, `CREATE TABLE ${q(copy!)} LIKE ${q(of!)}`);
      }
    });
    const pending: PendingIdentity = {
      credential: { kind: 'session', id: session },
      who: { userId: Number(user.id), username: 'admin', name: 'admin', generation: Number(state.value), expiresAt: null },
      confirmed: false,
    };
    const identity = () => {
      const check = identityCondition(db, pending);
      return { sql: check.sql.replace(/\$\d+/g, '?'), params: check.params };
    };

    const columns = ['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'number', 'amount', 'orderDate', 'customer', 'salesman'].map((c) => `t0.${q(c)} AS ${q(c)}`).join(', ');
    const read = `SELECT ${columns} FROM ${q('order')} AS t0 WHERE t0.${q('id')} = ? AND t0.${q('_scope')} LIKE ?`;
    const readConfirming = () => {
      const check = identity();
      return { sql: `SELECT ${check.sql} AS ${q('_identity')}, ${read.slice('SELECT '.length)}`, params: [...check.params, target.id, prefix] };
    };
    let serial = 0;
    // The create of F2 and of Stratum: the references must be the caller's, the scope column comes from the salesman.
    const insert = (guard: boolean) => {
      const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
      const refs = `(SELECT COUNT(*) FROM ${q('customer')} WHERE ${q('_scope')} LIKE ? AND ${q('id')} = ?) = 1 AND (SELECT COUNT(*) FROM ${q('salesman')} WHERE ${q('_scope')} LIKE ? AND ${q('id')} = ?) = 1`;
      const check = guard ? identity() : { sql: 'TRUE', params: [] };
      return {
        sql: `INSERT INTO ${q('_cost_order')} (${q('number')}, ${q('amount')}, ${q('orderDate')}, ${q('customer')}, ${q('salesman')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('createdBy')}, ${q('updatedBy')}, ${q('version')}, ${q('_scope')}) `
          + `SELECT ?, 250000, '2025-12-31', ?, ?, ?, ?, ?, ?, 1, (SELECT d.${q('code')} FROM ${q('salesman')} AS s JOIN ${q('department')} AS d ON d.${q('id')} = s.${q('department')} WHERE s.${q('id')} = ?) `
          + `FROM (SELECT 1 AS ${q('one')}) AS ${q('one')} WHERE ${refs} AND ${check.sql}`,
        params: [`cost-${serial++}`, target.customer, target.salesman, now, now, user.id, user.id, target.salesman, prefix, target.customer, prefix, target.salesman, ...check.params],
      };
    };
    const readBack = `SELECT ${columns.replaceAll('t0.', 'o.')}, CASE WHEN o.${q('_scope')} LIKE ? THEN 1 ELSE 0 END AS ${q('_allowed')} FROM ${q('_cost_order')} AS o WHERE o.${q('id')} = ?`;
    const counted = `INSERT INTO ${q('_cost_counts')} (${q('module')}, ${q('scope')}, ${q('slot')}, ${q('n')}) SELECT 'order', COALESCE(${q('_scope')}, ''), ?, 1 FROM ${q('_cost_order')} WHERE ${q('id')} = ? ON DUPLICATE KEY UPDATE ${q('n')} = ${q('n')} + 1`;
    const changes = JSON.stringify({ number: { before: null, after: 'cost' }, amount: { before: null, after: 250000 }, orderDate: { before: null, after: '2025-12-31' }, customer: { before: null, after: target.customer }, salesman: { before: null, after: target.salesman } });
    const history = `INSERT INTO ${q('_cost_history')} (${q('module')}, ${q('recordId')}, ${q('recordVersion')}, ${q('action')}, ${q('userId')}, ${q('username')}, ${q('at')}, ${q('changes')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('createdBy')}, ${q('updatedBy')}, ${q('version')}) VALUES ('order', ?, 1, 'create', ?, 'admin', NOW(3), ?, NOW(3), NOW(3), ?, ?, 1)`;

    const create = (opts: { guard?: boolean; transaction?: boolean; counts?: boolean; history?: boolean }): Step => async (c) => {
      if (opts.transaction) await plain(c, 'START TRANSACTION');
      const ins = insert(opts.guard ?? false);
      const { insertId } = await exec(c, ins.sql, ins.params);
      await exec(c, readBack, [prefix, insertId]);
      if (opts.counts) await exec(c, counted, [serial % 8, insertId]);
      if (opts.history) await exec(c, history, [insertId, user.id, changes, user.id, user.id]);
      if (opts.transaction) await plain(c, 'COMMIT');
    };
    const steps: [string, Step][] = [
      ['a round trip (SELECT 1)', (c) => exec(c, 'SELECT 1')],
      ['Q4 F2: the read by id', (c) => exec(c, read, [target.id, prefix])],
      ['Q4 Stratum: the same read confirming the session (EXISTS session, user, generation)', (c) => { const r = readConfirming(); return exec(c, r.sql, r.params); }],
      ['Q5 F2: INSERT … SELECT checking the references, read back (autocommit)', create({})],
      ['+ the session confirmed in the INSERT', create({ guard: true })],
      ['+ in a transaction (START TRANSACTION, COMMIT)', create({ guard: true, transaction: true })],
      ['+ the department count kept (upsert)', create({ guard: true, transaction: true, counts: true })],
      ['+ the audit history entry: Stratum with its built-in plugins', create({ guard: true, transaction: true, counts: true, history: true })],
    ];
    const run = (step: Step, n: number) => Promise.all(Array.from({ length: connections }, async (_, k) => {
      for (let i = k; i < n; i += connections) await one(step);
    }));
    // Every step once before any is measured: the client's code is compiled and the pages read.
    for (const [, step] of steps) await run(step, Math.min(1000, count));
    const costs: StatementCost[] = [];
    for (const [name, step] of steps) {
      const m0 = mariadbCpu(pid);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run(step, count);
      const client = process.cpuUsage(c0);
      costs.push({ step: name, mariadb: (mariadbCpu(pid) - m0) / count, client: (client.user + client.system) / count, wallMicros: ((performance.now() - t0) * 1000) / count });
      log(`${name}: MariaDB ${costs.at(-1)!.mariadb.toFixed(0)} µs, client ${costs.at(-1)!.client.toFixed(0)} µs`);
    }
    return costs;
  } finally {
    await one(async (c) => {
      await exec(c, `DELETE FROM ${q('_stratum_sessions')} WHERE ${q('id')} = ?`, [session]);
      for (const copy of ['_cost_order', '_cost_counts', '_cost_history']) await plain(c, `DROP TABLE IF EXISTS ${q(copy)}`);
    }).catch(() => undefined);
    await new Promise((resolve) => pool.end(resolve));
    await db.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const count = intOption(args, 'count', 5000);
  const connections = intOption(args, 'connections', 10);
  const costs = await measureStatementCosts(process.env.BENCH_DATABASE_URL ?? DEFAULT_STRATUM_URL, count, connections, (line) => console.error(line));
  console.log(`\n${count} times each on ${connections} connections (${new Date().toISOString()}):\n`);
  console.log('| step | MariaDB CPU µs | client CPU µs | both | wall µs |\n|---|--:|--:|--:|--:|');
  for (const c of costs) console.log(`| ${c.step} | ${c.mariadb.toFixed(0)} | ${c.client.toFixed(0)} | ${(c.mariadb + c.client).toFixed(0)} | ${c.wallMicros.toFixed(0)} |`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
