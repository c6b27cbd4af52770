import type { Client } from './client.js';
import type { LoadOptions, LoadResult } from './load.js';
import type { RequestSpec } from './queries.js';

/** One way of asking Q1 for its total, or for a deep page. */
export interface TotalCell {
  readonly user: string;
  readonly strategy: string;
  readonly path: string;
  readonly total: string;
  readonly result: LoadResult;
}

const Q1 = '/api/data/order?sort=-orderDate&pageSize=25';

/**
 * The million-row benchmark: the `total` strategies of Q1 (exact, capped at 10,000, estimated, none) and
 * a deep page read by offset against the same page read by keyset cursor, each loaded like the
 * main table. The cursor of page 200 is found first by walking `meta.next` (not measured).
 */
export async function measureTotals(
  client: (user: string) => Client,
  users: readonly string[],
  run: (user: string, spec: RequestSpec) => Promise<LoadResult>,
): Promise<TotalCell[]> {
  const cells: TotalCell[] = [];
  for (const user of users) {
    const c = client(user);
    const visible = Number((await c.expect(200, 'GET', `${Q1}&page=1`)).meta.total);
    // Page 200, or the last full page of a user who sees fewer records.
    const deep = Math.max(2, Math.min(200, Math.floor(visible / 25)));
    const paths: [string, string][] = [
      ['exact (default)', `${Q1}&page=1`],
      ['capped at 10,000', `${Q1}&page=1&total=capped`],
      ['estimated', `${Q1}&page=1&total=estimated`],
      ['none', `${Q1}&page=1&total=none`],
      [`page ${deep} by offset, no total`, `${Q1}&page=${deep}&total=none`],
    ];
    let after = '';
    for (let page = 1; page < deep; page++) {
      const r = await c.expect(200, 'GET', `${Q1}&total=none&after=${encodeURIComponent(after)}`);
      if (!r.meta.next) break;
      after = r.meta.next;
    }
    paths.push([`page ${deep} by keyset cursor, no total`, `${Q1}&total=none&after=${encodeURIComponent(after)}`]);
    for (const [strategy, path] of paths) {
      const once = await c.expect(200, 'GET', path);
      const total = once.meta.total === null || once.meta.total === undefined ? '–'
        : `${Number(once.meta.total).toLocaleString('en')}${once.meta.totalCapped ? '+' : ''}${once.meta.totalEstimated ? ' (est.)' : ''}`;
      cells.push({ user, strategy, path, total, result: await run(user, { method: 'GET', path }) });
    }
  }
  return cells;
}

export function renderTotals(cells: readonly TotalCell[], load: LoadOptions): string[] {
  if (cells.length === 0) return [];
  const lines = ['## Q1: the total strategies and keyset paging (Stratum)', '',
      `Q1 as in the main table, with each \`total\` strategy, and a deep page (200, or a user's last full page) by offset and by keyset cursor (\`after=\`); ${load.connections} connections, ${load.duration} s measured.`, '',
    '| user | request | total | req/s | p50 | p99 |', '|---|---|--:|--:|--:|--:|'];
  for (const c of cells) lines.push(`| ${c.user} | ${c.strategy} | ${c.total} | ${c.result.rps.toFixed(1)} | ${c.result.p50} | ${c.result.p99} |`);
  lines.push('');
  return lines;
}
