import type { Sizes } from './dataset.js';
import type { ExplainedStatement } from './explain.js';
import type { LoadOptions, LoadResult } from './load.js';
import { QUERY_TITLES, type QueryName } from './queries.js';

export interface RunInfo {
  readonly date: string;
  readonly cpus: string;
  readonly memoryGiB: number;
  readonly loadAverage: string;
  readonly node: string;
  readonly mariadb: string;
  readonly bufferPoolMiB: number;
  readonly sizes: Sizes;
  readonly load: LoadOptions;
  /** Seconds to generate and load both databases, when this run did it. */
  readonly loadSeconds: number | undefined;
  readonly command: string;
  /** The engine's commit (and whether core/ was modified). */
  readonly engine: string;
}

export interface Cell {
  readonly query: QueryName;
  readonly user: string;
  readonly results: Record<string, LoadResult>;
  /** The machine's 1-minute load average after the cell: other work on the machine shows here. */
  readonly load1: number;
}

/** The benchmark's targets: reads ≥ 1.0 × F1 and ≥ 0.9 × F2, Q5 ≥ 0.7 × F2, p99 ≤ 1.5 × F2's, RSS < 300 MB. */
export function verdicts(cell: Cell): { vsF1?: boolean; vsF2?: boolean; p99?: boolean } {
  const s = cell.results.Stratum!;
  const f1 = cell.results.F1!;
  const f2 = cell.results.F2!;
  const write = cell.query === 'Q5';
  // None finished within the window: slower than any that did; when the floor's did not either,
  // the window measured neither, and the cell counts for no target (a longer --duration does).
  if (s.requests === 0) {
    const f2Too = f2.requests === 0 ? undefined : false;
    return { ...(write || f1.requests === 0 ? {} : { vsF1: false }), vsF2: f2Too, p99: f2Too };
  }
  if (f2.requests === 0) return { ...(write ? {} : { vsF1: f1.requests === 0 || s.rps >= f1.rps }), vsF2: true, p99: true };
  return {
    ...(write ? {} : { vsF1: s.rps >= f1.rps }),
    vsF2: s.rps >= (write ? 0.7 : 0.9) * f2.rps,
    p99: s.p99 <= 1.5 * f2.p99,
  };
}

const n = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** No request finished within the window: the rate is below 1/window and every latency above it. */
const rate = (r: LoadResult, window: number) => (r.requests === 0 ? `0 (< ${(1 / window).toFixed(1)})` : n(r.rps));
const lat = (r: LoadResult, key: 'p50' | 'p99', window: number) => (r.requests === 0 ? `> ${window * 1000}` : String(r[key]));
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}` : '–');
const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? '✓' : '✗');

/** The markdown report of one run (bench/results/latest.md). */
export function renderReport(r: {
  info: RunInfo;
  cells: Cell[];
  peakRssMb: number;
  explained: Record<string, ExplainedStatement[]>;
  plans: Record<string, Record<string, unknown>>;
  answers: Record<string, string>;
  spoiled: string[];
}): string {
  const { info } = r;
  const lines: string[] = [];
  lines.push('# Stratum benchmark: results', '');
  lines.push(`- Date: ${info.date}`);
  lines.push(`- Machine: ${info.cpus}, ${info.memoryGiB} GiB; load average at the end ${info.loadAverage}; Node ${info.node}`);
  lines.push(`- MariaDB ${info.mariadb}, innodb_buffer_pool_size ${info.bufferPoolMiB} MiB`);
  lines.push(`- Data: ${info.sizes.orders.toLocaleString('en')} orders, ${info.sizes.customers.toLocaleString('en')} customers, ${info.sizes.salesmen.toLocaleString('en')} salesmen, ${info.sizes.departments} departments, seed ${info.sizes.seed}${info.loadSeconds !== undefined ? `; generated and loaded in ${info.loadSeconds.toFixed(0)} s by this run` : ''}`);
  lines.push(`- Load: autocannon, ${info.load.connections} connections, ${info.load.warmup} s warm-up then ${info.load.duration} s measured, per user × query × target, on 127.0.0.1`);
  lines.push(`- Engine: ${info.engine}`);
  lines.push(`- Command: \`${info.command}\``, '');
  lines.push('Req/s is the mean over the measured window; p50/p99 in ms. S/F1 and S/F2 are Stratum\'s req/s over the floor\'s;',
    'A rate of 0 means that no request finished within the window (each took longer than the window).',
    'p99 S/F2 is Stratum\'s p99 over F2\'s. Targets: reads S/F1 ≥ 1.0 and S/F2 ≥ 0.9, Q5 S/F2 ≥ 0.7, p99 ≤ 1.5 × F2\'s.',
    '"load" is the machine\'s 1-minute load average after the row (2 cores: above 2, other work competed with the run).', '');
  lines.push('| query | user | Stratum req/s | p50 | p99 | F1 req/s | p50 | p99 | F2 req/s | p50 | p99 | S/F1 | S/F2 | p99 S/F2 | load |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const c of r.cells) {
    const s = c.results.Stratum!;
    const f1 = c.results.F1!;
    const f2 = c.results.F2!;
    const v = verdicts(c);
    const w = info.load.duration;
    lines.push(`| ${c.query} | ${c.user} | ${rate(s, w)} | ${lat(s, 'p50', w)} | ${lat(s, 'p99', w)} | ${rate(f1, w)} | ${lat(f1, 'p50', w)} | ${lat(f1, 'p99', w)} | ${rate(f2, w)} | ${lat(f2, 'p50', w)} | ${lat(f2, 'p99', w)} | `
      + `${c.query === 'Q5' ? `(${ratio(s.rps, f1.rps)})` : `${ratio(s.rps, f1.rps)} ${mark(v.vsF1)}`} | ${ratio(s.rps, f2.rps)} ${mark(v.vsF2)} | ${ratio(s.p99, f2.p99)} ${mark(v.p99)} | ${c.load1.toFixed(1)} |`);
  }
  lines.push('');
  const met = r.cells.map(verdicts);
  const count = (pick: (v: ReturnType<typeof verdicts>) => boolean | undefined) => {
    const relevant = met.map(pick).filter((x) => x !== undefined);
    return `${relevant.filter(Boolean).length}/${relevant.length}`;
  };
  lines.push(`Targets met: S/F1 ${count((v) => v.vsF1)}, S/F2 ${count((v) => v.vsF2)}, p99 ${count((v) => v.p99)}; `
    + `Stratum's peak RSS ${r.peakRssMb.toFixed(0)} MiB (target < 300 MB: ${mark(r.peakRssMb * 1.048576 < 300)}).`);
  if (r.spoiled.length > 0) lines.push('', `**Spoiled runs (errors or non-2xx answers):** ${r.spoiled.join('; ')}`);
  lines.push('', 'Q1 ' + QUERY_TITLES.Q1 + '; Q2 ' + QUERY_TITLES.Q2 + '; Q3 ' + QUERY_TITLES.Q3 + '; Q4 ' + QUERY_TITLES.Q4 + '; Q5 ' + QUERY_TITLES.Q5 + '.');

  lines.push('', '## The answers (the same from Stratum, F1 and F2, checked before the load)', '');
  lines.push('| user | query | answer |', '|---|---|---|');
  for (const [key, answer] of Object.entries(r.answers)) {
    const [user, query] = key.split(' ');
    lines.push(`| ${user} | ${query} | ${answer} |`);
  }

  lines.push('', '## EXPLAIN of the SQL Stratum compiles for Q1 and Q2', '');
  lines.push('Rebuilt from `GET /api/data/order/explain?user=<id>` (the read condition and its joins); "alone" is one execution with nothing else running.', '');
  lines.push('| user | statement | alone (ms) | department condition uses an index | plan |', '|---|---|--:|---|---|');
  for (const [user, statements] of Object.entries(r.explained)) {
    for (const st of statements) {
      const plan = st.plan.map((p) => `${p.table}: ${p.type}${p.key ? ` ${p.key}` : ''}, ${p.rows} rows${p.extra ? `, ${p.extra}` : ''}`).join('<br>');
      lines.push(`| ${user} | ${st.name} | ${st.ms.toFixed(1)} | ${st.departmentIndexed ? 'yes' : '**no**'}: ${st.verdict} | ${plan} |`);
    }
  }
  lines.push('', '<details><summary>Stratum\'s statements</summary>', '');
  for (const [user, statements] of Object.entries(r.explained)) {
    for (const st of statements) lines.push(`- ${user}, ${st.name} (params ${JSON.stringify(st.params)}):`, '', '  ```sql', `  ${st.sql}`, '  ```', '');
  }
  lines.push('</details>');

  lines.push('', '## The floors\' SQL', '');
  lines.push('Each floor times its hand-written variants at start and keeps the fastest (`join`: plain joins; `straight`: STRAIGHT_JOIN,',
    'walk the listed table in sort order and check each row; `semi`: IN-subqueries; `walk-index`: force the order-date index).', '');
  for (const [floor, body] of Object.entries(r.plans)) {
    const plans = body.plans as Record<string, Record<string, { variant: string; timings: Record<string, number>; sql: string; params: unknown[] }>>;
    const schema = body.schema as Record<string, unknown>;
    const extras = [schema.orderScope ? `order scope column ${JSON.stringify(schema.orderScope)}` : '', schema.customerScope ? `customer scope column ${JSON.stringify(schema.customerScope)}` : '',
      schema.orderDateIndex ? `order-date index ${schema.orderDateIndex}` : 'no order-date index'].filter(Boolean).join('; ');
    lines.push(`### ${floor} (${extras})`, '');
    lines.push('| user | statement | chosen | timings alone (ms) |', '|---|---|---|---|');
    for (const [user, queries] of Object.entries(plans)) {
      for (const [name, choice] of Object.entries(queries)) {
        lines.push(`| ${user} | ${name} | ${choice.variant} | ${Object.entries(choice.timings).map(([k, ms]) => `${k} ${ms}`).join(', ')} |`);
      }
    }
    lines.push('', '<details><summary>SQL</summary>', '');
    for (const [user, queries] of Object.entries(plans)) {
      for (const [name, choice] of Object.entries(queries)) lines.push(`- ${user}, ${name} (params ${JSON.stringify(choice.params)}):`, '', '  ```sql', `  ${choice.sql}`, '  ```', '');
    }
    lines.push('</details>', '');
  }
  return `${lines.join('\n')}\n`;
}
