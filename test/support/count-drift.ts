import type { Stratum } from '../../core/stratum.js';

export interface CountDrift {
  readonly module: string;
  readonly scope: string;
  readonly real: number;
  readonly kept: number;
}

/**
 * The maintained counts per department (`_stratum_counts`, core/data/scope-counts.ts) that differ
 * from a real count of each module's rows — its live rows with x-soft-delete. Empty when they agree.
 */
export async function countDrift(stratum: Stratum): Promise<CountDrift[]> {
  const q = (s: string) => stratum.db.quote(s);
  const graph = await stratum.registry.graph();
  const out: CountDrift[] = [];
  for (const m of graph.modules.values()) {
    if (!m.scopeColumn) continue;
    const live = m.softDelete ? ` WHERE ${q('deletedAt')} IS NULL` : '';
    const real = await stratum.db.all({ sql: `SELECT COALESCE(${q('_scope')}, '') AS s, COUNT(*) AS n FROM ${q(m.table)}${live} GROUP BY 1`, params: [] });
    const kept = await stratum.db.all({
      sql: `SELECT ${q('scope')} AS s, SUM(${q('n')}) AS n FROM ${q('_stratum_counts')} WHERE ${q('module')} = $1 GROUP BY 1`, params: [m.name],
    });
    const want = new Map(real.map((r) => [String(r.s), Number(r.n)]));
    const have = new Map(kept.map((r) => [String(r.s), Number(r.n)]));
    for (const key of new Set([...want.keys(), ...have.keys()])) {
      if ((want.get(key) ?? 0) !== (have.get(key) ?? 0)) out.push({ module: m.name, scope: key, real: want.get(key) ?? 0, kept: have.get(key) ?? 0 });
    }
  }
  return out;
}
