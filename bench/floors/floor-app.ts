import { Hono } from 'hono';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { SEARCH_TERM } from '../lib/dataset.js';
import { BENCH_USERS, MEASURED_USERS } from '../lib/users.js';
import { DATETIME_FIELDS, type FloorSchema } from './schema.js';
import {
  orderById, q, q1Count, q1Page, q2Sum, q3Count, q3Page, q4One, q5Insert, variantsFor,
  type FloorUser, type NewOrder, type Statement, type Variant,
} from './sql.js';

/** The queries a floor tunes: the statement of each variant, for one user. */
const TUNED = {
  q1page: (s: FloorSchema, u: FloorUser, v: Variant) => q1Page(s, u, v),
  q1count: (s: FloorSchema, u: FloorUser, v: Variant) => q1Count(s, u, v),
  q2: (s: FloorSchema, u: FloorUser, v: Variant) => q2Sum(s, u, v),
  q3page: (s: FloorSchema, u: FloorUser, v: Variant) => q3Page(s, u, v, SEARCH_TERM),
  q3count: (s: FloorSchema, u: FloorUser, v: Variant) => q3Count(s, u, v, SEARCH_TERM),
} as const;
type Tuned = keyof typeof TUNED;
const KIND: Record<Tuned, 'order' | 'customer'> = { q1page: 'order', q1count: 'order', q2: 'order', q3page: 'customer', q3count: 'customer' };

export interface PlanChoice {
  readonly variant: Variant;
  /** Milliseconds of each variant tried, best of three (a variant over 1 s, or far slower than the best so far, is timed once). */
  readonly timings: Record<string, number>;
  readonly sql: string;
  readonly params: unknown[];
}

export interface Floor {
  readonly app: Hono;
  readonly schema: FloorSchema;
  readonly users: ReadonlyMap<string, FloorUser>;
  /** user → query → the chosen variant, with its SQL. */
  readonly plans: Record<string, Record<Tuned, PlanChoice>>;
}

/**
 * A floor: a bare Hono app answering Q1..Q5 with the same JSON as Stratum's API, through
 * hand-written SQL on `pool` (connectionLimit 10). The caller names the user with `?user=`.
 * At start it reads the users' departments from the database and, per user and query, times the
 * hand-written variants and keeps the fastest (they must agree, or it throws).
 */
export async function createFloor(
  schema: FloorSchema, pool: Pool, log: (line: string) => void = () => undefined,
  /** false: no variant is timed, and only Q4 and Q5 (which have one form each) are answered. */
  calibrated = true,
): Promise<Floor> {
  const users = await loadUsers(schema, pool);
  const plans: Record<string, Record<Tuned, PlanChoice>> = {};
  for (const user of calibrated ? users.values() : []) {
    const chosen = {} as Record<Tuned, PlanChoice>;
    for (const name of Object.keys(TUNED) as Tuned[]) {
      chosen[name] = await calibrate(pool, `${schema.name} ${user.username} ${name}`, variantsFor(KIND[name], schema, user, name === 'q1page')
        .map((variant) => ({ variant, statement: TUNED[name](schema, user, variant) })));
    }
    plans[user.username] = chosen;
    log(`${schema.name} ${user.username}: ${Object.entries(chosen).map(([k, c]) => `${k}=${c.variant}`).join(' ')}`);
  }

  const app = new Hono();
  const userOf = (name: string | undefined) => {
    const user = name ? users.get(name) : undefined;
    if (!user) throw new FloorError(401, 'unauthenticated', 'Name a known user with ?user=');
    return user;
  };
  app.onError((err, c) => {
    if (err instanceof FloorError) return c.json({ error: { code: err.code, message: err.message } }, err.status);
    return c.json({ error: { code: 'internal', message: String(err) } }, 500);
  });
  app.get('/api/data/order/aggregate', async (c) => {
    const user = userOf(c.req.query('user'));
    const rows = await all(pool, statementOf(plans, user, 'q2'));
    return c.json({ data: rows.map((r) => ({ 'year(orderDate)': String(r.year), 'sum(amount)': Number(r.sum) })) });
  });
  app.get('/api/data/order/:id{[1-9][0-9]{0,14}}', async (c) => {
    const user = userOf(c.req.query('user'));
    const id = Number(c.req.param('id'));
    const rows = await all(pool, q4One(schema, user, id));
    if (rows.length === 0) throw new FloorError(404, 'not_found', `order ${id} was not found`);
    const record = shape(rows[0]!);
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  });
  app.get('/api/data/order', async (c) => {
    const user = userOf(c.req.query('user'));
    // In parallel, as Stratum does: the page and the total on two connections.
    const [rows, count] = await Promise.all([all(pool, statementOf(plans, user, 'q1page')), all(pool, statementOf(plans, user, 'q1count'))]);
    return c.json({ data: rows.map(shape), meta: { total: Number(count[0]?.total ?? 0), page: 1, pageSize: 25 } });
  });
  app.get('/api/data/customer', async (c) => {
    const user = userOf(c.req.query('user'));
    const text = c.req.query('q') ?? '';
    const tuned = plans[user.username]!;
    // The variant was tuned on SEARCH_TERM; another text keeps the same form.
    const [rows, count] = await Promise.all([
      all(pool, q3Page(schema, user, tuned.q3page.variant, text)),
      all(pool, q3Count(schema, user, tuned.q3count.variant, text)),
    ]);
    return c.json({ data: rows.map(shape), meta: { total: Number(count[0]?.total ?? 0), page: 1, pageSize: 25 } });
  });
  app.post('/api/data/order', async (c) => {
    const user = userOf(c.req.query('user'));
    const order = newOrder(await c.req.json().catch(() => null));
    if (user.orderAmountGt !== undefined && !(order.amount > user.orderAmountGt)) {
      throw new FloorError(403, 'forbidden', 'The new order would be outside the records you may create');
    }
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const insert = q5Insert(schema, user, order, now);
    const [result] = await pool.execute<ResultSetHeader>(insert.sql, insert.params as never[]);
    if (result.affectedRows === 0) throw new FloorError(403, 'forbidden', 'The salesman or customer is not yours, or the order would be outside your scope');
    const rows = await all(pool, orderById(schema, result.insertId));
    return c.json(shape(rows[0]!), 201);
  });
  app.get('/plans', (c) => c.json({ schema: { ...schema }, plans }));
  return { app, schema, users, plans };
}

class FloorError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404, readonly code: string, message: string) {
    super(message);
  }
}


function statementOf(plans: Floor['plans'], user: FloorUser, name: Tuned): Statement {
  const plan = plans[user.username]?.[name];
  if (!plan) throw new Error(`This floor was started without timing its variants (FLOOR_CALIBRATE=0): it answers Q4 and Q5 only`);
  return plan;
}

async function all(pool: Pool, st: Statement): Promise<RowDataPacket[]> {
  const [rows] = await pool.execute<RowDataPacket[]>(st.sql, st.params as never[]);
  return rows;
}

/** A row with API field names → the record as Stratum returns it (date-times in ISO, UTC). */
function shape(row: RowDataPacket): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k] = DATETIME_FIELDS.has(k) && typeof v === 'string' ? new Date(`${v.replace(' ', 'T')}Z`).toISOString() : v;
  }
  return out;
}

function newOrder(body: unknown): NewOrder {
  const b = body as Partial<NewOrder> | null;
  const ok = b && typeof b.number === 'string' && b.number.length <= 32 && typeof b.amount === 'number' && b.amount >= 0
    && typeof b.orderDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(b.orderDate)
    && Number.isSafeInteger(b.customer) && Number.isSafeInteger(b.salesman);
  if (!ok) throw new FloorError(400, 'invalid', 'Send {"number","amount","orderDate","customer","salesman"}');
  return b as NewOrder;
}

/** The measured users as this floor's database knows them, with the restrictions of bench/lib/users.ts. */
async function loadUsers(s: FloorSchema, pool: Pool): Promise<Map<string, FloorUser>> {
  const U = s.user;
  const D = s.department;
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT u.${q('id')} AS id, u.${q(U.columns.username!)} AS username, d.${q('code')} AS code,
       d.${q(D.columns.seeAll!)} AS seeAll, d.${q(D.columns.seeSameLevel!)} AS seeSameLevel
     FROM ${q(U.table)} AS u LEFT JOIN ${q(D.table)} AS d ON d.${q('id')} = u.${q(U.columns.department!)}
     WHERE u.${q(U.columns.username!)} IN (${MEASURED_USERS.map(() => '?').join(', ')})`,
    [...MEASURED_USERS],
  );
  const [codeRows] = await pool.query<RowDataPacket[]>(`SELECT ${q('code')} AS code FROM ${q(D.table)}`);
  const codes = codeRows.map((r) => String(r.code));
  const out = new Map<string, FloorUser>();
  for (const r of rows) {
    const username = String(r.username);
    const id = Number(r.id);
    if (username === 'admin') {
      out.set(username, { id, username, admin: true, department: { kind: 'all' } });
      continue;
    }
    const bench = BENCH_USERS.find((u) => u.username === username)!;
    const code = r.code === null ? null : String(r.code);
    let department: FloorUser['department'];
    if (code === null) department = { kind: 'none' };
    else if (Number(r.seeAll) === 1) department = { kind: 'all' };
    else {
      const effective = Number(r.seeSameLevel) === 1 ? parentCode(code, codes) : code;
      department = { kind: 'code', code: effective, leaf: !codes.some((c) => c.length > effective.length && c.startsWith(effective)) };
    }
    out.set(username, {
      id, username, admin: false, department,
      ...(bench.customerGrade ? { customerGrade: bench.customerGrade } : {}),
      ...(bench.orderAmountGt !== undefined ? { orderAmountGt: bench.orderAmountGt } : {}),
    });
  }
  const missing = MEASURED_USERS.filter((u) => !out.has(u));
  if (missing.length > 0) throw new Error(`${s.name}: the database has no user ${missing.join(', ')}; run bench/generate.ts`);
  return out;
}

function parentCode(code: string, all: readonly string[]): string {
  let parent = '';
  for (const c of all) if (c.length < code.length && code.startsWith(c) && c.length > parent.length) parent = c;
  return parent === '' ? code : parent;
}

/** Times each variant (best of three) and keeps the fastest; the variants must give the same rows. */
async function calibrate(pool: Pool, label: string, candidates: { variant: Variant; statement: Statement }[]): Promise<PlanChoice> {
  const timings: Record<string, number> = {};
  let best: { variant: Variant; statement: Statement; ms: number } | undefined;
  let reference: string | undefined;
  for (const c of candidates) {
    let t = performance.now();
    const rows = await all(pool, c.statement);
    let ms = performance.now() - t;
    const key = JSON.stringify(rows);
    if (reference === undefined) reference = key;
    else if (key !== reference) throw new Error(`${label}: the ${c.variant} variant gives other rows than ${candidates[0]!.variant}; fix bench/floors/sql.ts`);
    // Slow variants are ranked by one run; the close ones by the best of three.
    if (candidates.length > 1 && ms < 1000 && (!best || ms < best.ms * 3)) {
      for (let i = 0; i < 2; i++) {
        t = performance.now();
        await all(pool, c.statement);
        ms = Math.min(ms, performance.now() - t);
      }
    }
    timings[c.variant] = Math.round(ms * 100) / 100;
    if (!best || ms < best.ms) best = { ...c, ms };
  }
  return { variant: best!.variant, timings, sql: best!.statement.sql, params: best!.statement.params };
}
