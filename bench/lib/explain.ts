import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Client } from './client.js';

/** One row of MariaDB's tabular EXPLAIN. */
export interface PlanRow {
  readonly table: string;
  readonly type: string;
  readonly key: string | null;
  readonly rows: number;
  readonly extra: string;
}

export interface ExplainedStatement {
  readonly name: string;
  readonly sql: string;
  readonly params: unknown[];
  readonly plan: PlanRow[];
  /** Milliseconds of one execution, alone on the database. */
  readonly ms: number;
  /** Whether the department condition narrows the rows through an index (see `departmentIndexed`). */
  readonly departmentIndexed: boolean;
  readonly verdict: string;
}

/**
 * Rebuilds the statements Stratum runs for Q1 (page and count) and Q2 from its explain route
 * (`GET /api/data/order/explain?user=<id>`: the read condition, its joins and parameters), then
 * asks MariaDB for their plans and times one execution of each.
 */
export async function explainStratum(admin: Client, pool: Pool, userId: number): Promise<ExplainedStatement[]> {
  const r = await admin.expect(200, 'GET', `/api/data/order/explain?user=${userId}`);
  const read = r.actions.read as { sql: string; joins: string; params: unknown[] };
  const from = `FROM \`order\` AS \`t0\`${read.joins ? ` ${read.joins}` : ''} WHERE ${read.sql}`;
  const statements = [
    { name: 'Q1 page', sql: `SELECT \`t0\`.* ${from} ORDER BY \`t0\`.\`orderDate\` DESC, \`t0\`.\`id\` DESC LIMIT 25` },
    { name: 'Q1 total', sql: `SELECT COUNT(*) AS \`total\` ${from}` },
    { name: 'Q2', sql: `SELECT DATE_FORMAT(\`t0\`.\`orderDate\`, '%Y') AS \`g0\`, SUM(\`t0\`.\`amount\`) AS \`m0\` ${from} GROUP BY 1 ORDER BY 1` },
  ];
  const departmentAlias = /JOIN `department` AS `(t\d+)`/.exec(read.joins)?.[1];
  const indexes = await indexColumns(pool, 'order');
  const out: ExplainedStatement[] = [];
  for (const st of statements) {
    const { sql, params } = positional(st.sql, read.params);
    const [rows] = await pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
    const plan = rows.map((p) => ({ table: String(p.table), type: String(p.type), key: p.key === null ? null : String(p.key), rows: Number(p.rows), extra: String(p.Extra ?? '') }));
    const t = performance.now();
    await pool.query(sql, params);
    const ms = performance.now() - t;
    const verdict = departmentIndexed(plan, departmentAlias, indexes);
    const sorts = plan.some((p) => p.extra.includes('filesort'));
    out.push({ name: st.name, sql, params, plan, ms, departmentIndexed: verdict.indexed, verdict: `${verdict.why}${sorts ? '; then sorts every matching row (filesort)' : ''}` });
  }
  return out;
}

/**
 * The department condition "uses an index" when the department table is reached by a range or
 * ref on an index (the prefix LIKE or = on its code), or when the order table itself is read
 * through an index on a column that is not a field of the module (a denormalised scope column).
 * A department read by its primary key from each order's salesman (eq_ref) is a row-by-row check.
 */
export function departmentIndexed(plan: PlanRow[], departmentAlias: string | undefined, orderIndexes: Record<string, string[]>): { indexed: boolean; why: string } {
  const fields = new Set(['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'number', 'amount', 'orderDate', 'customer', 'salesman']);
  const order = plan.find((p) => p.table === 't0');
  const scopeKey = order?.key ? orderIndexes[order.key]?.find((c) => !fields.has(c)) : undefined;
  if (order && scopeKey && order.type !== 'ALL') return { indexed: true, why: `order read through ${order.key} (${orderIndexes[order.key!]!.join(', ')}), ${order.type}` };
  const dept = departmentAlias ? plan.find((p) => p.table === departmentAlias) : undefined;
  if (!dept) {
    if (order?.type === 'ALL') return { indexed: false, why: 'order read in full (ALL): the department condition is checked row by row' };
    return { indexed: false, why: `order ${order?.type ?? '?'} on ${order?.key ?? 'no index'}: the department condition is not what the index serves` };
  }
  if (['range', 'ref', 'const'].includes(dept.type) && dept.key) return { indexed: true, why: `department ${dept.type} on ${dept.key}; order ${order?.type ?? '?'} on ${order?.key ?? 'no index'}` };
  return { indexed: false, why: `department ${dept.type} on ${dept.key ?? 'no index'} (checked row by row); order ${order?.type ?? '?'} on ${order?.key ?? 'no index'}` };
}

async function indexColumns(pool: Pool, table: string): Promise<Record<string, string[]>> {
  const [rows] = await pool.query<RowDataPacket[]>(`SHOW INDEX FROM \`${table}\``);
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[String(r.Key_name)] ??= [])[Number(r.Seq_in_index) - 1] = String(r.Column_name);
  return out;
}

/** `$2 … $1` → `? … ?` with the parameters in text order. */
function positional(sql: string, params: unknown[]): { sql: string; params: unknown[] } {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return '?';
  });
  return { sql: text, params: ordered };
}
