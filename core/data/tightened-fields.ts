import type { Database } from '../db/database.js';
import type { ErrorDetail } from '../errors.js';
import { buildModule } from '../schema/build-graph.js';
import { pointer } from '../schema/finding.js';
import type { Field, JsonSchema } from '../schema/module.js';

/**
 * A changed definition may tighten a field that already holds data: make it required, drop enum
 * values, raise a minimum or lower a maximum. Each is accepted only while no stored record breaks
 * it; otherwise it is refused with the number of records that do, so that nothing stored falls
 * outside its own definition (records that later fail their own schema on every edit).
 */
export async function tightenedFieldErrors(db: Database, before: JsonSchema, after: JsonSchema): Promise<ErrorDetail[]> {
  const old = buildModule(before);
  const next = buildModule(after);
  const q = (s: string) => db.quote(s);
  const details: ErrorDetail[] = [];
  for (const [name, now] of next.fields) {
    const was = old.fields.get(name);
    if (!was || now.system) continue;
    for (const check of tightenings(was, now)) {
      const rows = await db.all({ sql: `SELECT COUNT(*) AS ${q('n')} FROM ${q(next.table)} WHERE ${check.where(q(now.column))}`, params: check.params });
      const n = Number(rows[0]?.n ?? 0);
      if (n === 0) continue;
      details.push({
        path: pointer('properties', name, ...(check.keyword === 'required' ? [] : [check.keyword])),
        code: 'existing_data_violates',
        message: `${n} stored ${next.name} record${n === 1 ? '' : 's'} ${check.broken}`,
        hint: `fix those records first (filter ${JSON.stringify(check.filter)}), then apply the change again`,
      });
    }
  }
  return details;
}

interface Tightening {
  readonly keyword: string;
  readonly where: (column: string) => string;
  readonly params: readonly unknown[];
  readonly broken: string;
  /** The list filter that finds the records, for the hint. */
  readonly filter: unknown;
}

function tightenings(was: Field, now: Field): Tightening[] {
  const out: Tightening[] = [];
  const name = now.name;
  if (now.required && !was.required) {
    out.push({ keyword: 'required', where: (c) => `${c} IS NULL`, params: [], broken: `have no ${name}, which would become required`, filter: { [name]: { isNull: true } } });
  }
  if (now.kind === 'enum' && was.kind === 'enum') {
    const removed = (was.enum ?? []).filter((v) => !(now.enum ?? []).includes(v));
    if (removed.length > 0) {
      out.push({
        keyword: 'enum', where: (c) => `${c} IN (${removed.map((_, i) => `$${i + 1}`).join(', ')})`, params: removed,
        broken: `hold ${removed.map((v) => JSON.stringify(v)).join(', ')} in ${name}, which would no longer be allowed`, filter: { [name]: { in: removed } },
      });
    }
  }
  for (const [keyword, op, sql] of [['minimum', 'lt', '<'], ['maximum', 'gt', '>']] as const) {
    const limit = now.schema[keyword];
    const previous = was.schema[keyword];
    if (typeof limit !== 'number') continue;
    const tighter = typeof previous !== 'number' || (keyword === 'minimum' ? limit > previous : limit < previous);
    if (!tighter) continue;
    out.push({ keyword, where: (c) => `${c} ${sql} $1`, params: [limit], broken: `have ${name} ${sql} ${limit}, outside the new ${keyword}`, filter: { [name]: { [op]: limit } } });
  }
  return out;
}
