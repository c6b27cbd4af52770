import { fileURLToPath } from 'node:url';
import type { Pool } from 'mysql2/promise';
import { Stratum } from '../core/stratum.js';
import { intOption, parseArgs } from './lib/args.js';
import { benchDatabases, DEFAULT_STRATUM_URL, floorPool, recreateDatabase } from './lib/databases.js';
import { FULL_SIZES, generateDataset, type Sizes } from './lib/dataset.js';
import { loadPlain } from './lib/plain-schema.js';
import { loadStratum } from './lib/load-stratum.js';
import { ADMIN_PASSWORD, BENCH_USERS } from './lib/users.js';

/** The bench modules (salesman, customer, order); department is built in. */
export const BENCH_METADATA_DIR = fileURLToPath(new URL('./metadata/', import.meta.url));

export interface GenerateResult {
  readonly sizes: Sizes;
  readonly adminId: number;
  readonly users: Record<string, number>;
  /** Seconds: dataset generation in memory, Stratum's load, the plain load. */
  readonly seconds: { readonly generate: number; readonly stratum: number; readonly plain: number };
}

/**
 * Generates the dataset for `sizes` and loads it into two fresh databases: Stratum's
 * (`stratumUrl`, installed with the bench modules) and F1's plain schema (`<name>_plain`).
 * Both are dropped first. Records the sizes in `bench_meta` of the plain database, so that
 * `isGenerated` can tell a complete load from a missing or interrupted one.
 */
export async function generate(stratumUrl: string, sizes: Sizes, log: (line: string) => void = console.log): Promise<GenerateResult> {
  const dbs = benchDatabases(stratumUrl);
  await recreateDatabase(dbs.serverUrl, dbs.stratumName);
  await recreateDatabase(dbs.serverUrl, dbs.plainName);

  let t = Date.now();
  const data = generateDataset(sizes);
  const generateSeconds = (Date.now() - t) / 1000;
  log(`Generated ${sizes.departments} departments, ${sizes.salesmen} salesmen, ${sizes.customers} customers, ${sizes.orders} orders (seed ${sizes.seed}) in ${generateSeconds.toFixed(1)} s`);

  t = Date.now();
  const stratum = await Stratum.open({ databaseUrl: dbs.stratumUrl, metadataDir: BENCH_METADATA_DIR, adminPassword: ADMIN_PASSWORD });
  let loaded: Awaited<ReturnType<typeof loadStratum>>;
  try {
    loaded = await loadStratum(stratum, data, log);
    await analyze(stratum, ['department', 'salesman', 'customer', 'order', 'user']);
  } finally {
    await stratum.close();
  }
  const stratumSeconds = (Date.now() - t) / 1000;
  log(`Loaded Stratum's tables (${dbs.stratumName}) in ${stratumSeconds.toFixed(1)} s`);

  t = Date.now();
  const pool = floorPool(dbs.plainUrl, 2);
  try {
    const departments = Object.fromEntries(BENCH_USERS.map((u) => [u.username, u.department]));
    await loadPlain(pool, data, { ...loaded, departments }, log);
    await pool.query('ANALYZE TABLE departments, users, salesmen, customers, orders');
    await writeMeta(pool, { sizes, users: loaded.users, adminId: loaded.adminId });
  } finally {
    await pool.end();
  }
  const plainSeconds = (Date.now() - t) / 1000;
  log(`Loaded the plain schema (${dbs.plainName}) in ${plainSeconds.toFixed(1)} s`);
  return { sizes, adminId: loaded.adminId, users: loaded.users, seconds: { generate: generateSeconds, stratum: stratumSeconds, plain: plainSeconds } };
}

async function analyze(stratum: Stratum, tables: string[]) {
  await stratum.db.sequelize.query(`ANALYZE TABLE ${tables.map((t) => stratum.db.quote(t)).join(', ')}`);
}

async function writeMeta(pool: Pool, meta: Record<string, unknown>) {
  for (const [name, value] of Object.entries({ ...meta, complete: true, loadedAt: new Date().toISOString() })) {
    await pool.query('REPLACE INTO bench_meta (name, value) VALUES (?, ?)', [name, JSON.stringify(value)]);
  }
}

/** Whether both databases hold a complete load of exactly these sizes and seed. */
export async function isGenerated(stratumUrl: string, sizes: Sizes): Promise<boolean> {
  const dbs = benchDatabases(stratumUrl);
  const pool = floorPool(dbs.plainUrl, 1);
  try {
    const [rows] = await pool.query('SELECT name, value FROM bench_meta');
    const meta = Object.fromEntries((rows as { name: string; value: string }[]).map((r) => [r.name, JSON.parse(r.value)]));
    if (meta.complete !== true || JSON.stringify(meta.sizes) !== JSON.stringify(sizes)) return false;
    const [orders] = await pool.query(`SELECT COUNT(*) AS n FROM \`${dbs.stratumName}\`.\`order\` WHERE id <= ?`, [sizes.orders]);
    return Number((orders as { n: number }[])[0]?.n) === sizes.orders;
  } catch {
    // No database, no table: not generated.
    return false;
  } finally {
    await pool.end();
  }
}

/** The sizes from `--orders --customers --salesmen --departments --seed`, the benchmark's own by default. */
export function sizesFromArgs(args: Record<string, string>): Sizes {
  return {
    orders: intOption(args, 'orders', FULL_SIZES.orders),
    customers: intOption(args, 'customers', FULL_SIZES.customers),
    salesmen: intOption(args, 'salesmen', FULL_SIZES.salesmen),
    departments: intOption(args, 'departments', FULL_SIZES.departments),
    seed: intOption(args, 'seed', FULL_SIZES.seed),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const sizes = sizesFromArgs(args);
  const url = args.database ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_STRATUM_URL;
  const result = await generate(url, sizes);
  const total = result.seconds.generate + result.seconds.stratum + result.seconds.plain;
  console.log(`Done in ${total.toFixed(1)} s (generate ${result.seconds.generate.toFixed(1)} s, Stratum ${result.seconds.stratum.toFixed(1)} s, plain ${result.seconds.plain.toFixed(1)} s)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exit(1);
  });
}
