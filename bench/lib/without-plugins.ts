import type { LoadResult } from './load.js';

/** Q5 as measured on a second Stratum process started with BUILTIN_PLUGINS=0 (no audit history). */
export interface PluginFreeCell {
  readonly user: string;
  readonly result: LoadResult;
  /** F2's Q5 for the same user, from the main table of the same run. */
  readonly f2: LoadResult | undefined;
  /** Stratum's Q5 with the audit plugin, from the main table. */
  readonly withAudit: LoadResult | undefined;
}

/**
 * How much of Q5's distance to F2 is the history entry the built-in audit plugin writes in every
 * create's transaction, a feature the floors do not have: the same Q5 against a Stratum process
 * without built-in plugins.
 */
export function renderWithoutPlugins(cells: readonly PluginFreeCell[]): string[] {
  if (cells.length === 0) return [];
  const ratio = (a: LoadResult | undefined, b: LoadResult | undefined) => (a && b && b.rps > 0 ? (a.rps / b.rps).toFixed(2) : '–');
  const lines = ['## Q5 without the audit plugin', '',
    'The same creates against a second Stratum process started with `BUILTIN_PLUGINS=0`: no history entry is written.',
    'Every create still checks its references and create scope and keeps the department counts in its transaction.', '',
    '| user | Stratum, no audit req/s | p50 | p99 | S/F2 | with audit S/F2 |', '|---|--:|--:|--:|--:|--:|'];
  for (const c of cells) {
    lines.push(`| ${c.user} | ${c.result.rps.toFixed(0)} | ${c.result.p50} | ${c.result.p99} | ${ratio(c.result, c.f2)} | ${ratio(c.withAudit, c.f2)} |`);
  }
  lines.push('');
  return lines;
}
