import { CUSTOMER_FIELDS, ORDER_FIELDS, type FloorSchema, type TableNames } from './schema.js';

/**
 * The hand-written SQL of the floors. A floor knows its users' restrictions the way an
 * application without a rule engine does: written into its queries. Each query comes in the forms
 * a skilled developer would try — plain joins (the optimizer picks the order), joins with
 * STRAIGHT_JOIN (walk the listed table in the sort order, check visibility row by row, stop at the
 * LIMIT), IN-subqueries (semi-joins), and a forced walk of the order-date index — and the floor
 * keeps the fastest on the data at hand (floor-app.ts calibrates at start).
 */
export interface FloorUser {
  readonly id: number;
  readonly username: string;
  readonly admin: boolean;
  /** The department restriction: unrestricted (admin, see-all), none (no department: sees nothing), or a code. */
  readonly department: { readonly kind: 'all' } | { readonly kind: 'none' } | { readonly kind: 'code'; readonly code: string; readonly leaf: boolean };
  readonly customerGrade?: string;
  readonly orderAmountGt?: number;
}

export interface Statement {
  readonly sql: string;
  readonly params: unknown[];
}

export type Variant = 'join' | 'straight' | 'semi' | 'materialize' | 'walk-index' | 'boundary' | 'scan';

export const q = (identifier: string) => `\`${identifier}\``;

const col = (t: TableNames, alias: string, field: string) => `${alias}.${q(t.columns[field]!)}`;

/** `o.created_at AS createdAt, …`: the record's fields under their API names. */
export const selectList = (t: TableNames, alias: string, fields: readonly string[]) =>
  fields.map((f) => `${col(t, alias, f)} AS ${q(f)}`).join(', ');

interface Visibility {
  readonly joins: string[];
  readonly where: string[];
  readonly params: unknown[];
}

const deptMatch = (dept: { code: string; leaf: boolean }, column: string): Statement =>
  dept.leaf ? { sql: `${column} = ?`, params: [dept.code] } : { sql: `${column} LIKE ?`, params: [`${dept.code}%`] };

/** The department condition reached through the row's salesman (`salesman`, its column): joins, or an IN-subquery. */
function throughSalesman(v: Visibility, s: FloorSchema, salesman: string, dept: { code: string; leaf: boolean }, form: 'join' | 'semi') {
  const m = deptMatch(dept, `d.${q('code')}`);
  const department = `${q(s.department.table)} AS d ON d.${q('id')} = s.${q(s.salesman.columns.department!)}`;
  if (form === 'join') {
    v.joins.push(`JOIN ${q(s.salesman.table)} AS s ON s.${q('id')} = ${salesman}`, `JOIN ${department}`);
    v.where.push(m.sql);
  } else {
    v.where.push(`${salesman} IN (SELECT s.${q('id')} FROM ${q(s.salesman.table)} AS s JOIN ${department} WHERE ${m.sql})`);
  }
  v.params.push(...m.params);
}

/** Which orders `user` may read, on alias `o`, as joins or as IN-subqueries. */
export function orderVisibility(s: FloorSchema, user: FloorUser, form: 'join' | 'semi'): Visibility {
  const v: Visibility = { joins: [], where: [], params: [] };
  const O = s.order;
  if (user.department.kind === 'none') v.where.push('1=0');
  if (user.department.kind === 'code') {
    const dept = user.department;
    if (s.orderScope) {
      scopeColumn(v, s, `o.${q(s.orderScope.column)}`, s.orderScope.holds, dept);
    } else {
      throughSalesman(v, s, col(O, 'o', 'salesman'), dept, form);
    }
  }
  if (user.customerGrade !== undefined) {
    const C = s.customer;
    if (form === 'join') {
      v.joins.push(`JOIN ${q(C.table)} AS c ON c.${q('id')} = ${col(O, 'o', 'customer')}`);
      v.where.push(`${col(C, 'c', 'grade')} = ?`);
    } else {
      v.where.push(`${col(O, 'o', 'customer')} IN (SELECT c.${q('id')} FROM ${q(C.table)} AS c WHERE ${col(C, 'c', 'grade')} = ?)`);
    }
    v.params.push(user.customerGrade);
  }
  if (user.orderAmountGt !== undefined) {
    v.where.push(`${col(O, 'o', 'amount')} > ?`);
    v.params.push(user.orderAmountGt);
  }
  return v;
}

/** Which customers `user` may read, on alias `c`. */
export function customerVisibility(s: FloorSchema, user: FloorUser, form: 'join' | 'semi'): Visibility {
  const v: Visibility = { joins: [], where: [], params: [] };
  const C = s.customer;
  if (user.department.kind === 'none') v.where.push('1=0');
  if (user.department.kind === 'code') {
    const dept = user.department;
    if (s.customerScope) {
      scopeColumn(v, s, `c.${q(s.customerScope.column)}`, s.customerScope.holds, dept);
    } else {
      throughSalesman(v, s, col(C, 'c', 'salesman'), dept, form);
    }
  }
  if (user.customerGrade !== undefined) {
    v.where.push(`${col(C, 'c', 'grade')} = ?`);
    v.params.push(user.customerGrade);
  }
  return v;
}

function scopeColumn(v: Visibility, s: FloorSchema, column: string, holds: 'code' | 'id', dept: { code: string; leaf: boolean }) {
  const m = deptMatch(dept, holds === 'code' ? column : `d.${q('code')}`);
  v.where.push(holds === 'code' ? m.sql : `${column} IN (SELECT d.${q('id')} FROM ${q(s.department.table)} AS d WHERE ${m.sql})`);
  v.params.push(...m.params);
}

const whereOf = (v: Visibility, extra: string[] = []) => {
  const all = [...extra, ...v.where];
  return all.length > 0 ? ` WHERE ${all.join(' AND ')}` : '';
};
const joinsOf = (v: Visibility) => (v.joins.length > 0 ? ` ${v.joins.join(' ')}` : '');

/** The forms worth trying for a user: only those that differ. */
export function variantsFor(kind: 'order' | 'customer', s: FloorSchema, user: FloorUser, walk: boolean): Variant[] {
  const v = kind === 'order' ? orderVisibility(s, user, 'join') : customerVisibility(s, user, 'join');
  const out: Variant[] = ['join'];
  if (v.joins.length > 0) out.push('straight', 'semi', 'materialize');
  if (walk && kind === 'order' && s.orderDateIndex) out.push('walk-index', 'boundary');
  // With trigram postings, also the plain joins without them: a narrow visibility may beat the index.
  if (kind === 'customer' && s.customerNameGrams) out.push('scan');
  return out;
}

const formOf = (variant: Variant) => (variant === 'semi' || variant === 'materialize' ? 'semi' : 'join');
const straightOf = (variant: Variant) => (variant === 'straight' || variant === 'walk-index' ? 'STRAIGHT_JOIN ' : '');
/**
 * `materialize`: the IN-subqueries without semi-join flattening, so that MariaDB scans the listed
 * table once and probes a hash of the (small) visible set per row, instead of a nested loop of
 * index lookups through department → salesman → order (3–4× faster when most rows are visible).
 */
const prefixOf = (variant: Variant) => (variant === 'materialize' ? "SET STATEMENT optimizer_switch='semijoin=off' FOR " : '');

/** Q1: the newest 25 orders the user may read. */
export function q1Page(s: FloorSchema, user: FloorUser, variant: Variant, pageSize = 25): Statement {
  if (variant === 'boundary') return q1Boundary(s, user, pageSize);
  const v = orderVisibility(s, user, formOf(variant));
  const force = variant === 'walk-index' && s.orderDateIndex ? ` FORCE INDEX (${q(s.orderDateIndex)})` : '';
  return {
    sql: `${prefixOf(variant)}SELECT ${straightOf(variant)}${selectList(s.order, 'o', ORDER_FIELDS)} FROM ${q(s.order.table)} AS o${force}${joinsOf(v)}${whereOf(v)}`
      + ` ORDER BY ${col(s.order, 'o', 'orderDate')} DESC, o.${q('id')} DESC LIMIT ${pageSize}`,
    params: v.params,
  };
}

/**
 * Q1 when the order-date index cannot give the sort's tie-break by id (an index on
 * (orderDate, x) is ordered by x, then id, within a day): first the date of the 25th visible
 * order, walking that index newest first (index order serves `ORDER BY orderDate` alone); then
 * the visible orders from that date on, a few hundred rows, sorted by (orderDate, id).
 */
function q1Boundary(s: FloorSchema, user: FloorUser, pageSize: number): Statement {
  const v = orderVisibility(s, user, 'join');
  const date = col(s.order, 'o', 'orderDate');
  const inner = `SELECT STRAIGHT_JOIN ${date} FROM ${q(s.order.table)} AS o FORCE INDEX (${q(s.orderDateIndex!)})${joinsOf(v)}${whereOf(v)}`
    + ` ORDER BY ${date} DESC LIMIT ${pageSize - 1}, 1`;
  return {
    sql: `SELECT STRAIGHT_JOIN ${selectList(s.order, 'o', ORDER_FIELDS)} FROM ${q(s.order.table)} AS o${joinsOf(v)}`
      + `${whereOf(v, [`${date} >= COALESCE((${inner}), '1000-01-01')`])} ORDER BY ${date} DESC, o.${q('id')} DESC LIMIT ${pageSize}`,
    params: [...v.params, ...v.params],
  };
}

/** Q1's exact total. */
export function q1Count(s: FloorSchema, user: FloorUser, variant: Variant): Statement {
  const v = orderVisibility(s, user, formOf(variant));
  return { sql: `${prefixOf(variant)}SELECT ${straightOf(variant)}COUNT(*) AS ${q('total')} FROM ${q(s.order.table)} AS o${joinsOf(v)}${whereOf(v)}`, params: v.params };
}

/** Q2: sum(amount) by year(orderDate). */
export function q2Sum(s: FloorSchema, user: FloorUser, variant: Variant): Statement {
  const v = orderVisibility(s, user, formOf(variant));
  return {
    sql: `${prefixOf(variant)}SELECT ${straightOf(variant)}YEAR(${col(s.order, 'o', 'orderDate')}) AS ${q('year')}, SUM(${col(s.order, 'o', 'amount')}) AS ${q('sum')}`
      + ` FROM ${q(s.order.table)} AS o${joinsOf(v)}${whereOf(v)} GROUP BY 1 ORDER BY 1`,
    params: v.params,
  };
}

/**
 * Q3's name condition: the LIKE, and on F2, when the engine keeps trigram postings of customer
 * names, the ids posted under the search's rarest gram (by the posting counts read at start) or
 * under the unsure marker '' first — what a developer writing by hand for these tables would use
 * (the `scan` variant leaves them out).
 */
function nameContains(s: FloorSchema, text: string, variant: Variant): Statement {
  const like = { sql: `${col(s.customer, 'c', 'name')} LIKE ? ESCAPE '!'`, params: [likeContains(text)] };
  const postings = variant === 'scan' ? undefined : s.customerNameGrams;
  const lower = text.toLowerCase();
  const grams = [...new Set(Array.from({ length: Math.max(0, lower.length - 2) }, (_, i) => lower.slice(i, i + 3)))]
    .filter((g) => /^[\x20-\x7e]{3}$/.test(g));
  if (!postings || grams.length === 0) return like;
  const rarest = grams.reduce((a, b) => ((postings.counts[b] ?? Infinity) < (postings.counts[a] ?? Infinity) ? b : a));
  return {
    sql: `c.${q('id')} IN (SELECT ${q('id')} FROM ${q(postings.table)} WHERE ${q('module')} = 'customer' AND ${q('field')} = 'name' AND ${q('gram')} IN (?, '')) AND ${like.sql}`,
    params: [rarest, ...like.params],
  };
}

/** Q3: the newest 25 customers whose name contains `text`. */
export function q3Page(s: FloorSchema, user: FloorUser, variant: Variant, text: string, pageSize = 25): Statement {
  const v = customerVisibility(s, user, formOf(variant));
  const name = nameContains(s, text, variant);
  return {
    sql: `${prefixOf(variant)}SELECT ${straightOf(variant)}${selectList(s.customer, 'c', CUSTOMER_FIELDS)} FROM ${q(s.customer.table)} AS c${joinsOf(v)}`
      + `${whereOf(v, [name.sql])} ORDER BY c.${q('id')} DESC LIMIT ${pageSize}`,
    params: [...name.params, ...v.params],
  };
}

export function q3Count(s: FloorSchema, user: FloorUser, variant: Variant, text: string): Statement {
  const v = customerVisibility(s, user, formOf(variant));
  const name = nameContains(s, text, variant);
  return {
    sql: `${prefixOf(variant)}SELECT ${straightOf(variant)}COUNT(*) AS ${q('total')} FROM ${q(s.customer.table)} AS c${joinsOf(v)}${whereOf(v, [name.sql])}`,
    params: [...name.params, ...v.params],
  };
}

/** Q4: one order, if the user may read it. */
export function q4One(s: FloorSchema, user: FloorUser, id: number): Statement {
  const v = orderVisibility(s, user, 'join');
  return {
    sql: `SELECT ${selectList(s.order, 'o', ORDER_FIELDS)} FROM ${q(s.order.table)} AS o${joinsOf(v)}${whereOf(v, [`o.${q('id')} = ?`])}`,
    params: [id, ...v.params],
  };
}

export interface NewOrder {
  readonly number: string;
  readonly amount: number;
  readonly orderDate: string;
  readonly customer: number;
  readonly salesman: number;
}

/**
 * Q5: one INSERT … SELECT that writes the order only if its salesman and customer are visible to
 * the user and the new order is inside the user's create scope (no row inserted = refused).
 * Stratum's equivalent: check the references, insert, check the new record's scope, in a transaction.
 */
export function q5Insert(s: FloorSchema, user: FloorUser, order: NewOrder, now: string): Statement {
  const O = s.order;
  const cols = ['number', 'amount', 'orderDate', 'customer', 'salesman', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version'].map((f) => q(O.columns[f]!));
  const scope = s.orderScope;
  if (scope) cols.push(q(scope.column));
  const where: string[] = [`s.${q('id')} = ?`];
  const params: unknown[] = [order.number, order.amount, order.orderDate, now, now, user.id, user.id, order.customer, order.salesman];
  let from = `${q(s.salesman.table)} AS s LEFT JOIN ${q(s.department.table)} AS d ON d.${q('id')} = s.${q(s.salesman.columns.department!)}`
    + ` JOIN ${q(s.customer.table)} AS c ON c.${q('id')} = ?`;
  if (user.department.kind === 'none') where.push('1=0');
  if (user.department.kind === 'code') {
    const m = deptMatch(user.department, `d.${q('code')}`);
    where.push(m.sql);
    params.push(...m.params);
    // The customer must be visible too: its salesman's department.
    if (s.customerScope) {
      const v: Visibility = { joins: [], where: [], params: [] };
      scopeColumn(v, s, `c.${q(s.customerScope.column)}`, s.customerScope.holds, user.department);
      where.push(...v.where);
      params.push(...v.params);
    } else {
      from += ` JOIN ${q(s.salesman.table)} AS cs ON cs.${q('id')} = c.${q(s.customer.columns.salesman!)}`
        + ` JOIN ${q(s.department.table)} AS cd ON cd.${q('id')} = cs.${q(s.salesman.columns.department!)}`;
      const cm = deptMatch(user.department, `cd.${q('code')}`);
      where.push(cm.sql);
      params.push(...cm.params);
    }
  }
  if (user.customerGrade !== undefined) {
    where.push(`c.${q(s.customer.columns.grade!)} = ?`);
    params.push(user.customerGrade);
  }
  const scopeValue = scope ? `, d.${q(scope.holds === 'code' ? 'code' : 'id')}` : '';
  return {
    sql: `INSERT INTO ${q(O.table)} (${cols.join(', ')}) SELECT ?, ?, ?, c.${q('id')}, s.${q('id')}, ?, ?, ?, ?, 1${scopeValue} FROM ${from} WHERE ${where.join(' AND ')}`,
    params,
  };
}

export function orderById(s: FloorSchema, id: number): Statement {
  return { sql: `SELECT ${selectList(s.order, 'o', ORDER_FIELDS)} FROM ${q(s.order.table)} AS o WHERE o.${q('id')} = ?`, params: [id] };
}

/** LIKE '%text%' with `!` escaping, as Stratum's `contains`. */
export const likeContains = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
