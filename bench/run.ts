import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import { Stratum } from '../core/stratum.js';
import { parseArgs, intOption } from './lib/args.js';
import { Client, httpFetcher } from './lib/client.js';
import { benchDatabases, DEFAULT_STRATUM_URL, floorPool, withServer } from './lib/databases.js';
import { freePort, memoryOf, startChild, type Child } from './lib/children.js';
import { explainStratum, type ExplainedStatement } from './lib/explain.js';
import { measure, type LoadResult } from './lib/load.js';
import {
  differences, floorTarget, q4IdFrom, Q5_PREFIX, QUERY_NAMES, requestSpec, send, stratumTarget, writeTargets,
  type QueryName, type RequestSpec, type Target, type UserContext,
} from './lib/queries.js';
import { renderReport, type Cell, type RunInfo } from './lib/report.js';
import { measureWriteCosts, renderWriteCosts } from './lib/write-costs.js';
import { renderWithoutPlugins, type PluginFreeCell } from './lib/without-plugins.js';
import { measureTotals, renderTotals, type TotalCell } from './lib/total-strategies.js';
import { ADMIN_PASSWORD, MEASURED_USERS, USER_PASSWORD } from './lib/users.js';
import { BENCH_METADATA_DIR, generate, isGenerated, sizesFromArgs } from './generate.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RESULTS = path.join(ROOT, 'bench', 'results', 'latest.md');

/**
 * `npm run bench`: the million-row benchmark on MariaDB. Makes sure the two databases hold the dataset
 * (generating it when missing or with --regenerate), starts Stratum and the floors F1 and F2 as
 * child processes on 127.0.0.1, checks that the three answer Q1–Q4 alike for every user (and stops
 * if not), explains Stratum's Q1/Q2 SQL, then loads each user × query × target with autocannon
 * (10 connections, a warm-up, a bounded window) and writes a markdown report to
 * bench/results/latest.md. Every child is ended on exit and on error.
 *
 * Options: --regenerate, --orders/--customers/--salesmen/--departments/--seed (sizes),
 * --connections 10, --warmup 1, --duration 5 (seconds), --queries Q1,Q2, --users sales_0010,admin,
 * --no-tune (leave MariaDB's buffer pool as it is). BENCH_DATABASE_URL names Stratum's database.
 */
async function main() {
  const args = parseArgs(process.argv.slice(2));
  const sizes = sizesFromArgs(args);
  const dbs = benchDatabases(process.env.BENCH_DATABASE_URL ?? DEFAULT_STRATUM_URL);
  const load = { connections: intOption(args, 'connections', 10), warmup: Number(args.warmup ?? 1), duration: intOption(args, 'duration', 5) };
  const queries = (args.queries?.split(',') ?? [...QUERY_NAMES]) as QueryName[];
  const users = args.users?.split(',') ?? [...MEASURED_USERS];
  const log = (line: string) => console.log(line);

  const bufferPool = args['no-tune'] ? await currentBufferPool(dbs.serverUrl) : await tuneBufferPool(dbs.serverUrl, log);
  let loadSeconds: number | undefined;
  if (args.regenerate || !(await isGenerated(dbs.stratumUrl, sizes))) {
    log(`Generating the dataset into ${dbs.stratumName} and ${dbs.plainName} …`);
    const g = await generate(dbs.stratumUrl, sizes, log);
    loadSeconds = g.seconds.generate + g.seconds.stratum + g.seconds.plain;
  } else {
    log(`Reusing ${dbs.stratumName} and ${dbs.plainName} (${sizes.orders} orders, seed ${sizes.seed}); --regenerate to rebuild`);
  }

  const stratumPool = floorPool(dbs.stratumUrl, 2);
  const plainPool = floorPool(dbs.plainUrl, 2);
  const children: Child[] = [];
  let failed = false;
  try {
    await removeCreatedOrders(stratumPool, plainPool, dbs.stratumUrl);
    const [stratumPort, f1Port, f2Port] = [await freePort(), await freePort(), await freePort()];
    log('Starting Stratum, F1 and F2 …');
    // One at a time: the floors time their SQL variants at start, alone on the database.
    // Only the engine: the bench modules, no demo, no plugins (the CRM plugin needs the CRM's modules).
    children.push(await startChild({
      name: 'Stratum', script: 'core/server.ts', cwd: ROOT, port: stratumPort, ready: /listening on/, timeoutMs: 600_000,
      env: { DATABASE_URL: dbs.stratumUrl, METADATA_DIR: path.join(ROOT, 'bench', 'metadata'), PORT: String(stratumPort), HOST: '127.0.0.1', ADMIN_PASSWORD, DEMO: '0', MODULES_DIR: '' },
    }));
    const stratum = children[0]!;
    children.push(await startChild({
      name: 'F1', script: 'bench/floors/f1-plain.ts', cwd: ROOT, port: f1Port, ready: /listening on/, timeoutMs: 600_000,
      env: { FLOOR_DATABASE_URL: dbs.plainUrl, PORT: String(f1Port) },
    }));
    children.push(await startChild({
      name: 'F2', script: 'bench/floors/f2-stratum-tables.ts', cwd: ROOT, port: f2Port, ready: /listening on/, timeoutMs: 600_000,
      env: { FLOOR_DATABASE_URL: dbs.stratumUrl, PORT: String(f2Port) },
    }));
    const base = (port: number) => `http://127.0.0.1:${port}`;

    const cookies: Record<string, string> = {};
    const userIds: Record<string, number> = {};
    for (const user of MEASURED_USERS) {
      const client = new Client(httpFetcher(base(stratumPort)));
      const me = await client.expect(200, 'POST', '/api/auth/login', { username: user, password: user === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD });
      cookies[user] = client.cookie;
      userIds[user] = Number(me.user.id);
    }
    const targets: Target[] = [
      stratumTarget(httpFetcher(base(stratumPort)), cookies),
      floorTarget('F1', httpFetcher(base(f1Port))),
      floorTarget('F2', httpFetcher(base(f2Port))),
    ];
    const ports: Record<string, number> = { Stratum: stratumPort, F1: f1Port, F2: f2Port };

    // Same answers first: a fast wrong answer is no floor.
    const writes = await writeTargets(stratumPool);
    const contexts: Record<string, UserContext> = {};
    const problems: string[] = [];
    const answers: Record<string, string> = {};
    for (const user of MEASURED_USERS) {
      const q1 = await send(targets[2]!, user, requestSpec('Q1', { username: user, q4Id: 0, ...writes[user]! }, ''));
      contexts[user] = { username: user, q4Id: q4IdFrom(q1) ?? 1, ...writes[user]! };
      for (const query of ['Q1', 'Q2', 'Q3', 'Q4'] as QueryName[]) {
        const spec = requestSpec(query, contexts[user]!, '');
        const replies = Object.fromEntries(await Promise.all(targets.map(async (t) => [t.name, await send(t, user, spec)] as const)));
        problems.push(...differences(query, replies).map((d) => `${user} ${query}: ${d}`));
        answers[`${user} ${query}`] = summarize(query, replies.Stratum!.body);
      }
    }
    if (problems.length > 0) {
      failed = true;
      throw new Error(`Stratum, F1 and F2 do not agree (${problems.length}):\n${problems.join('\n')}`);
    }
    log(`Correctness: Stratum, F1 and F2 agree on Q1–Q4 for ${MEASURED_USERS.join(', ')}`);

    const admin = new Client(httpFetcher(base(stratumPort)));
    admin.cookie = cookies.admin!;
    const explained: Record<string, ExplainedStatement[]> = {};
    for (const user of MEASURED_USERS.filter((u) => u !== 'admin')) explained[user] = await explainStratum(admin, stratumPool, userIds[user]!);
    const plans = {
      F1: (await (await fetch(`${base(f1Port)}/plans`)).json()) as Record<string, unknown>,
      F2: (await (await fetch(`${base(f2Port)}/plans`)).json()) as Record<string, unknown>,
    };

    // Every window: a warm-up, then the measurement, then a wait until none of our requests is left:
    // requests cut off at the end of a window may still run in the server and the database.
    const settle = () => drain(stratumPool, [dbs.stratumName, dbs.plainName], log);
    const settled = async (url: string, spec: RequestSpec, headers: Record<string, string>, p: string) => {
      const r = await measure(url, spec, headers, p, load, settle);
      await settle();
      return r;
    };

    const cells: Cell[] = [];
    // The million-row benchmark: Q1's total strategies and keyset paging, measured on Stratum alone.
    let totals: TotalCell[] | undefined;
    const totalsSpoiled: string[] = [];
    const runTotals = () => {
      const clientOf = (user: string) => Object.assign(new Client(httpFetcher(base(stratumPort))), { cookie: cookies[user]! });
      return measureTotals(clientOf, users, async (user, spec) => {
        const r = await settled(base(stratumPort), spec, { cookie: cookies[user]! }, spec.path);
        log(`Q1 ${user.padEnd(20)} ${spec.path.split('pageSize=25')[1]!.slice(0, 40).padEnd(40)} ${r.rps.toFixed(1).padStart(8)} req/s  p99 ${r.p99} ms`);
        if (failures(r)) totalsSpoiled.push(`Q1 totals ${user} ${spec.path} (${failures(r)})`);
        return r;
      });
    };
    let peakRss = 0;
    const sampler = setInterval(() => {
      const m = memoryOf(stratum.pid);
      if (m) peakRss = Math.max(peakRss, m.rss);
    }, 250);
    try {
      // Q5 last: the orders it creates must not change what the reads see. Q1's total strategies
      // (the million-row benchmark) run between the reads and Q5, on the generated data too.
      for (const query of [...queries].sort((a, b) => (a === 'Q5' ? 1 : 0) - (b === 'Q5' ? 1 : 0))) {
        if (query === 'Q5' && totals === undefined && queries.includes('Q1')) totals = await runTotals();
        for (const user of users) {
          // Every target warmed before any is measured: Stratum and F2 read the same tables, and the
          // first one measured would otherwise load from disk the pages the next finds in memory.
          if (query !== 'Q5' && load.warmup > 0) {
            const spec = requestSpec(query, contexts[user]!, '');
            for (const target of targets) {
              const { path: p, headers } = target.as(user, spec.path);
              await measure(base(ports[target.name]!), spec, headers, p, { ...load, warmup: 0, duration: load.warmup });
            }
            await settle();
          }
          const results: Record<string, LoadResult> = {};
          for (const target of targets) {
            const spec = requestSpec(query, contexts[user]!, `${target.name}-${user.slice(0, 8)}-${Date.now() % 100000}`);
            const { path: p, headers } = target.as(user, spec.path);
            const r = (results[target.name] = await settled(base(ports[target.name]!), spec, headers, p));
            log(`${query} ${user.padEnd(20)} ${target.name.padEnd(8)} ${r.rps.toFixed(1).padStart(8)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${failures(r) ? `  !! ${failures(r)}` : ''}`);
          }
          cells.push({ query, user, results, load1: os.loadavg()[0]! });
        }
      }
    } finally {
      clearInterval(sampler);
    }
    const memory = memoryOf(stratum.pid);
    peakRss = Math.max(peakRss, memory?.peak ?? 0);
    const spoiled = cells.flatMap((c) => Object.entries(c.results)
      .filter(([, r]) => failures(r))
      .map(([t, r]) => `${c.query} ${c.user} ${t} (${failures(r)})`));
    if (totals === undefined && queries.includes('Q1')) totals = await runTotals();
    spoiled.push(...totalsSpoiled);

    // Q5 once more on a Stratum without the audit plugin: how much of the gap is the history entry.
    const pluginFree: PluginFreeCell[] = [];
    if (queries.includes('Q5')) {
      const port = await freePort();
      const bare = await startChild({
        name: 'Stratum without plugins', script: 'core/server.ts', cwd: ROOT, port, ready: /listening on/, timeoutMs: 600_000,
        env: { DATABASE_URL: dbs.stratumUrl, METADATA_DIR: path.join(ROOT, 'bench', 'metadata'), PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD, DEMO: '0', MODULES_DIR: '', BUILTIN_PLUGINS: '0' },
      });
      children.push(bare);
      const bareCookies: Record<string, string> = {};
      for (const user of users) {
        const client = new Client(httpFetcher(base(port)));
        await client.expect(200, 'POST', '/api/auth/login', { username: user, password: user === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD });
        bareCookies[user] = client.cookie;
      }
      const target = stratumTarget(httpFetcher(base(port)), bareCookies);
      for (const user of users) {
        const spec = requestSpec('Q5', contexts[user]!, `B-${user.slice(0, 8)}-${Date.now() % 100000}`);
        const { path: p, headers } = target.as(user, spec.path);
        const result = await settled(base(port), spec, headers, p);
        const main = cells.find((c) => c.query === 'Q5' && c.user === user)?.results;
        pluginFree.push({ user, result, f2: main?.F2, withAudit: main?.Stratum });
        if (failures(result)) spoiled.push(`Q5 ${user} without plugins (${failures(result)})`);
        log(`Q5 ${user.padEnd(20)} no audit ${result.rps.toFixed(1).padStart(8)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`);
      }
      await bare.stop();
    }

    const costs = await measureWriteCosts(admin, stratumPool);
    const info: RunInfo = await runInfo(dbs.serverUrl, sizes, load, bufferPool, loadSeconds);
    const report = [renderReport({ info, cells, peakRssMb: peakRss, explained, plans, answers, spoiled }), ...renderTotals(totals ?? [], load), ...renderWithoutPlugins(pluginFree), ...renderWriteCosts(costs)].join('\n');
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, report);
    log(`\n${report}`);
    log(`Written to ${path.relative(process.cwd(), RESULTS)}`);
    if (spoiled.length > 0) {
      failed = true;
      throw new Error(`Some runs had errors or non-2xx answers: ${spoiled.join('; ')}`);
    }
  } finally {
    for (const child of children.reverse()) await child.stop();
    await removeCreatedOrders(stratumPool, plainPool, dbs.stratumUrl).catch((e) => log(`Could not remove Q5's orders: ${(e as Error).message}`));
    await stratumPool.end();
    await plainPool.end();
  }
  if (failed) process.exitCode = 1;
}

/**
 * Q5's orders, from this run or an interrupted one, so that every run reads the generated data.
 * They are deleted around the engine, so the maintained counts are rebuilt after (without it a
 * sales user's total would go on counting them), and their history entries go too.
 */
async function removeCreatedOrders(stratumPool: ReturnType<typeof floorPool>, plainPool: ReturnType<typeof floorPool>, stratumUrl: string) {
  await stratumPool.query('DELETE FROM `order` WHERE number LIKE ?', [`${Q5_PREFIX}%`]);
  await plainPool.query('DELETE FROM orders WHERE number LIKE ?', [`${Q5_PREFIX}%`]);
  const [history] = await stratumPool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'history'");
  if (Number(history[0]?.n) > 0) {
    await stratumPool.query("DELETE h FROM `history` h LEFT JOIN `order` o ON o.id = h.recordId WHERE h.module = 'order' AND o.id IS NULL");
  }
  // Always, not only when rows were removed: an interrupted run may have left the counts behind.
  const stratum = await Stratum.open({ databaseUrl: stratumUrl, metadataDir: BENCH_METADATA_DIR, adminPassword: ADMIN_PASSWORD });
  try {
    await stratum.recount(['order']);
  } finally {
    await stratum.close();
  }
}

/** What spoiled a measurement (answers that were not 2xx, errors, timeouts), or undefined. */
function failures(r: LoadResult): string | undefined {
  return r.non2xx + r.errors + r.timeouts > 0 ? `${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` : undefined;
}

function summarize(query: QueryName, body: any): string {
  if (query === 'Q2') return (body.data as Record<string, unknown>[]).map((r) => `${r['year(orderDate)']}: ${r['sum(amount)']}`).join(', ');
  if (query === 'Q4') return `order ${body.id} (${body.number})`;
  return `total ${body.meta.total}, first ids ${(body.data as { id: number }[]).slice(0, 3).map((r) => r.id).join(', ')}`;
}

/**
 * Waits (at most 5 minutes) until no statement runs on the benchmark's databases, seen twice in a
 * row: requests that autocannon gave up on at the end of a window still run in the server and in
 * MariaDB, and would otherwise weigh on the next measurement.
 */
async function drain(pool: ReturnType<typeof floorPool>, databases: string[], log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const until = started + 300_000;
  let quiet = 0;
  while (quiet < 2 && Date.now() < until) {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB IN (${databases.map(() => '?').join(', ')}) AND COMMAND NOT IN ('Sleep', 'Daemon') AND ID <> CONNECTION_ID()`,
      databases,
    );
    quiet = Number(rows[0]?.n) === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
  const waited = (Date.now() - started) / 1000;
  if (quiet < 2) log(`  (statements still running after ${waited.toFixed(0)} s; going on)`);
  else if (waited > 3) log(`  (waited ${waited.toFixed(0)} s for abandoned requests to finish)`);
}

/** The commit the engine is at, and whether core/ has uncommitted changes (read-only git commands). */
function engineVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'core'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} with uncommitted changes in core/ (${dirty.split('\n').length} files)` : head;
  } catch {
    return 'unknown (no git)';
  }
}

const GIB = 1024 ** 3;

async function currentBufferPool(serverUrl: string): Promise<number> {
  return withServer(serverUrl, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS size');
    return Number(rows[0]!.size);
  });
}

/**
 * MariaDB's default buffer pool (128 MiB) cannot hold the two databases (about 1 GiB together),
 * so every floor and Stratum alike would measure page reads. It is raised to 2 GiB for the
 * running server (not persisted; --no-tune leaves it).
 */
async function tuneBufferPool(serverUrl: string, log: (line: string) => void): Promise<number> {
  const size = await currentBufferPool(serverUrl);
  if (size >= 2 * GIB) return size;
  await withServer(serverUrl, (conn) => conn.query(`SET GLOBAL innodb_buffer_pool_size = ${2 * GIB}`));
  log(`Raised MariaDB's innodb_buffer_pool_size from ${Math.round(size / 1024 ** 2)} MiB to 2048 MiB for this server run (--no-tune to leave it)`);
  await new Promise((r) => setTimeout(r, 2000));
  return currentBufferPool(serverUrl);
}

async function runInfo(serverUrl: string, sizes: RunInfo['sizes'], load: RunInfo['load'], bufferPool: number, loadSeconds: number | undefined): Promise<RunInfo> {
  const version = await withServer(serverUrl, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v');
    return String(rows[0]!.v);
  });
  return {
    date: new Date().toISOString(),
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    memoryGiB: Math.round(os.totalmem() / GIB),
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    node: process.version,
    mariadb: version,
    bufferPoolMiB: Math.round(bufferPool / 1024 ** 2),
    sizes,
    load,
    loadSeconds,
    engine: engineVersion(),
    command: `npm run bench${process.argv.slice(2).length > 0 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  };
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
