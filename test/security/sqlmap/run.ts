/**
 * `npm run security`: sqlmap against a running Stratum, on SQLite and (when one answers) on
 * MariaDB. Every target of targets.ts is attacked in batch mode at level 2, risk 1; any injection
 * point, identified back-end or database error text fails the run (exit 1), and so does a target
 * sqlmap could not finish, since a check that did not run proves nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verdictOf, type Verdict } from './findings.js';
import { adminCookie, reachableMariadb, startStratum, type Dialect, type StratumServer } from './stratum-server.js';
import { TARGETS, type Target } from './targets.js';

/** One sqlmap run may take this long; past it, it is stopped and counts as inconclusive. */
const TARGET_TIMEOUT_MS = 150_000;

const log = (line: string) => console.log(`[security] ${line}`);

function hasSqlmap(): boolean {
  return spawnSync('sh', ['-c', 'command -v sqlmap'], { stdio: 'ignore' }).status === 0;
}

/** Debian's sqlmap, installed when missing (the package index is refreshed only if the first try fails). */
function ensureSqlmap(): void {
  if (hasSqlmap()) return;
  log("sqlmap is not installed: installing Debian's package (apt-get install -y sqlmap)");
  const apt = (...args: string[]) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!apt('install', '-y', 'sqlmap')) apt('update') && apt('install', '-y', 'sqlmap');
  if (!hasSqlmap()) throw new Error('could not install sqlmap (apt-get install -y sqlmap failed); install it and run again');
}

function sqlmapArgs(server: StratumServer, target: Target, cookie: string, outputDir: string): string[] {
  const args = [
    '-u', `${server.baseUrl}${target.path}`,
    '--batch', '--level=2', '--risk=1',
    // No time-based blind (T): each of its payloads waits, and B, E, U and S cover the same places.
    '--technique=BEUS', '--time-sec=1', '--timeout=10', '--retries=1', '--threads=2',
    '--output-dir', outputDir, '--disable-coloring',
  ];
  if (target.params.length > 0) args.push('-p', target.params.join(','));
  if (target.body) args.push('--data', JSON.stringify(target.body));
  // A refused login (401) and a throttled one (429) are answers, not reasons for sqlmap to stop.
  // Each payload comes from another address (X-Forwarded-For, trusted from 127.0.0.1), so that
  // the per-address throttle does not answer 429 to most of them before the username is looked up.
  if (target.anonymous) args.push('--ignore-code=401,429', '--tamper=xforwardedfor');
  else args.push('--cookie', cookie);
  return args;
}

/** sqlmap's `log` files under its output folder: it writes each confirmed injection point there. */
async function logsIn(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const logs = entries.filter((e) => e.isFile() && e.name === 'log').map((e) => path.join(e.parentPath, e.name));
  return (await Promise.all(logs.map((file) => readFile(file, 'utf8')))).join('\n');
}

async function attack(server: StratumServer, target: Target, cookie: string): Promise<{ verdict: Verdict; seconds: number }> {
  const started = Date.now();
  const outputDir = await mkdtemp(path.join(tmpdir(), 'stratum-sqlmap-out-'));
  try {
    const child = spawn('sqlmap', sqlmapArgs(server, target, cookie, outputDir), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TARGET_TIMEOUT_MS);
    await new Promise<void>((resolve) => child.once('close', () => resolve()));
    clearTimeout(timer);
    const verdict = verdictOf(output, await logsIn(outputDir));
    const seconds = (Date.now() - started) / 1000;
    if (timedOut && verdict.kind !== 'finding') return { verdict: { kind: 'inconclusive', reason: `stopped after ${TARGET_TIMEOUT_MS / 1000} s` }, seconds };
    return { verdict, seconds };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

/** Attacks every target on one dialect; true when all came back clean. */
async function runOn(dialect: Dialect, mariadb?: Awaited<ReturnType<typeof reachableMariadb>>): Promise<boolean> {
  const started = Date.now();
  log(`${dialect}: starting Stratum with the demo CRM on a fresh database`);
  const server = await startStratum(dialect, mariadb);
  let clean = true;
  try {
    // Before the login target: its failed attempts may get the login throttled, never this session.
    const cookie = await adminCookie(server);
    for (const target of TARGETS) {
      const { verdict, seconds } = await attack(server, target, cookie);
      const params = target.params.length > 0 ? target.params.join(', ') : 'the * mark';
      if (verdict.kind === 'clean') log(`${dialect} ${target.name} (${params}): clean, ${seconds.toFixed(0)} s`);
      else {
        clean = false;
        log(`${dialect} ${target.name} (${params}): ${verdict.kind.toUpperCase()}, ${seconds.toFixed(0)} s`);
        for (const line of verdict.kind === 'finding' ? verdict.lines : [verdict.reason]) log(`    ${line}`);
      }
    }
  } finally {
    await server.stop();
  }
  log(`${dialect}: ${clean ? 'no finding' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return clean;
}

async function main(): Promise<number> {
  const started = Date.now();
  ensureSqlmap();
  let clean = await runOn('sqlite');
  const mariadb = await reachableMariadb();
  if (mariadb) clean = (await runOn('mariadb', mariadb)) && clean;
  else log('no MariaDB answers at STRATUM_TEST_MYSQL_URL or 127.0.0.1:3306: SQLite only');
  log(`${clean ? 'passed: sqlmap found nothing' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return clean ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[security] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
