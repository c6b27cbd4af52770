/**
 * The million-row benchmark's Q3 with and without the trigram search index (core/search), on MariaDB:
 *
 *   npx tsx bench/search-index.ts [--q artman] [--creates 400]
 *
 * 1. Copies `customer` of the loaded bench database (`stratum_bench`, read only) into the scratch
 *    database `stratum_trgm_scratch`, builds its postings with the engine's TrigramPostings.rebuild
 *    (what afterBulkLoad does), and runs the page and the total of admin's
 *    `GET /api/data/customer?q=<q>&page=1&pageSize=25` as the engine compiles them (parseList +
 *    QueryCompiler), with and without the keyword: median of 15 runs each, with EXPLAIN.
 * 2. Creates customers through the engine (createRecord as admin, no plugins) on two fresh
 *    scratch databases, with and without the keyword: the median create.
 * Scratch databases other than stratum_trgm_scratch are dropped afterwards.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { connect } from '../core/db/connect.js';
import { Database } from '../core/db/database.js';
import { EngineWriter } from './lib/engine-writer.js';
import { QueryCompiler } from '../core/query/compile.js';
import { readAll } from '../core/query/field-access.js';
import { parseList } from '../core/query/parse-list.js';
import { buildGraph } from '../core/schema/build-graph.js';
import type { JsonSchema } from '../core/schema/module.js';
import { ensureTrigramTable, TrigramPostings } from '../core/search/trigram-table.js';
import { SEARCH_INDEX_KEYWORD, TRIGRAMS_TABLE } from '../core/query/trigrams.js';
import { Stratum } from '../core/stratum.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const SERVER = process.env.STRATUM_TEST_MYSQL_URL?.replace(/\/[^/]*$/, '') ?? 'mysql://root@127.0.0.1:3306';
const SCRATCH = 'stratum_trgm_scratch';
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const definitions = (dir: string): JsonSchema[] => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
/** The bench definitions, with or without the keyword on customer.name. */
const benchDefinitions = (indexed: boolean): JsonSchema[] => definitions(here('./metadata/bench')).map((def) => {
  if (def.$id !== 'customer' || indexed) return def;
  const properties = def.properties as Record<string, Record<string, unknown>>;
  const { [SEARCH_INDEX_KEYWORD]: _, ...name } = properties.name!;
  return { ...def, properties: { ...properties, name } };
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function reads(q: string) {
  const server = await mysql.createConnection({ uri: `${SERVER}/` });
  await server.query(`CREATE DATABASE IF NOT EXISTS \`${SCRATCH}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await server.query(`DROP TABLE IF EXISTS \`${SCRATCH}\`.\`customer\`, \`${SCRATCH}\`.\`${TRIGRAMS_TABLE}\``);
  await server.query(`CREATE TABLE \`${SCRATCH}\`.\`customer\` LIKE \`stratum_bench\`.\`customer\``);
  await server.query(`INSERT INTO \`${SCRATCH}\`.\`customer\` SELECT * FROM \`stratum_bench\`.\`customer\``);
  await server.end();
  const system = definitions(here('../core/system-modules'));
  const db = new Database(connect(`${SERVER}/${SCRATCH}`));
  const indexed = buildGraph([...system, ...benchDefinitions(true)]);
  await ensureTrigramTable(db);
  let t = process.hrtime.bigint();
  await new TrigramPostings(db).rebuild(indexed.modules.get('customer')!, 'name');
  const [stats] = await db.all({ sql: `SELECT COUNT(*) AS n FROM \`${TRIGRAMS_TABLE}\``, params: [] });
  console.log(`postings of 200k customer names built in ${(ms(t) / 1000).toFixed(1)} s: ${stats!.n} rows`);
  await db.update({ sql: `ANALYZE TABLE \`customer\`, \`${TRIGRAMS_TABLE}\``, params: [] });
  for (const [label, graph] of [['plain LIKE', buildGraph([...system, ...benchDefinitions(false)])], ['trigram index', indexed]] as const) {
    const request = parseList({ q, page: '1', pageSize: '25' }, graph.modules.get('customer')!, graph, readAll);
    const compiler = new QueryCompiler(graph, db.dialect);
    const statements = {
      page: compiler.select({ module: 'customer', where: request.where, columns: request.columns, orderBy: request.orderBy, limit: request.pageSize, offset: 0 }),
      total: compiler.count({ module: 'customer', where: request.where }),
    };
    console.log(`\n${label}: ${statements.total.sql}  ${JSON.stringify(statements.total.params)}`);
    for (const [what, statement] of Object.entries(statements)) {
      const times: number[] = [];
      let rows: Record<string, unknown>[] = [];
      for (let i = 0; i < 15; i++) {
        t = process.hrtime.bigint();
        rows = await db.all(statement);
        times.push(ms(t));
      }
      const answer = what === 'total' ? `total ${rows[0]!.total}` : `${rows.length} rows from id ${rows[0]?.id}`;
      console.log(`  ${what}: median ${median(times).toFixed(2)} ms, min ${Math.min(...times).toFixed(2)} ms (${answer})`);
      for (const r of await db.all({ sql: `EXPLAIN ${statement.sql}`, params: statement.params })) {
        console.log(`    EXPLAIN ${r.id} ${r.select_type} ${r.table} ${r.type} key=${r.key} rows=${r.rows} ${r.Extra ?? ''}`);
      }
    }
  }
  await db.close();
}

async function creates(n: number) {
  const server = await mysql.createConnection({ uri: `${SERVER}/` });
  for (const indexed of [false, true, false, true]) {
    const name = `${SCRATCH}_${indexed ? 'indexed' : 'plain'}`;
    await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await server.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stratum-search-index-'));
    mkdirSync(path.join(dir, 'bench'));
    for (const def of benchDefinitions(indexed)) writeFileSync(path.join(dir, 'bench', `${def.$id}.json`), JSON.stringify(def));
    const stratum = await Stratum.open({ databaseUrl: `${SERVER}/${name}`, adminPassword: 'search-index-bench', metadataDir: dir, builtinPlugins: false });
    const writer = await EngineWriter.open(stratum);
    const times: number[] = [];
    for (let i = 0; i < n + 50; i++) {
      const t = process.hrtime.bigint();
      await writer.create('customer', { name: `Customer ${['Hartmann', 'Zhang', 'Okafor', 'Rossi'][i % 4]} ${i} Trading`, phone: `+1 555 ${String(i).padStart(7, '0')}` });
      if (i >= 50) times.push(ms(t));
    }
    console.log(`create ${indexed ? 'with' : 'without'} the index: median ${median(times).toFixed(3)} ms over ${n} (after 50 to warm up)`);
    await stratum.close();
    await server.query(`DROP DATABASE \`${name}\``);
  }
  await server.end();
}

await reads(arg('q', 'artman'));
console.log('');
await creates(Number(arg('creates', '400')));
