/**
 * Concurrent writers: how many creates per second Stratum takes, and how long each waits, as the
 * number of writers grows, on SQLite (one writer at a time: core/db/write-queue.ts) and on MariaDB
 * (row locks). Stratum runs as its own process (`core/server.ts`, `DEMO=0`, no metadata files, no
 * migration files), once on a fresh SQLite file in a temporary DATA_DIR and once on a fresh
 * MariaDB database (`stratum_writes_<random>`, dropped afterwards). Admin defines one module
 * through the API, `note` (a title and an amount), and makes an API token for the load.
 *
 * For each number of connections (1, 10, 50, 200 by default), autocannon sends creates
 * (`POST /api/data/note`, a new title on every request) for a fixed window; then PATCHes of a
 * single note without If-Match (10 and 200 connections). Every answer that is not 2xx is counted
 * by status and error code (503 `busy`, the answer to a lock conflict, separately); there should
 * be none. After each window the script waits until the table stops changing (the writes that
 * were in flight when it ended land) and checks that the rows created (or the versions the note
 * went through) match the 2xx answers, give or take those in flight.
 *
 * During the windows with the most connections, another user (read permission on `note`, logged
 * in with a cookie) reads one note every 250 ms; its worst latency shows whether the server keeps
 * answering other requests while the writers queue.
 *
 *   npx tsx bench/concurrent-writes.ts [--duration 10] [--connections 1,10,50,200] [--patch-connections 10,200] [--dialects sqlite,mariadb] [--quick]
 *
 * `--quick`: 1 and 20 connections, 2-second windows (bench/smoke.ts runs it). MariaDB must answer
 * at 127.0.0.1:3306 as root without a password, or on the server of BENCH_DATABASE_URL (its user
 * creates and drops the database). The full run (the default windows) writes its report to
 * bench/results/<date>-concurrent-writes.md; other runs only print it. The exit code is 1 if any
 * answer was not 2xx, a connection failed, or the writes do not match their answers.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { RowDataPacket } from 'mysql2/promise';
import { parseArgs } from './lib/args.js';
import { measuredCommit } from './lib/commit.js';
import { freePort, startChild, type Child } from './lib/children.js';
import { Client, httpFetcher } from './lib/client.js';
import { DEFAULT_STRATUM_URL, dropDatabase, recreateDatabase, withServer } from './lib/databases.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ADMIN_PASSWORD = 'concurrent-writes-admin';
const PROBE_USER = 'probe';
const PROBE_PASSWORD = 'concurrent-writes-probe';

export type WriteDialect = 'sqlite' | 'mariadb';
export const DIALECT_NAMES: Record<WriteDialect, string> = { sqlite: 'SQLite', mariadb: 'MariaDB' };

export interface ConcurrentWritesOptions {
  readonly dialects?: readonly WriteDialect[];
  /** Connections of each creates window. */
  readonly connections?: readonly number[];
  /** Connections of each window of PATCHes of one record. */
  readonly patchConnections?: readonly number[];
  /** Seconds of each measured window. */
  readonly seconds?: number;
  /** Seconds of creates (10 connections) after the start, not counted. */
  readonly warmupSeconds?: number;
  /** Milliseconds between two probe reads, in the windows with the most connections. */
  readonly probeEveryMs?: number;
  /** A MariaDB server URL whose user may create and drop databases. */
  readonly serverUrl?: string;
  readonly log?: (line: string) => void;
}

/** The full run's windows. */
const FULL_CONNECTIONS = [1, 10, 50, 200] as const;
const FULL_PATCH_CONNECTIONS = [10, 200] as const;

/** `--quick`, which bench/smoke.ts runs: 1 and 20 connections, 2-second windows. */
export const QUICK_WRITES = { connections: [1, 20], patchConnections: [20], seconds: 2 } as const satisfies ConcurrentWritesOptions;

/** The other caller's reads during a window: one every `probeEveryMs`, each timed on its own. */
export interface ProbeResult {
  readonly sent: number;
  readonly p50: number;
  readonly max: number;
  /** Seconds from the start of the window to the start of the slowest probe. */
  readonly maxAt: number;
  /** Answers other than 200, by status (`error` when no answer came). */
  readonly failures: Readonly<Record<string, number>>;
}

export interface WriteWindow {
  readonly kind: 'create' | 'patch';
  readonly connections: number;
  /** Seconds the window lasted. */
  readonly seconds: number;
  /** Answers that came back within it. */
  readonly answered: number;
  readonly rps: number;
  /** Latency of those answers, in ms. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Every answer by status, a non-2xx with its error code (`503 busy`). */
  readonly statuses: Readonly<Record<string, number>>;
  readonly non2xx: number;
  /** 503 answers (a lock conflict or a turn that did not come): part of non2xx. */
  readonly busy: number;
  /** Connection errors and client timeouts (60 s). */
  readonly errors: number;
  readonly timeouts: number;
  /** The longest time, in ms, in which no connection got an answer. */
  readonly longestGap: number;
  /** Milliseconds after the window until the table stopped changing (the writes in flight landing). */
  readonly settleMs: number;
  /** Rows created (creates) or versions the note went through (PATCHes), counted once settled. */
  readonly written: number;
  /** What is wrong with `written` against the 2xx answers, if anything. */
  readonly mismatch?: string;
  readonly probe?: ProbeResult;
  /** The 1-minute load average after the window. */
  readonly load1: number;
}

export interface DialectWrites {
  readonly dialect: WriteDialect;
  readonly version: string;
  readonly windows: readonly WriteWindow[];
  /** The errors Stratum printed, each with how often and the top of its stack. */
  readonly serverErrors: readonly string[];
}

export interface ConcurrentWritesResult {
  readonly seconds: number;
  readonly dialects: readonly DialectWrites[];
  /** The machine's load averages (1, 5, 15 min) before the run and after each dialect. */
  readonly loadAverages: readonly string[];
  /** Every non-2xx answer, connection error and timeout, in all windows. */
  readonly non2xx: number;
  readonly errors: number;
  /** Windows whose rows or versions do not match their 2xx answers. */
  readonly mismatches: readonly string[];
}

/** Runs the windows on each dialect, one after the other, each with a Stratum of its own. */
export async function measureConcurrentWrites(opts: ConcurrentWritesOptions = {}): Promise<ConcurrentWritesResult> {
  const log = opts.log ?? (() => undefined);
  const loadAverages = [`before: ${loadAverage()}`];
  const dialects: DialectWrites[] = [];
  for (const dialect of opts.dialects ?? ['sqlite', 'mariadb']) {
    dialects.push(await measureDialect(dialect, opts, log));
    loadAverages.push(`after ${DIALECT_NAMES[dialect]}: ${loadAverage()}`);
  }
  const windows = dialects.flatMap((d) => d.windows.map((w) => ({ d, w })));
  return {
    seconds: opts.seconds ?? 10,
    dialects,
    loadAverages,
    non2xx: windows.reduce((n, { w }) => n + w.non2xx + (w.probe ? Object.values(w.probe.failures).reduce((a, b) => a + b, 0) : 0), 0),
    errors: windows.reduce((n, { w }) => n + w.errors + w.timeouts, 0),
    mismatches: windows.filter(({ w }) => w.mismatch).map(({ d, w }) => `${DIALECT_NAMES[d.dialect]} ${w.kind} × ${w.connections}: ${w.mismatch}`),
  };
}

async function measureDialect(dialect: WriteDialect, opts: ConcurrentWritesOptions, log: (line: string) => void): Promise<DialectWrites> {
  const seconds = opts.seconds ?? 10;
  const connections = opts.connections ?? FULL_CONNECTIONS;
  const patchConnections = opts.patchConnections ?? FULL_PATCH_CONNECTIONS;
  const probeAt = Math.max(...connections, ...patchConnections);
  const warmup = opts.warmupSeconds ?? Math.min(2, seconds / 4);
  // The bench's MariaDB server (BENCH_DATABASE_URL names a database on it), in a database of its own.
  const serverUrl = new URL(opts.serverUrl ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_STRATUM_URL);
  serverUrl.pathname = '/';
  const name = DIALECT_NAMES[dialect];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stratum-concurrent-writes-'));
  const metadataDir = path.join(dataDir, 'metadata');
  const database = `stratum_writes_${randomBytes(4).toString('hex')}`;
  let server: Child | undefined;
  try {
    let databaseUrl = `sqlite:${path.join(dataDir, 'stratum.sqlite')}`;
    if (dialect === 'mariadb') {
      await recreateDatabase(serverUrl.toString(), database);
      const url = new URL(serverUrl.toString());
      url.pathname = `/${database}`;
      databaseUrl = url.toString();
    }
    mkdirSync(metadataDir);
    const port = await freePort();
    log(`${name}: starting Stratum …`);
    server = await startChild({
      name: `Stratum (${name})`, script: 'core/server.ts', cwd: ROOT, port, ready: /listening on/, timeoutMs: 120_000,
      env: {
        DATABASE_URL: databaseUrl, DATA_DIR: dataDir, METADATA_DIR: metadataDir, MIGRATIONS_DIR: '', MODULES_DIR: '', DEMO: '0',
        PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD,
      },
    });
    const base = `http://127.0.0.1:${port}`;
    const admin = await new Client(httpFetcher(base)).login('admin', ADMIN_PASSWORD);
    await admin.expect(201, 'POST', '/api/modules', {
      $id: 'note', title: 'Note', type: 'object',
      properties: { title: { type: 'string', maxLength: 100, title: 'Title' }, amount: { type: 'number', title: 'Amount' } },
      required: ['title'],
    });
    const { token } = await admin.expect<{ token: string }>(201, 'POST', '/api/auth/tokens', { name: 'concurrent writes' });
    const role = await admin.expect<{ id: number }>(201, 'POST', '/api/data/role', { name: 'note_reader' });
    await admin.expect(201, 'POST', '/api/data/permission', { role: role.id, module: 'note', actions: ['read'] });
    await admin.expect(201, 'POST', '/api/data/user', { username: PROBE_USER, password: PROBE_PASSWORD, name: 'Probe', roles: [role.id] });
    const prober = await new Client(httpFetcher(base)).login(PROBE_USER, PROBE_PASSWORD);
    const target = await admin.expect<{ id: number }>(201, 'POST', '/api/data/note', { title: 'the note everybody patches', amount: 0 });
    // The load goes as admin with the API token; the probe is another user, with a session.
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const version = async () => (await admin.expect<{ version: number }>(200, 'GET', `/api/data/note/${target.id}`)).version;
    const total = async () => (await admin.expect<{ meta: { total: number } }>(200, 'GET', '/api/data/note?pageSize=1&fields=id')).meta.total;
    const probe = (): Promise<{ ms: number; status: string }> => timed(() => prober.request('GET', `/api/data/note/${target.id}`));
    const run = `${Date.now().toString(36)}`;
    let n = 0;
    const creates: Spec = { method: 'POST', path: '/api/data/note', body: () => ({ title: `note ${run}-${++n}`, amount: n % 1000 }) };
    const patches: Spec = { method: 'PATCH', path: `/api/data/note/${target.id}`, body: () => ({ title: `patched ${run}-${++n}`, amount: n % 1000 }) };

    if (warmup > 0) await load(base, creates, headers, 10, warmup);
    await settled(total);
    const windows: WriteWindow[] = [];
    const printedBefore = server.output().length;
    for (const [kind, list] of [['create', connections], ['patch', patchConnections]] as const) {
      for (const c of list) {
        const count = kind === 'create' ? total : version;
        const before = await count();
        const w = await load(base, kind === 'create' ? creates : patches, headers, c, seconds, c === probeAt ? { everyMs: opts.probeEveryMs ?? 250, read: probe } : undefined);
        const settle = await settled(count);
        const written = settle.value - before;
        const ok = Object.entries(w.statuses).filter(([s]) => s.startsWith('2')).reduce((a, [, k]) => a + k, 0);
        // Requests in flight when the window ended (at most one per connection) land without an answer counted.
        const mismatch = written < ok || written > ok + c ? `${written} ${kind === 'create' ? 'rows created' : 'versions'} for ${ok} 2xx answers (${c} connections)` : undefined;
        const window: WriteWindow = { kind, connections: c, ...w, settleMs: settle.ms, written, ...(mismatch ? { mismatch } : {}), load1: os.loadavg()[0]! };
        windows.push(window);
        log(`${name} ${kind === 'create' ? 'creates' : 'PATCHes'} × ${String(c).padStart(3)}: ${fmt(window.rps, 0).padStart(6)}/s  p50 ${fmt(window.p50)}  p99 ${fmt(window.p99)}  max ${fmt(window.max)} ms  `
          + `${window.non2xx} non-2xx${window.errors + window.timeouts > 0 ? `, ${window.errors} errors, ${window.timeouts} timeouts` : ''}`
          + `${window.probe ? `; probe max ${fmt(window.probe.max)} ms (${window.probe.sent})` : ''}; settled in ${settle.ms} ms${mismatch ? `; !! ${mismatch}` : ''}`);
      }
    }
    const serverErrors = printedErrors(server.output().slice(printedBefore));
    const dbVersion = dialect === 'mariadb'
      ? await withServer(serverUrl.toString(), async (conn) => `MariaDB ${String(((await conn.query<RowDataPacket[]>('SELECT VERSION() AS v'))[0])[0]!.v)}`)
      : `SQLite ${await sqliteVersion()}`;
    return { dialect, version: dbVersion, windows, serverErrors };
  } catch (e) {
    if (server) log(`Stratum's last output (${name}):\n${server.output().slice(-3000)}`);
    throw e;
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (dialect === 'mariadb') await dropDatabase(serverUrl.toString(), database);
  }
}

/**
 * The errors a server printed (`console.error` of an error: its first line, then `at …` lines),
 * grouped by first line: how often, and the first one's top of stack.
 */
function printedErrors(output: string): string[] {
  const lines = output.split('\n');
  const seen = new Map<string, { count: number; stack: string[] }>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!/^[A-Za-z]*Error\b/.test(line)) continue;
    const stack: string[] = [];
    for (let j = i + 1; j < lines.length && stack.length < 4 && /^\s*at /.test(lines[j]!); j++) stack.push(lines[j]!.trim().replace(/\s*\{$/, ''));
    const entry = seen.get(line) ?? { count: 0, stack };
    entry.count++;
    seen.set(line, entry);
  }
  return [...seen].slice(0, 10).map(([line, e]) => `${e.count} × ${line.slice(0, 300)}${e.stack.length > 0 ? ` (${e.stack.join(' ← ')})` : ''}`);
}

interface Spec {
  readonly method: 'POST' | 'PATCH';
  readonly path: string;
  readonly body: () => unknown;
}

type Measured = Omit<WriteWindow, 'kind' | 'connections' | 'settleMs' | 'written' | 'mismatch' | 'load1'>;

/**
 * autocannon for `seconds`, every request with a new body; latencies and statuses are taken from
 * each answer (the body of a non-2xx for its error code). With `probe`, another caller reads
 * every `everyMs` meanwhile; the window waits for the last probe's answer.
 */
async function load(
  base: string, spec: Spec, headers: Record<string, string>, connections: number, seconds: number,
  probe?: { everyMs: number; read: () => Promise<{ ms: number; status: string }> },
): Promise<Measured> {
  const url = new URL(base);
  if (url.hostname !== '127.0.0.1') throw new Error(`The benchmark only loads 127.0.0.1, not ${url.hostname}`);
  const latencies: number[] = [];
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const probes: Promise<{ at: number; ms: number; status: string }>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let finished: (r: autocannon.Result) => void = () => undefined;
  let failed: (e: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const start = performance.now();
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    // Longer than the write queue's 30 s: a write that waits too long is answered 503, not cut off here.
    timeout: 60,
    requests: [{
      method: spec.method,
      path: spec.path,
      headers,
      setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify(spec.body()) }),
      onResponse: (status: number, body: string) => {
        let key = String(status);
        if (status < 200 || status > 299) {
          try {
            const code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
            if (code) key = `${status} ${code}`;
          } catch {
            // not JSON: the status alone
          }
        }
        statuses[key] = (statuses[key] ?? 0) + 1;
      },
    }],
  } as autocannon.Options, (err, result) => (err ? failed(err) : finished(result)));
  instance.on('response', (_client, _status, _bytes, ms) => {
    latencies.push(ms);
    times.push(performance.now());
  });
  if (probe) {
    timer = setInterval(() => {
      const at = performance.now();
      probes.push(probe.read().then((r) => ({ ...r, at: (at - start) / 1000 })));
    }, probe.everyMs);
  }
  const r = await done;
  const end = performance.now();
  clearInterval(timer);
  const probed = await Promise.all(probes);
  const sorted = [...latencies].sort((a, b) => a - b);
  let longestGap = 0;
  let last = start;
  for (const t of [...times, end]) {
    longestGap = Math.max(longestGap, t - last);
    last = t;
  }
  const non2xx = Object.entries(statuses).filter(([s]) => !s.startsWith('2')).reduce((a, [, k]) => a + k, 0);
  const busy = Object.entries(statuses).filter(([s]) => s.startsWith('503')).reduce((a, [, k]) => a + k, 0);
  const secondsTaken = (end - start) / 1000;
  let probeResult: ProbeResult | undefined;
  if (probe) {
    const ms = probed.map((p) => p.ms).sort((a, b) => a - b);
    const worst = probed.reduce((w, p) => (p.ms > w.ms ? p : w), probed[0] ?? { at: 0, ms: Number.NaN, status: '200' });
    const failures: Record<string, number> = {};
    for (const p of probed.filter((x) => x.status !== '200')) failures[p.status] = (failures[p.status] ?? 0) + 1;
    probeResult = { sent: probed.length, p50: round(percentile(ms, 50)), max: round(worst.ms), maxAt: round(worst.at), failures };
  }
  return {
    seconds: secondsTaken,
    answered: latencies.length,
    rps: latencies.length / secondsTaken,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    statuses,
    non2xx,
    busy,
    errors: r.errors - r.timeouts,
    timeouts: r.timeouts,
    longestGap: Math.round(longestGap),
    ...(probeResult ? { probe: probeResult } : {}),
  };
}

/** One request, timed; a failure to answer at all is status `error`. */
async function timed(request: () => Promise<{ status: number; body: any }>): Promise<{ ms: number; status: string }> {
  const t = performance.now();
  try {
    const r = await request();
    return { ms: performance.now() - t, status: r.status === 200 ? '200' : `${r.status}${r.body?.error?.code ? ` ${r.body.error.code}` : ''}` };
  } catch {
    return { ms: performance.now() - t, status: 'error' };
  }
}

/** Polls `count` every 100 ms until three readings in a row agree (at most 60 s): the value, and how long it took. */
async function settled(count: () => Promise<number>): Promise<{ value: number; ms: number }> {
  const t = performance.now();
  let value = await count();
  let same = 0;
  while (same < 2 && performance.now() - t < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await count();
    same = next === value ? same + 1 : 0;
    value = next;
  }
  // The readings that only confirmed it do not count.
  return { value, ms: Math.max(0, Math.round(performance.now() - t - 200)) };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number) => Math.round(x * 10) / 10;

function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

async function sqliteVersion(): Promise<string> {
  const sqlite3 = (await import('sqlite3')).default as unknown as { VERSION: string };
  return sqlite3.VERSION;
}

/** The non-2xx answers of a window, as `3 × 503 busy`; `0` when none. */
function non2xxText(w: WriteWindow): string {
  const parts = Object.entries(w.statuses).filter(([s]) => !s.startsWith('2')).map(([s, k]) => `${k} × ${s}`);
  if (w.errors > 0) parts.push(`${w.errors} connection errors`);
  if (w.timeouts > 0) parts.push(`${w.timeouts} timeouts`);
  return parts.length > 0 ? parts.join(', ') : '0';
}

export interface ReportMeta {
  readonly command: string;
  readonly date: string;
  readonly commit: string;
  readonly machine: string;
}

/** The markdown report: creates and PATCHes with the dialects side by side, the probe, the checks. */
export function renderConcurrentWrites(r: ConcurrentWritesResult, meta: ReportMeta): string {
  const lines: string[] = [];
  lines.push(`# Concurrent writers (${meta.date})`, '');
  lines.push(`Command: \`${meta.command}\` on commit \`${meta.commit}\`. ${meta.machine}`, '');
  lines.push(`Load average (1, 5, 15 min): ${r.loadAverages.join('; ')}.`, '');
  lines.push(
    `Stratum (\`core/server.ts\`, its own process, \`DEMO=0\`, the audit history on) on a fresh database each; admin defines \`note\` (a title, an amount) `
      + `through the API; autocannon sends creates (\`POST /api/data/note\`, a new title each) as admin with an API token, ${r.seconds} s per window, no pipelining. `
      + 'Latencies in ms; "÷ best" is the rate over the best rate of the same database; "non-2xx" lists every other answer by status and error code (503 `busy` is a lock conflict or a turn in the write queue that did not come).',
    '',
  );
  const side = (kind: WriteWindow['kind']) => {
    const all = r.dialects.map((d) => d.windows.filter((w) => w.kind === kind));
    const counts = [...new Set(all.flat().map((w) => w.connections))].sort((a, b) => a - b);
    const head = ['connections', ...r.dialects.flatMap((d) => [`${DIALECT_NAMES[d.dialect]} ${kind === 'create' ? 'creates' : 'PATCHes'}/s`, '÷ best', 'p50', 'p99', 'max', 'non-2xx'])];
    lines.push(`| ${head.join(' | ')} |`, `|--:|${r.dialects.map(() => '--:|--:|--:|--:|--:|---|').join('')}`);
    for (const c of counts) {
      const cells = all.flatMap((windows) => {
        const w = windows.find((x) => x.connections === c);
        const best = Math.max(...windows.map((x) => x.rps));
        return w ? [fmt(w.rps, 0), fmt(w.rps / best, 2), fmt(w.p50), fmt(w.p99), fmt(w.max), non2xxText(w)] : ['', '', '', '', '', ''];
      });
      lines.push(`| ${c} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  };
  lines.push('## Creates', '');
  side('create');
  lines.push('## PATCHes of one record, without If-Match', '');
  side('patch');
  lines.push('## Another caller meanwhile', '');
  lines.push('A user with read permission on `note` (a session cookie) reads the patched note every 250 ms during the windows with the most connections; each read is timed on its own.', '');
  lines.push('| database | window | reads | p50 | max | max at s | not 200 |', '|---|---|--:|--:|--:|--:|---|');
  for (const d of r.dialects) {
    for (const w of d.windows.filter((x) => x.probe)) {
      const p = w.probe!;
      const failed = Object.entries(p.failures).map(([s, k]) => `${k} × ${s}`).join(', ') || '0';
      lines.push(`| ${DIALECT_NAMES[d.dialect]} | ${w.kind === 'create' ? 'creates' : 'PATCHes'} × ${w.connections} | ${p.sent} | ${fmt(p.p50)} | ${fmt(p.max)} | ${fmt(p.maxAt)} | ${failed} |`);
    }
  }
  lines.push('');
  lines.push('## Every window', '');
  lines.push(
    '"no answer" is the longest time in which none of the connections got an answer; "settled" is how long after the window the table kept changing '
      + '(the writes in flight landing); "written" is the rows created, or the versions the note went through, counted once settled.',
    '',
  );
  lines.push('| database | window | s | answers | statuses | errors | no answer ms | settled ms | written | load 1 min |', '|---|---|--:|--:|---|--:|--:|--:|--:|--:|');
  for (const d of r.dialects) {
    for (const w of d.windows) {
      const statuses = Object.entries(w.statuses).map(([s, k]) => `${k} × ${s}`).join(', ');
      lines.push(`| ${DIALECT_NAMES[d.dialect]} | ${w.kind === 'create' ? 'creates' : 'PATCHes'} × ${w.connections} | ${fmt(w.seconds)} | ${w.answered} | ${statuses} | ${w.errors + w.timeouts} | ${w.longestGap} | ${w.settleMs} | ${w.written}${w.mismatch ? ` (!! ${w.mismatch})` : ''} | ${w.load1.toFixed(2)} |`);
    }
  }
  lines.push('');
  lines.push(`Databases: ${r.dialects.map((d) => d.version).join(', ')}.`, '');
  for (const d of r.dialects) {
    if (d.serverErrors.length > 0) lines.push(`Stratum on ${DIALECT_NAMES[d.dialect]} printed: ${d.serverErrors.map((e) => `\`${e}\``).join('; ')}.`, '');
  }
  if (r.mismatches.length > 0) lines.push(`**Writes that do not match their answers:** ${r.mismatches.join('; ')}.`, '');
  return lines.join('\n');
}

function listOption(args: Record<string, string>, name: string, fallback: readonly number[]): number[] {
  const raw = args[name];
  if (raw === undefined) return [...fallback];
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((x) => !Number.isSafeInteger(x) || x < 1)) throw new Error(`--${name} is a list of whole numbers, like 1,10,50 (got ${raw})`);
  return list;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const quick = args.quick === 'true';
  const seconds = args.duration !== undefined ? Number(args.duration) : quick ? QUICK_WRITES.seconds : 10;
  if (!(seconds > 0)) throw new Error(`--duration must be a number of seconds (got ${args.duration})`);
  const dialects = (args.dialects ?? 'sqlite,mariadb').split(',').map((s) => s.trim());
  for (const d of dialects) if (d !== 'sqlite' && d !== 'mariadb') throw new Error(`--dialects: sqlite, mariadb (got ${d})`);
  const started = new Date();
  const version = measuredCommit(ROOT);
  const log = (line: string) => console.log(line);
  const connections = listOption(args, 'connections', quick ? QUICK_WRITES.connections : FULL_CONNECTIONS);
  const patchConnections = listOption(args, 'patch-connections', quick ? QUICK_WRITES.patchConnections : FULL_PATCH_CONNECTIONS);
  const result = await measureConcurrentWrites({ dialects: dialects as WriteDialect[], connections, patchConnections, seconds, log });
  const cpus = os.cpus();
  const report = renderConcurrentWrites(result, {
    command: `npx tsx bench/concurrent-writes.ts${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    date: `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    commit: version,
    machine: `${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 1024 ** 3)} GiB, Node ${process.version}; autocannon runs in the same machine.`,
  });
  console.log(`\n${report}`);
  // Only the full run (the default windows) is a result to keep; the others are printed.
  const full = !quick && seconds === 10 && dialects.length === 2 && `${connections}` === `${FULL_CONNECTIONS}` && `${patchConnections}` === `${FULL_PATCH_CONNECTIONS}`;
  if (full) {
    const file = path.join(ROOT, 'bench', 'results', `${started.toISOString().slice(0, 10)}-concurrent-writes.md`);
    writeFileSync(file, report);
    log(`Written to ${path.relative(process.cwd(), file)}`);
  }
  if (result.non2xx + result.errors > 0 || result.mismatches.length > 0) {
    process.exitCode = 1;
    log(`!! ${result.non2xx} non-2xx answers, ${result.errors} errors or timeouts${result.mismatches.length > 0 ? `, ${result.mismatches.join('; ')}` : ''}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
