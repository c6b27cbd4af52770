import type { Pool, RowDataPacket } from 'mysql2/promise';
import { SEARCH_TERM } from '../lib/dataset.js';

/** A table as a floor's SQL names it: the (unquoted) table and each logical field's column. */
export interface TableNames {
  readonly table: string;
  readonly columns: Readonly<Record<string, string>>;
}

/**
 * The physical schema one floor writes its SQL against. F1 and F2 answer with the same logical
 * fields (Stratum's API names); only the tables, the columns and the indexes differ.
 */
export interface FloorSchema {
  readonly name: 'F1' | 'F2';
  readonly order: TableNames;
  readonly customer: TableNames;
  readonly salesman: TableNames;
  readonly department: TableNames;
  readonly user: TableNames;
  /** A denormalised column holding each order's department (code or id), when the tables have one (F2 detects it). */
  readonly orderScope?: ScopeColumn;
  readonly customerScope?: ScopeColumn;
  /** An index whose first column is the order date, to walk newest first. */
  readonly orderDateIndex?: string;
  /** Trigram postings of customer names the engine keeps (F2 detects them), with the posting count of each gram of the search term. */
  readonly customerNameGrams?: { readonly table: string; readonly counts: Readonly<Record<string, number>> };
}

export interface ScopeColumn {
  readonly column: string;
  readonly holds: 'code' | 'id';
}

const AUDIT = ['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version'] as const;
export const ORDER_FIELDS = [...AUDIT, 'number', 'amount', 'orderDate', 'customer', 'salesman'] as const;
export const CUSTOMER_FIELDS = [...AUDIT, 'name', 'phone', 'grade', 'industry', 'salesman'] as const;
export const DATETIME_FIELDS = new Set(['createdAt', 'updatedAt']);

const identity = (fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, f]));
const snake = (f: string) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** F1: the hand-made plain schema of bench/lib/plain-schema.ts. */
export const F1_SCHEMA: FloorSchema = {
  name: 'F1',
  order: {
    table: 'orders',
    columns: { ...Object.fromEntries(ORDER_FIELDS.map((f) => [f, snake(f)])), customer: 'customer_id', salesman: 'salesman_id' },
  },
  customer: { table: 'customers', columns: { ...Object.fromEntries(CUSTOMER_FIELDS.map((f) => [f, snake(f)])), salesman: 'salesman_id' } },
  salesman: { table: 'salesmen', columns: { id: 'id', department: 'department_id' } },
  department: { table: 'departments', columns: { id: 'id', code: 'code', seeAll: 'see_all', seeSameLevel: 'see_same_level' } },
  user: { table: 'users', columns: { id: 'id', username: 'username', department: 'department_id' } },
  orderDateIndex: 'ix_orders_date',
};

/** F2: Stratum's own tables, columns named as the fields; what the engine added is detected. */
export async function f2Schema(pool: Pool): Promise<FloorSchema> {
  const base: FloorSchema = {
    name: 'F2',
    order: { table: 'order', columns: identity(ORDER_FIELDS) },
    customer: { table: 'customer', columns: identity(CUSTOMER_FIELDS) },
    salesman: { table: 'salesman', columns: { id: 'id', department: 'department' } },
    department: { table: 'department', columns: { id: 'id', code: 'code', seeAll: 'seeAll', seeSameLevel: 'seeSameLevel' } },
    user: { table: 'user', columns: { id: 'id', username: 'username', department: 'department' } },
  };
  const orderScope = await detectScopeColumn(pool, 'order', ORDER_FIELDS, 'salesman');
  const customerScope = await detectScopeColumn(pool, 'customer', CUSTOMER_FIELDS, 'salesman');
  const orderDateIndex = await firstColumnIndex(pool, 'order', 'orderDate');
  const customerNameGrams = await detectNameGrams(pool);
  return {
    ...base, ...(orderScope ? { orderScope } : {}), ...(customerScope ? { customerScope } : {}), ...(orderDateIndex ? { orderDateIndex } : {}),
    ...(customerNameGrams ? { customerNameGrams } : {}),
  };
}

const TRIGRAMS = '_stratum_trigrams';

/**
 * The engine's trigram postings of customer names, when it keeps them (x-search-index): F2 must
 * use them too. Checked on 200 customers (each posted under its name's first gram, or the
 * unsure marker, when its name is plain ASCII), and counted per gram of the search term, so the floor reads the rarest.
 */
async function detectNameGrams(pool: Pool): Promise<FloorSchema['customerNameGrams']> {
  const [tables] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [TRIGRAMS]);
  if (Number(tables[0]?.n) === 0) return undefined;
  // One lookup by the primary key (module, field, gram, id) per sampled customer.
  const [sample] = await pool.query<RowDataPacket[]>('SELECT id, name FROM customer ORDER BY id LIMIT 200');
  if (sample.length === 0) return undefined;
  for (const c of sample) {
    const name = String(c.name);
    const first = name.slice(0, 3).toLowerCase();
    const gram = /^[\x20-\x7e]{3}$/.test(first) && /^[\x20-\x7e]*$/.test(name) ? first : '';
    const [found] = await pool.query<RowDataPacket[]>(
      `SELECT 1 FROM \`${TRIGRAMS}\` WHERE module = 'customer' AND field = 'name' AND gram = CAST(? AS BINARY) AND id = ?`, [gram, c.id],
    );
    if (found.length === 0) return undefined;
  }
  const term = SEARCH_TERM.toLowerCase();
  const grams = Array.from({ length: term.length - 2 }, (_, i) => term.slice(i, i + 3));
  const [counts] = await pool.query<RowDataPacket[]>(
    `SELECT gram, COUNT(*) AS n FROM \`${TRIGRAMS}\` WHERE module = 'customer' AND field = 'name' AND gram IN (?) GROUP BY gram`, [grams],
  );
  return { table: TRIGRAMS, counts: Object.fromEntries(counts.map((r) => [String(r.gram), Number(r.n)])) };
}

/**
 * A column the engine added to `table` (not a field of the module) that holds, on every sampled
 * row, the department code — or id — reached through `via` → salesman.department. If the engine
 * maintains one, F2 must use it too: it is part of what "Stratum's own tables" offer.
 */
async function detectScopeColumn(pool: Pool, table: string, fields: readonly string[], via: string): Promise<ScopeColumn | undefined> {
  const [cols] = await pool.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [table],
  );
  for (const col of cols) {
    const name = String(col.name);
    if (fields.includes(name)) continue;
    const textual = /char|text/i.test(String(col.type));
    const numeric = /int/i.test(String(col.type));
    if (!textual && !numeric) continue;
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, SUM(x.\`${name}\` = d.\`${textual ? 'code' : 'id'}\`) AS same
       FROM (SELECT * FROM \`${table}\` ORDER BY id LIMIT 2000) AS x
       JOIN \`salesman\` AS s ON s.id = x.\`${via}\` JOIN \`department\` AS d ON d.id = s.department`,
    );
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0 && Number(rows[0]?.same ?? -1) === n) return { column: name, holds: textual ? 'code' : 'id' };
  }
  return undefined;
}

/** The name of an index of `table` whose first column is `column`, if there is one. */
export async function firstColumnIndex(pool: Pool, table: string, column: string): Promise<string | undefined> {
  const [rows] = await pool.query<RowDataPacket[]>(`SHOW INDEX FROM \`${table}\``);
  return rows.find((r) => Number(r.Seq_in_index) === 1 && r.Column_name === column)?.Key_name as string | undefined;
}

/** SHOW INDEX of the tables a floor reads, for the report. */
export async function describeIndexes(pool: Pool, tables: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const [rows] = await pool.query<RowDataPacket[]>(`SHOW INDEX FROM \`${table}\``);
    const byName = new Map<string, string[]>();
    for (const r of rows) {
      const list = byName.get(String(r.Key_name)) ?? [];
      list[Number(r.Seq_in_index) - 1] = String(r.Column_name);
      byName.set(String(r.Key_name), list);
    }
    out[table] = [...byName].map(([name, cols]) => `${name}(${cols.join(', ')})`);
  }
  return out;
}
