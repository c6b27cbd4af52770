import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createApp } from '../core/http-app.js';
import { Stratum } from '../core/stratum.js';
import { measureWriteCosts } from './lib/write-costs.js';
import { measureStatementCosts } from './statement-costs.js';
import { measureSchemaChanges } from './schema-changes.js';
import { measureConcurrentWrites, QUICK_WRITES } from './concurrent-writes.js';
import { Client, type Fetcher } from './lib/client.js';
import { benchDatabases, dropDatabase, floorPool } from './lib/databases.js';
import { FULL_SIZES, type Sizes } from './lib/dataset.js';
import {
  differences, floorTarget, q4IdFrom, Q5_PREFIX, requestSpec, send, stratumTarget, writeTargets, type QueryName, type Target, type UserContext,
} from './lib/queries.js';
import { ADMIN_PASSWORD, MEASURED_USERS, USER_PASSWORD } from './lib/users.js';
import { BENCH_METADATA_DIR, generate } from './generate.js';
import { createFloor } from './floors/floor-app.js';
import { F1_SCHEMA, f2Schema } from './floors/schema.js';

export interface SmokeOptions {
  readonly orders?: number;
  readonly customers?: number;
  readonly salesmen?: number;
  readonly seed?: number;
  /** A MariaDB server URL whose user may create and drop databases; STRATUM_TEST_MYSQL_URL or root@127.0.0.1 by default. */
  readonly serverUrl?: string;
  /** Keep the two databases for a look afterwards (they are dropped by default). */
  readonly keep?: boolean;
  readonly log?: (line: string) => void;
}

export interface SmokeResult {
  /** Stratum's database (the plain one is `<name>_plain`); dropped unless `keep`. */
  readonly database: string;
  /** Answers compared: user × query × target. */
  readonly compared: number;
  /** Definition changes measured under load by bench/schema-changes.ts (3). */
  readonly schemaChanges: number;
  /** How the order table differs from before once those changes were taken back (empty when it does not). */
  readonly schemaChangeLeftovers: readonly string[];
  /** bench/concurrent-writes.ts --quick on SQLite and MariaDB: its windows, and every answer that was not 2xx (with connection errors) and write that does not match its answers. */
  readonly concurrentWrites: { readonly windows: number; readonly non2xx: number; readonly errors: number; readonly mismatches: readonly string[] };
  readonly seconds: number;
}

/**
 * The benchmark's code on a tiny dataset (10,000 orders by default), in process: generates and
 * loads it into two fresh MariaDB databases, then for each bench user asks Q1–Q4 of Stratum
 * (its Hono app, no server), of F2 (hand-written SQL on Stratum's tables) and of F1 (the plain
 * schema), and throws, listing every difference, unless all three agree. Q5 must create an order
 * on each (201); the created orders are removed. Nothing listens on a port, except at the end:
 * bench/schema-changes.ts starts Stratum and F2 as processes and changes the order module three
 * times under Q4's load (one-second windows), then puts it back; and bench/concurrent-writes.ts
 * runs its quick mode (creates and PATCHes from 1 and 20 connections, 2-second windows) on a
 * Stratum of its own on SQLite and on a fresh MariaDB database.
 */
export async function runSmoke(opts: SmokeOptions = {}): Promise<SmokeResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const server = new URL(opts.serverUrl ?? process.env.STRATUM_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
  const name = `stratum_bench_smoke_${randomBytes(4).toString('hex')}`;
  server.pathname = `/${name}`;
  const dbs = benchDatabases(server.toString());
  const sizes: Sizes = {
    orders: opts.orders ?? 10_000,
    customers: opts.customers ?? Math.max(200, Math.round((opts.orders ?? 10_000) / 5)),
    salesmen: opts.salesmen ?? 100,
    departments: FULL_SIZES.departments,
    seed: opts.seed ?? FULL_SIZES.seed,
  };
  let stratum: Stratum | undefined;
  const stratumPool = floorPool(dbs.stratumUrl, 10);
  const plainPool = floorPool(dbs.plainUrl, 10);
  try {
    await generate(dbs.stratumUrl, sizes, log);
    stratum = await Stratum.open({ databaseUrl: dbs.stratumUrl, metadataDir: BENCH_METADATA_DIR, adminPassword: ADMIN_PASSWORD });
    const app = createApp(stratum);
    const inProcess: Fetcher = (path, init) => Promise.resolve(app.request(path, init));
    const cookies: Record<string, string> = {};
    for (const user of MEASURED_USERS) {
      const client = await new Client(inProcess).login(user, user === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD);
      cookies[user] = client.cookie;
    }
    const f2 = await createFloor(await f2Schema(stratumPool), stratumPool);
    const f1 = await createFloor(F1_SCHEMA, plainPool);
    const targets: Target[] = [
      stratumTarget(inProcess, cookies),
      floorTarget('F2', (path, init) => Promise.resolve(f2.app.request(path, init))),
      floorTarget('F1', (path, init) => Promise.resolve(f1.app.request(path, init))),
    ];
    const writes = await writeTargets(stratumPool);
    const problems: string[] = [];
    let compared = 0;
    let schemaChanges = 0;
    let schemaChangeLeftovers: readonly string[] = [];
    const contexts: UserContext[] = [];
    for (const user of MEASURED_USERS) {
      const q1 = await send(targets[1]!, user, requestSpec('Q1', { username: user, q4Id: 0, ...writes[user]! }, 'smoke'));
      const ctx = { username: user, q4Id: q4IdFrom(q1) ?? 1, ...writes[user]! };
      contexts.push(ctx);
      for (const query of ['Q1', 'Q2', 'Q3', 'Q4'] as QueryName[]) {
        const spec = requestSpec(query, ctx, 'smoke');
        const answers = Object.fromEntries(await Promise.all(targets.map(async (t) => [t.name, await send(t, user, spec)] as const)));
        compared += targets.length;
        problems.push(...differences(query, answers).map((d) => `${user} ${query}: ${d}`));
      }
    }
    // Writes last: a created order would change what the reads of the next user return.
    for (const ctx of contexts) {
      for (const t of targets) {
        const r = await send(t, ctx.username, requestSpec('Q5', ctx, `smoke-${t.name}-${ctx.username.slice(0, 6)}`), 1);
        if (r.status !== 201) problems.push(`${ctx.username} Q5 on ${t.name}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    }
    // The write-cost measurement runs, and leaves the maintained counts true.
    const admin = new Client(inProcess);
    admin.cookie = cookies.admin!;
    const costs = await measureWriteCosts(admin, stratumPool, 1);
    if (costs.length !== 2 || costs.some((c) => !(c.medianMs > 0))) problems.push(`write costs: ${JSON.stringify(costs)}`);
    // The statement-cost measurement runs on the bench tables (its rows go to scratch copies).
    const statements = await measureStatementCosts(dbs.stratumUrl, 20, 2);
    if (statements.length !== 8 || statements.some((c) => !(c.wallMicros > 0))) problems.push(`statement costs: ${JSON.stringify(statements)}`);
    await stratumPool.query(`DELETE FROM \`order\` WHERE number LIKE ?`, [`${Q5_PREFIX}%`]);
    await plainPool.query('DELETE FROM orders WHERE number LIKE ?', [`${Q5_PREFIX}%`]);
    // The definition changes under Q4 run, and put the order module back (last: they change its table).
    const changed = await measureSchemaChanges({ stratumUrl: dbs.stratumUrl, quietSeconds: 1, connections: 4, log });
    schemaChanges = changed.changes.length;
    schemaChangeLeftovers = changed.leftovers;
    if (changed.changes.length !== 3) problems.push(`schema changes: only ${changed.changes.map((c) => c.name).join(', ')}`);
    // Concurrent writers on both databases: every answer 2xx, every write counted.
    const concurrent = await measureConcurrentWrites({ ...QUICK_WRITES, serverUrl: dbs.serverUrl, log });
    const concurrentWrites = {
      windows: concurrent.dialects.reduce((n, d) => n + d.windows.length, 0), non2xx: concurrent.non2xx, errors: concurrent.errors, mismatches: concurrent.mismatches,
    };
    if (concurrent.non2xx + concurrent.errors > 0) problems.push(`concurrent writes: ${concurrent.non2xx} answers not 2xx, ${concurrent.errors} connection errors or timeouts`);
    problems.push(...concurrent.mismatches.map((m) => `concurrent writes: ${m}`));
    if (problems.length > 0) throw new Error(`The bench smoke run found ${problems.length} differences:\n${problems.join('\n')}`);
    log(`smoke: ${compared} answers agree (${MEASURED_USERS.length} users × Q1–Q4 × Stratum, F2, F1)`);
    return { database: dbs.stratumName, compared, schemaChanges, schemaChangeLeftovers, concurrentWrites, seconds: (Date.now() - started) / 1000 };
  } finally {
    await stratum?.close();
    await stratumPool.end();
    await plainPool.end();
    if (!opts.keep) {
      await dropDatabase(dbs.serverUrl, dbs.stratumName);
      await dropDatabase(dbs.serverUrl, dbs.plainName);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runSmoke({ log: console.log, keep: process.argv.includes('--keep') })
    .then((r) => console.log(`smoke passed in ${r.seconds.toFixed(1)} s`))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
