/**
 * Definition changes on a module that holds data: the bench's `order` table (a million rows by
 * default), changed through `PUT /api/modules/order` as admin — the dry run, then the apply with
 * its token — while autocannon reads one order by id (Q4) as a bench user. Measured, on MariaDB:
 *
 * 1. a field rename (`amount` → `total`: the column, the `x-index`, the list and a rule follow);
 * 2. a widening (`number` maxLength 32 → 100: 128 → 400 bytes in utf8mb4, across the 255-byte
 *    length prefix; a unique field, so its key is rebuilt);
 * 3. a conversion (`externalId`, a string of digits that this script adds and fills, → integer;
 *    every value is converted in batches by the engine).
 *
 * For each: the dry run's and the apply's wall time, Q4 (rate, p50, p99, worst, the longest time
 * no answer came back, statuses) during each, and the statements MariaDB was seen running
 * (information_schema.PROCESSLIST every 100 ms), with any read seen waiting for the table's
 * metadata lock. Q4 of Stratum and of the hand-written floor F2 are measured in a quiet window
 * before (the ratio) and after. Then the module is put back as its file defines it (one change:
 * the rename back, the narrowing back, `externalId` removed and its trash purged) and the table's
 * columns and keys are checked against what they were.
 *
 *   npx tsx bench/schema-changes.ts [--rows 1000000] [--quiet 10] [--user sales_0010] [--connections 10] [--no-tune]
 *
 * Reuses the bench database (BENCH_DATABASE_URL, `stratum_bench` by default) when it holds the
 * dataset, and generates it otherwise; with --rows other than the bench's million it uses a
 * database of its own, `<name>_<rows>`. Stratum runs as its own process with the bench's
 * modules except `order`, which it therefore keeps as a module defined through the API (only
 * those can be changed there); the file's definition holds again once the module is put back.
 * bench/smoke.ts runs `measureSchemaChanges` on its 10,000 orders with one-second windows.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { Stratum } from '../core/stratum.js';
import { canonical } from '../core/schema/plan-change.js';
import { renameOwnKeywords } from '../core/schema/rename-references.js';
import type { JsonSchema } from '../core/schema/module.js';
import { intOption, parseArgs } from './lib/args.js';
import { measuredCommit } from './lib/commit.js';
import { Client, httpFetcher, untimedHttpFetcher } from './lib/client.js';
import { benchDatabases, DEFAULT_STRATUM_URL, floorPool, withServer } from './lib/databases.js';
import { freePort, startChild, type Child } from './lib/children.js';
import { FULL_SIZES } from './lib/dataset.js';
import { measure, measureDuring, type DuringResult, type LoadResult } from './lib/load.js';
import { floorTarget, q4IdFrom, requestSpec, send, stratumTarget, type RequestSpec } from './lib/queries.js';
import { ADMIN_PASSWORD, USER_PASSWORD } from './lib/users.js';
import { BENCH_METADATA_DIR, generate, isGenerated, sizesFromArgs } from './generate.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ORDER_FILE = path.join(BENCH_METADATA_DIR, 'bench', 'order.json');

export interface SchemaChangeOptions {
  /** Stratum's bench database, generated. */
  readonly stratumUrl: string;
  /** The user Q4 reads as. */
  readonly user?: string;
  readonly connections?: number;
  /** Seconds of each quiet window (before and after), after a warm-up of half as long (at most 2 s). */
  readonly quietSeconds?: number;
  readonly log?: (line: string) => void;
}

/** A statement of the change seen running (not one of the reads). */
export interface SeenStatement {
  readonly sql: string;
  /** Seconds from the start of the request to when it began (as the first sample that saw it tells), and to the last sample that saw the same text. */
  readonly from: number;
  readonly to: number;
  /** The longest it had been running at a sample, in milliseconds. */
  readonly ms: number;
  /** Samples that saw it. */
  readonly samples: number;
  readonly states: readonly string[];
}

/** The dry run or the apply of one change, under load. */
export interface ChangeWindow {
  readonly ms: number;
  readonly status: number;
  readonly load: DuringResult;
  /** The change's statements seen running for at least one sample (100 ms). */
  readonly statements: readonly SeenStatement[];
  /** Samples in which some read of the table was waiting for its metadata lock, and the longest such wait seen. */
  readonly lockWaits: number;
  readonly lockWaitMs: number;
  /** The errors Stratum printed while it ran (requests that failed), each with how often. */
  readonly serverErrors: readonly string[];
}

export interface ChangeMeasurement {
  readonly name: string;
  readonly what: string;
  /** The plan's steps as the dry run answered them. */
  readonly steps: readonly { kind: string; message: string; rows: number; locks: string }[];
  readonly dryRun: ChangeWindow;
  readonly apply: ChangeWindow;
  /** Seconds waited before it for InnoDB to purge what the previous one left (history list). */
  readonly purgeWait: number;
  /** How the table's columns and keys changed. */
  readonly shape: readonly string[];
}

export interface SchemaChangesResult {
  readonly rows: number;
  readonly user: string;
  readonly q4Id: number;
  readonly connections: number;
  readonly before: { readonly stratum: LoadResult; readonly f2: LoadResult };
  readonly after: { readonly stratum: LoadResult; readonly f2: LoadResult };
  /** Adding `externalId` (through the API) and filling it (one UPDATE), in seconds. */
  readonly setup: { readonly addMs: number; readonly fillMs: number };
  readonly changes: readonly ChangeMeasurement[];
  /** Putting the module back as its file says (no load): dry run, apply and the trash purge, in ms. */
  readonly restore: { readonly dryRunMs: number; readonly applyMs: number; readonly purgeMs: number; readonly steps: readonly string[] };
  /** What differs from before in the table's columns and keys once put back (empty when nothing). */
  readonly leftovers: readonly string[];
  readonly loadAverages: readonly string[];
}

const EXTERNAL_ID = 'externalId';

/**
 * Runs the three changes on the generated bench database at `stratumUrl` and puts the module back.
 * Throws when a change fails; the module may then be left changed (the caller regenerates).
 */
export async function measureSchemaChanges(opts: SchemaChangeOptions): Promise<SchemaChangesResult> {
  const log = opts.log ?? (() => undefined);
  const user = opts.user ?? 'sales_0010';
  const connections = opts.connections ?? 10;
  const quiet = opts.quietSeconds ?? 10;
  const warmup = Math.min(2, quiet / 2);
  const dbs = benchDatabases(opts.stratumUrl);
  const pool = floorPool(dbs.stratumUrl, 2);
  const fileDef = JSON.parse(readFileSync(ORDER_FILE, 'utf8')) as JsonSchema;
  const loadAverages: string[] = [];
  const noteLoad = (when: string) => loadAverages.push(`${when}: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const children: Child[] = [];
  const metadata = mkdtempSync(path.join(os.tmpdir(), 'stratum-schema-changes-'));
  let putBack = false;
  try {
    const stored = await storedDefinition(pool);
    if (!stored || canonical(stored) !== canonical(fileDef)) {
      throw new Error(`The order module of ${dbs.stratumName} is not as bench/metadata/bench/order.json defines it (an interrupted run?); generate the database again`);
    }
    const [{ n: rows }] = (await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM `order`'))[0] as [{ n: number }];
    const shapeBefore = await tableShape(pool);

    // The bench's modules without order: Stratum keeps order as a module defined through the API.
    mkdirSync(path.join(metadata, 'bench'));
    for (const f of ['customer.json', 'salesman.json']) copyFileSync(path.join(BENCH_METADATA_DIR, 'bench', f), path.join(metadata, 'bench', f));
    const [stratumPort, f2Port] = [await freePort(), await freePort()];
    log('Starting Stratum (order as an API module) and F2 (Q4 only) …');
    children.push(await startChild({
      name: 'Stratum', script: 'core/server.ts', cwd: ROOT, port: stratumPort, ready: /listening on/, timeoutMs: 600_000,
      // No migration files: these changes are measured, not kept.
      env: { DATABASE_URL: dbs.stratumUrl, METADATA_DIR: metadata, MIGRATIONS_DIR: '', PORT: String(stratumPort), HOST: '127.0.0.1', ADMIN_PASSWORD, DEMO: '0', MODULES_DIR: '' },
    }));
    const stratum = children[0]!;
    children.push(await startChild({
      name: 'F2', script: 'bench/floors/f2-stratum-tables.ts', cwd: ROOT, port: f2Port, ready: /listening on/, timeoutMs: 600_000,
      env: { FLOOR_DATABASE_URL: dbs.stratumUrl, PORT: String(f2Port), FLOOR_CALIBRATE: '0' },
    }));
    const base = (port: number) => `http://127.0.0.1:${port}`;
    const admin = await new Client(untimedHttpFetcher(base(stratumPort))).login('admin', ADMIN_PASSWORD);
    const reader = await new Client(httpFetcher(base(stratumPort))).login(user, user === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD);
    const targets = {
      Stratum: stratumTarget(httpFetcher(base(stratumPort)), { [user]: reader.cookie }),
      F2: floorTarget('F2', httpFetcher(base(f2Port))),
    };
    const q1 = await send(targets.Stratum, user, { method: 'GET', path: '/api/data/order?sort=-orderDate&page=1&pageSize=25' });
    const q4Id = q4IdFrom(q1);
    if (q4Id === undefined) throw new Error(`${user} sees no order: ${JSON.stringify(q1.body).slice(0, 300)}`);
    const q4 = requestSpec('Q4', { username: user, q4Id, salesman: 0, customer: 0 }, '');
    const ports = { Stratum: stratumPort, F2: f2Port };
    const quietWindow = async (label: string) => {
      const out = {} as { stratum: LoadResult; f2: LoadResult };
      for (const name of ['Stratum', 'F2'] as const) {
        const { path: p, headers } = targets[name].as(user, q4.path);
        const r = await measure(base(ports[name]), q4, headers, p, { connections, warmup, duration: quiet });
        out[name === 'Stratum' ? 'stratum' : 'f2'] = r;
        log(`Q4 ${label.padEnd(6)} ${name.padEnd(7)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.non2xx + r.errors + r.timeouts > 0 ? `  !! ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`);
      }
      noteLoad(`${label} window`);
      return out;
    };
    const definition = async () => (await admin.expect(200, 'GET', '/api/modules/order')).definition as JsonSchema;
    const q4Path = targets.Stratum.as(user, q4.path);

    // The field the conversion needs: a string of digits on every row, as an import would leave it.
    let t = performance.now();
    const withExternal = await definition();
    (withExternal.properties as Record<string, JsonSchema>)[EXTERNAL_ID] = { type: 'string', maxLength: 9, title: 'External id' };
    await change(admin, withExternal);
    const addMs = performance.now() - t;
    t = performance.now();
    await pool.query(`UPDATE \`order\` SET \`${EXTERNAL_ID}\` = LPAD(id, 9, '0')`);
    const fillMs = performance.now() - t;
    log(`Added ${EXTERNAL_ID} in ${(addMs / 1000).toFixed(1)} s and filled ${rows} rows in ${(fillMs / 1000).toFixed(1)} s`);
    await purged(pool, log);

    const before = await quietWindow('before');
    const watch = new StatementWatch(floorPool(dbs.stratumUrl, 1), dbs.stratumName);
    const changes: ChangeMeasurement[] = [];
    const plans: { name: string; what: string; body: (def: JsonSchema) => JsonSchema; check: (record: Record<string, unknown>) => string | undefined }[] = [
      {
        name: 'rename',
        what: 'rename the field `amount` to `total` (its column, the `x-index` (orderDate, amount), the list and the `big_orders` rule follow)',
        body: (def) => ({ ...renamed(def, 'amount', 'total'), 'x-migration': { renames: { amount: 'total' } } }),
        check: (r) => (typeof r.total === 'number' && !('amount' in r) ? undefined : 'no total, or still an amount'),
      },
      {
        name: 'widening',
        what: 'widen `number` (unique) from maxLength 32 to 100: VARCHAR(32) → VARCHAR(100), 128 → 400 bytes in utf8mb4',
        body: (def) => withProperty(def, 'number', { maxLength: 100 }),
        check: (r) => (typeof r.number === 'string' && r.number.startsWith('SO') ? undefined : `number is ${JSON.stringify(r.number)}`),
      },
      {
        name: 'conversion',
        what: `convert \`${EXTERNAL_ID}\` from a string of digits (maxLength 9) to an integer`,
        body: (def) => withProperty(def, EXTERNAL_ID, { type: 'integer', maxLength: undefined }),
        check: (r) => (r[EXTERNAL_ID] === q4Id ? undefined : `${EXTERNAL_ID} is ${JSON.stringify(r[EXTERNAL_ID])}, not ${q4Id}`),
      },
    ];
    let shape = await tableShape(pool);
    for (const plan of plans) {
      const purgeWait = await purged(pool, log);
      const body = plan.body(await definition());
      log(`${plan.name}: dry run …`);
      const dry = await underLoad(watch, stratum, base(stratumPort), q4, q4Path, connections, () => admin.request('PUT', '/api/modules/order?dryRun=true', body));
      if (dry.reply.status !== 200) throw new Error(`${plan.name}: the dry run answered ${dry.reply.status}: ${JSON.stringify(dry.reply.body).slice(0, 1000)}`);
      const planned = dry.reply.body.plan as { token: string; applicable: boolean; steps: { kind: string; message: string; rows: number; locks: string }[]; blockers: unknown[] };
      if (!planned.applicable) throw new Error(`${plan.name}: the plan cannot be applied: ${JSON.stringify(planned.blockers).slice(0, 1000)}`);
      log(`${plan.name}: dry run ${(dry.window.ms / 1000).toFixed(2)} s (${planned.steps.map((s) => s.kind).join(', ')}); applying …`);
      const applied = await underLoad(watch, stratum, base(stratumPort), q4, q4Path, connections, () => admin.request('PUT', `/api/modules/order?confirm=${planned.token}`, body));
      if (applied.reply.status !== 200) throw new Error(`${plan.name}: the apply answered ${applied.reply.status} after ${(applied.window.ms / 1000).toFixed(1)} s: ${JSON.stringify(applied.reply.body).slice(0, 1000)}`);
      const a = applied.window.load;
      log(`${plan.name}: applied in ${(applied.window.ms / 1000).toFixed(2)} s; Q4 meanwhile ${a.rps.toFixed(0)} req/s p50 ${a.p50} p99 ${a.p99} max ${a.max} ms, longest without an answer ${a.longestGap} ms, ${a.non2xx} non-2xx`);
      noteLoad(plan.name);
      const record = await send(targets.Stratum, user, q4);
      const wrong = record.status === 200 ? plan.check(record.body as Record<string, unknown>) : `Q4 answered ${record.status}`;
      if (wrong) throw new Error(`${plan.name}: after the change, ${wrong}`);
      const next = await tableShape(pool);
      changes.push({
        name: plan.name, what: plan.what, steps: planned.steps.map(({ kind, message, rows: n, locks }) => ({ kind, message, rows: n, locks })),
        dryRun: dry.window, apply: applied.window, purgeWait, shape: shapeDiff(shape, next),
      });
      shape = next;
    }
    await watch.close();

    // Back as the file says: one change (rename back, narrow back, drop externalId), then the trash purged.
    await purged(pool, log);
    log('Putting the order module back as its file defines it …');
    const back = { ...fileDef, 'x-migration': { renames: { total: 'amount' } } };
    t = performance.now();
    const dry = await admin.expect(200, 'PUT', '/api/modules/order?dryRun=true', back);
    const dryRunMs = performance.now() - t;
    t = performance.now();
    await admin.expect(200, 'PUT', `/api/modules/order?confirm=${dry.plan.token}`, back);
    const applyMs = performance.now() - t;
    t = performance.now();
    const trash = (await admin.expect(200, 'GET', '/api/modules/trash')).data as { id: number; module: string; field: string | null }[];
    for (const entry of trash.filter((e) => e.module === 'order' && e.field === EXTERNAL_ID)) {
      const refused = await admin.request('DELETE', `/api/modules/trash/${entry.id}`);
      await admin.expect(204, 'DELETE', `/api/modules/trash/${entry.id}?confirm=${refused.body.error.token}`);
    }
    const purgeMs = performance.now() - t;
    putBack = true;
    log(`Put back in ${((dryRunMs + applyMs + purgeMs) / 1000).toFixed(1)} s (dry run ${(dryRunMs / 1000).toFixed(1)}, apply ${(applyMs / 1000).toFixed(1)}, trash purged ${(purgeMs / 1000).toFixed(1)})`);
    await purged(pool, log);
    const after = await quietWindow('after');
    for (const child of children.splice(0).reverse()) await child.stop();

    // The module is the file's again (source and definition), and the table has its columns and keys.
    const reopened = await Stratum.open({ databaseUrl: dbs.stratumUrl, metadataDir: BENCH_METADATA_DIR, adminPassword: ADMIN_PASSWORD });
    await reopened.close();
    const shapeAfter = await tableShape(pool);
    const leftovers = shapeDiff(shapeBefore, shapeAfter);
    const restoredDef = await storedDefinition(pool);
    if (!restoredDef || canonical(restoredDef) !== canonical(fileDef)) leftovers.push('the stored definition of order differs from bench/metadata/bench/order.json');
    return {
      rows, user, q4Id, connections, before, after, setup: { addMs, fillMs }, changes,
      restore: { dryRunMs, applyMs, purgeMs, steps: (dry.plan.steps as { message: string }[]).map((s) => s.message) }, leftovers, loadAverages,
    };
  } catch (e) {
    const server = children.find((c) => c.name === 'Stratum');
    if (server) log(`Stratum's last output:\n${server.output().slice(-3000)}`);
    throw e;
  } finally {
    for (const child of children.reverse()) await child.stop();
    rmSync(metadata, { recursive: true, force: true });
    await pool.end();
    if (!putBack) log('The order module was not put back: generate the database again before the next run (the bench does, as its check fails)');
  }
}

/** Sends a definition through the dry run and applies it with its token. */
async function change(admin: Client, def: JsonSchema): Promise<void> {
  const dry = await admin.expect(200, 'PUT', '/api/modules/order?dryRun=true', def);
  await admin.expect(200, 'PUT', `/api/modules/order?confirm=${dry.plan.token}`, def);
}

/** `def` with the field `from` called `to`, in the same place, and the module's keywords following. */
function renamed(def: JsonSchema, from: string, to: string): JsonSchema {
  const props = Object.fromEntries(Object.entries(def.properties as Record<string, JsonSchema>).map(([k, v]) => [k === from ? to : k, v]));
  return renameOwnKeywords({ ...def, properties: props }, new Map([[from, to]]));
}

/** `def` with some keywords of one property changed (undefined removes one). */
function withProperty(def: JsonSchema, field: string, patch: Record<string, unknown>): JsonSchema {
  const props = { ...(def.properties as Record<string, JsonSchema>) };
  const next: Record<string, unknown> = { ...props[field], ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  props[field] = next as JsonSchema;
  return { ...def, properties: props };
}

/** Runs `request` under Q4's load, with the statements MariaDB runs meanwhile watched. */
async function underLoad(
  watch: StatementWatch, stratum: Child, base: string, spec: RequestSpec, q4: { path: string; headers: Record<string, string> }, connections: number,
  request: () => Promise<{ status: number; body: any }>,
): Promise<{ window: ChangeWindow; reply: { status: number; body: any } }> {
  const printed = stratum.output().length;
  let ms = 0;
  const { load, outcome } = await measureDuring(base, spec, q4.headers, q4.path, connections, async () => {
    watch.start();
    const t = performance.now();
    try {
      return await request();
    } finally {
      ms = performance.now() - t;
      await watch.stop();
    }
  });
  if (outcome.status === 'rejected') throw outcome.reason;
  const seen = watch.result();
  const messages = new Map<string, number>();
  for (const line of stratum.output().slice(printed).split('\n').map((l) => l.trim()).filter((l) => /^[A-Za-z]*Error\b/.test(l))) messages.set(line, (messages.get(line) ?? 0) + 1);
  const serverErrors = [...messages].slice(0, 5).map(([line, n]) => `${n} × ${line.slice(0, 200)}`);
  return { window: { ms, status: outcome.value.status, load, statements: seen.statements, lockWaits: seen.lockWaits, lockWaitMs: seen.lockWaitMs, serverErrors }, reply: outcome.value };
}

/**
 * Samples information_schema.PROCESSLIST of one database every 100 ms while started: the
 * statements that are not reads (the change's), and reads waiting for a metadata lock. Bound
 * statements (the engine's reads and batches) show as `Execute`, the DDL as `Query`.
 */
class StatementWatch {
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private started = 0;
  private seen = new Map<string, { sql: string; from: number; to: number; ms: number; samples: number; states: Set<string> }>();
  private lockWaits = 0;
  private lockWaitMs = 0;

  constructor(private readonly pool: Pool, private readonly database: string) {}

  start(): void {
    this.seen = new Map();
    this.lockWaits = 0;
    this.lockWaitMs = 0;
    this.started = performance.now();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, 100);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
  }

  result(): { statements: SeenStatement[]; lockWaits: number; lockWaitMs: number } {
    const statements = [...this.seen.values()].sort((a, b) => a.from - b.from)
      .map((s) => ({ sql: s.sql, from: Math.round(s.from / 100) / 10, to: Math.round(s.to / 100) / 10, ms: s.ms, samples: s.samples, states: [...s.states] }));
    return { statements, lockWaits: this.lockWaits, lockWaitMs: this.lockWaitMs };
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async sample(): Promise<void> {
    const at = performance.now() - this.started;
    const [rows] = await this.pool.query<RowDataPacket[]>(
      "SELECT ID AS id, TIME_MS AS ms, STATE AS state, LEFT(INFO, 300) AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND IN ('Query', 'Execute') AND ID <> CONNECTION_ID() AND INFO IS NOT NULL",
      [this.database],
    );
    let waiting = false;
    for (const r of rows) {
      const sql = String(r.info).replace(/\s+/g, ' ').trim();
      const state = String(r.state ?? '');
      if (isRead(sql)) {
        if (/metadata lock/i.test(state)) {
          waiting = true;
          this.lockWaitMs = Math.max(this.lockWaitMs, Math.round(Number(r.ms)));
        }
        continue;
      }
      if (/^SHOW /i.test(sql)) continue;
      // One line per statement text: the batches of a fill, on whichever connection, are one line.
      const key = sql.slice(0, 200);
      const s = this.seen.get(key) ?? { sql: sql.slice(0, 160), from: Math.max(0, at - Number(r.ms)), to: 0, ms: 0, samples: 0, states: new Set<string>() };
      s.ms = Math.max(s.ms, Math.round(Number(r.ms)));
      s.to = at;
      s.samples++;
      if (state) s.states.add(state);
      this.seen.set(key, s);
    }
    if (waiting) this.lockWaits++;
  }
}

/** The reads of Q4 and of each request's session check, as opposed to the change's statements. */
function isRead(sql: string): boolean {
  return /^SELECT /i.test(sql) && (/`t0`/.test(sql) || /_stratum_(sessions|state|modules)/.test(sql) || /`_identity`/.test(sql)) && !/ AS `v` FROM /.test(sql);
}

/** Waits (at most 2 minutes) until InnoDB has purged the row versions the last change left; the seconds waited. */
async function purged(pool: Pool, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  for (;;) {
    const [rows] = await pool.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_history_list_length'");
    const length = Number(rows[0]?.Value ?? 0);
    if (length < 5_000) break;
    if (Date.now() - started > 120_000) {
      log(`  (InnoDB's history list is still ${length} long after 2 minutes; going on)`);
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const waited = (Date.now() - started) / 1000;
  if (waited > 2) log(`  (waited ${waited.toFixed(0)} s for InnoDB to purge old row versions)`);
  return waited;
}

async function storedDefinition(pool: Pool): Promise<JsonSchema | undefined> {
  const [rows] = await pool.query<RowDataPacket[]>("SELECT definition FROM `_stratum_modules` WHERE name = 'order'");
  return rows[0] ? (JSON.parse(String(rows[0].definition)) as JsonSchema) : undefined;
}

/** The order table's columns (name, type, nullability) and keys (unique or not, columns), one line each. */
async function tableShape(pool: Pool): Promise<string[]> {
  const [columns] = await pool.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'order'",
  );
  const [keys] = await pool.query<RowDataPacket[]>(
    `SELECT NON_UNIQUE AS nonUnique, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'order' GROUP BY INDEX_NAME, NON_UNIQUE`,
  );
  const [fks] = await pool.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS ref FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'order' AND REFERENCED_TABLE_NAME IS NOT NULL",
  );
  return [
    ...columns.map((c) => `column ${c.name} ${c.type}${c.nullable === 'YES' ? ' NULL' : ' NOT NULL'}`),
    ...keys.map((k) => `${Number(k.nonUnique) === 0 ? 'unique key' : 'index'} (${k.cols})`),
    ...fks.map((f) => `foreign key ${f.col} → ${f.ref}`),
  ].sort();
}

/** What `after` has that `before` has not ("new: …") and the other way round ("gone: …"), duplicates counted. */
function shapeDiff(before: readonly string[], after: readonly string[]): string[] {
  const less = (a: readonly string[], b: readonly string[]) => {
    const rest = [...b];
    return a.filter((x) => {
      const i = rest.indexOf(x);
      if (i < 0) return true;
      rest.splice(i, 1);
      return false;
    });
  };
  return [...less(before, after).map((x) => `gone: ${x}`), ...less(after, before).map((x) => `new: ${x}`)];
}

// ---- the report ----

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const s1 = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);

export function renderSchemaChanges(r: SchemaChangesResult, info: { command: string; date: string; commit: string; machine: string }): string {
  const lines: string[] = [];
  const bf = r.before;
  lines.push(`# Changing a module that holds data: ${r.rows.toLocaleString('en-US')} orders`, '');
  lines.push(`Command: \`${info.command}\`, ${info.date}, commit \`${info.commit}\`. ${info.machine}`, '');
  lines.push(`Q4 is \`GET /api/data/order/${r.q4Id}\` as \`${r.user}\`, ${r.connections} connections (autocannon). F2 is the same read in hand-written SQL on Stratum's tables. Load averages (1, 5, 15 min): ${r.loadAverages.join('; ')}.`, '');
  lines.push('## Quiet windows', '');
  lines.push('| window | Stratum req/s | p50 | p99 | F2 req/s | p50 | p99 | S/F2 | p99 S/F2 |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const [label, w] of [['before', bf], ['after (module put back)', r.after]] as const) {
    lines.push(`| ${label} | ${f0(w.stratum.rps)} | ${w.stratum.p50} | ${w.stratum.p99} | ${f0(w.f2.rps)} | ${w.f2.p50} | ${w.f2.p99} | ${f2(w.stratum.rps / w.f2.rps)} | ${f2(w.stratum.p99 / w.f2.p99)} |`);
  }
  lines.push('', '## The changes, each under Q4', '');
  lines.push('| change | phase | wall s | Q4 req/s | p50 | p99 | max | longest without an answer | p99 / quiet p99 | req/s / F2 quiet | non-2xx |', '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const c of r.changes) {
    for (const [phase, w] of [['dry run', c.dryRun], ['apply', c.apply]] as const) {
      const l = w.load;
      lines.push(`| ${c.name} | ${phase} | ${s1(w.ms)} | ${f0(l.rps)} | ${f1(l.p50)} | ${f1(l.p99)} | ${f1(l.max)} | ${l.longestGap} ms at ${f1(l.longestGapAt / 1000)} s | ${f2(l.p99 / bf.stratum.p99)} | ${f2(l.rps / bf.f2.rps)} | ${l.non2xx}${l.errors + l.timeouts > 0 ? ` (+${l.errors} errors, ${l.timeouts} timeouts)` : ''} |`);
    }
  }
  lines.push('');
  lines.push(`Setup, not under load: adding \`externalId\` through the API took ${s1(r.setup.addMs)} s, filling it with one UPDATE ${s1(r.setup.fillMs)} s. Putting the module back (${r.restore.steps.join('; ')}), not under load: dry run ${s1(r.restore.dryRunMs)} s, apply ${s1(r.restore.applyMs)} s, trash purged in ${s1(r.restore.purgeMs)} s.`, '');
  lines.push(r.leftovers.length === 0 ? 'Afterwards the table has the same columns, keys and foreign keys as before, and the module is the file\'s again.' : `**Afterwards the table differs from before:** ${r.leftovers.join('; ')}.`, '');
  for (const c of r.changes) {
    lines.push(`### ${c.name}: ${c.what}`, '');
    lines.push(`Plan: ${c.steps.map((s) => `${s.kind} (${s.rows} rows, locks: ${s.locks}) — ${s.message}`).join('; ')}.${c.purgeWait > 2 ? ` Waited ${f0(c.purgeWait)} s before it for InnoDB's purge.` : ''}`, '');
    lines.push(`The table's columns and keys: ${c.shape.length > 0 ? c.shape.join('; ') : 'the same'}.`, '');
    for (const [phase, w] of [['Dry run', c.dryRun], ['Apply', c.apply]] as const) {
      const statuses = Object.entries(w.load.statuses).map(([k, v]) => `${v} × ${k}`).join(', ');
      lines.push(`${phase}: ${s1(w.ms)} s; Q4 answers ${statuses || 'none'}; reads waiting for the metadata lock in ${w.lockWaits} samples${w.lockWaits > 0 ? ` (up to ${w.lockWaitMs} ms)` : ''}.`);
      if (w.statements.length > 0) {
        lines.push('', '| from s | to s | samples | longest ms | statement | states |', '|--:|--:|--:|--:|---|---|');
        for (const s of w.statements) lines.push(`| ${f1(s.from)} | ${f1(s.to)} | ${s.samples} | ${s.ms} | \`${s.sql.replace(/\|/g, '\\|').replace(/`/g, '')}\` | ${s.states.join(', ')} |`);
      }
      if (w.serverErrors.length > 0) lines.push('', `Stratum printed: ${w.serverErrors.map((e) => `\`${e}\``).join('; ')}.`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

async function tuneBufferPool(serverUrl: string, log: (line: string) => void): Promise<void> {
  await withServer(serverUrl, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT @@innodb_buffer_pool_size AS size');
    if (Number(rows[0]!.size) >= 2 * 1024 ** 3) return;
    await conn.query(`SET GLOBAL innodb_buffer_pool_size = ${2 * 1024 ** 3}`);
    log('Raised innodb_buffer_pool_size to 2048 MiB for this server run, as the bench does (--no-tune to leave it)');
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows = intOption(args, 'rows', FULL_SIZES.orders);
  const full = rows === FULL_SIZES.orders;
  const sizes = sizesFromArgs({
    ...args, orders: String(rows),
    ...(full ? {} : { customers: args.customers ?? String(Math.max(200, Math.round(rows / 5))), salesmen: args.salesmen ?? '100' }),
  });
  const url = new URL(process.env.BENCH_DATABASE_URL ?? DEFAULT_STRATUM_URL);
  // A smaller dataset gets a database of its own: the bench's million rows stay.
  if (!full) url.pathname = `${url.pathname}_${rows}`;
  const dbs = benchDatabases(url.toString());
  const log = (line: string) => console.log(line);
  if (!args['no-tune']) await tuneBufferPool(dbs.serverUrl, log);
  if (!(await isGenerated(dbs.stratumUrl, sizes)) || !(await orderAsFiled(dbs.stratumUrl))) {
    log(`Generating ${rows} orders into ${dbs.stratumName} …`);
    await generate(dbs.stratumUrl, sizes, log);
  } else log(`Reusing ${dbs.stratumName} (${rows} orders)`);
  const started = new Date();
  // Read before the run: the tree Stratum starts from.
  const version = measuredCommit(ROOT);
  let result: SchemaChangesResult;
  try {
    result = await measureSchemaChanges({
      stratumUrl: dbs.stratumUrl, user: args.user ?? 'sales_0010', connections: intOption(args, 'connections', 10), quietSeconds: intOption(args, 'quiet', 10), log,
    });
  } catch (e) {
    await forgetGenerated(dbs.plainUrl);
    throw e;
  }
  if (result.leftovers.length > 0) await forgetGenerated(dbs.plainUrl);
  const mariadb = await withServer(dbs.serverUrl, async (conn) => String(((await conn.query<RowDataPacket[]>('SELECT VERSION() AS v'))[0])[0]!.v));
  const report = renderSchemaChanges(result, {
    command: `npx tsx bench/schema-changes.ts${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    date: `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    commit: version,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}, MariaDB ${mariadb}.`,
  });
  console.log(`\n${report}`);
  if (full) {
    const file = path.join(ROOT, 'bench', 'results', `${started.toISOString().slice(0, 10)}-schema-changes.md`);
    writeFileSync(file, report);
    log(`Written to ${path.relative(process.cwd(), file)}`);
  }
  if (result.leftovers.length > 0) {
    process.exitCode = 1;
    log(`The table was not put back as it was (${result.leftovers.join('; ')}); the next run generates the database again`);
  }
}

/** Whether the stored order module is the file's (an interrupted run leaves it changed). */
async function orderAsFiled(stratumUrl: string): Promise<boolean> {
  const pool = floorPool(stratumUrl, 1);
  try {
    const stored = await storedDefinition(pool);
    return !!stored && canonical(stored) === canonical(JSON.parse(readFileSync(ORDER_FILE, 'utf8')));
  } catch {
    return false;
  } finally {
    await pool.end();
  }
}

/** Marks the dataset incomplete, so that the bench and this script generate it again. */
async function forgetGenerated(plainUrl: string): Promise<void> {
  const pool = floorPool(plainUrl, 1);
  try {
    await pool.query("UPDATE bench_meta SET value = 'false' WHERE name = 'complete'");
  } catch {
    // no plain database: nothing to forget
  } finally {
    await pool.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
