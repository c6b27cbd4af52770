import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Fetcher, Reply } from './client.js';
import { SEARCH_TERM } from './dataset.js';
import { BENCH_USERS } from './users.js';

export const QUERY_NAMES = ['Q1', 'Q2', 'Q3', 'Q4', 'Q5'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

export const QUERY_TITLES: Record<QueryName, string> = {
  Q1: 'list orders, page 1 of 25, sort -orderDate, with total',
  Q2: 'sum(amount) by year(orderDate)',
  Q3: `customers whose name contains "${SEARCH_TERM}", page 1, with total`,
  Q4: 'one order by id',
  Q5: 'create an order',
};

/** What a user's requests need beyond the user: an order they may read, a salesman and customer they may use. */
export interface UserContext {
  readonly username: string;
  readonly q4Id: number;
  readonly salesman: number;
  readonly customer: number;
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Q5 builds a new body (a new order number) for every request. */
  readonly body?: (n: number) => unknown;
}

/** Orders created by Q5 carry this prefix, so that they can be removed after a run. */
export const Q5_PREFIX = 'Q5-';

export function requestSpec(query: QueryName, ctx: UserContext, tag: string): RequestSpec {
  switch (query) {
    case 'Q1':
      return { method: 'GET', path: '/api/data/order?sort=-orderDate&page=1&pageSize=25' };
    case 'Q2':
      return { method: 'GET', path: `/api/data/order/aggregate?groupBy=${encodeURIComponent('year(orderDate)')}&metrics=${encodeURIComponent('sum(amount)')}` };
    case 'Q3':
      return { method: 'GET', path: `/api/data/customer?q=${encodeURIComponent(SEARCH_TERM)}&page=1&pageSize=25` };
    case 'Q4':
      return { method: 'GET', path: `/api/data/order/${ctx.q4Id}` };
    case 'Q5':
      return {
        method: 'POST',
        path: '/api/data/order',
        body: (n) => ({ number: `${Q5_PREFIX}${tag}-${n}`.slice(0, 32), amount: 250_000, orderDate: '2025-12-31', customer: ctx.customer, salesman: ctx.salesman }),
      };
  }
}

/** One system under test: Stratum (a session cookie per user) or a floor (`?user=`). */
export interface Target {
  readonly name: 'Stratum' | 'F1' | 'F2';
  readonly fetcher: Fetcher;
  /** The path and headers of `path` as `user`. */
  as(user: string, path: string): { path: string; headers: Record<string, string> };
}

export const floorTarget = (name: 'F1' | 'F2', fetcher: Fetcher): Target => ({
  name,
  fetcher,
  as: (user, path) => ({ path: `${path}${path.includes('?') ? '&' : '?'}user=${encodeURIComponent(user)}`, headers: {} }),
});

export const stratumTarget = (fetcher: Fetcher, cookies: Record<string, string>): Target => ({
  name: 'Stratum',
  fetcher,
  as: (user, path) => {
    const cookie = cookies[user];
    if (!cookie) throw new Error(`No Stratum session for ${user}`);
    return { path, headers: { cookie } };
  },
});

/** One request of `spec` as `user` on `target`, parsed. */
export async function send(target: Target, user: string, spec: RequestSpec, n = 0): Promise<Reply> {
  const { path, headers } = target.as(user, spec.path);
  const body = spec.body ? JSON.stringify(spec.body(n)) : undefined;
  const res = await target.fetcher(path, { method: spec.method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

/** JSON with sorted keys: two answers are the same when this is. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/**
 * Differences between the answers of several targets to one read query (Q1–Q4): the same status,
 * the same records (every field), the same totals, and sums equal to the cent.
 */
export function differences(query: QueryName, answers: Record<string, Reply>): string[] {
  const names = Object.keys(answers);
  const [first, ...rest] = names;
  if (!first) return [];
  const out: string[] = [];
  const ref = answers[first]!;
  if (ref.status !== 200) out.push(`${first} answered ${ref.status}: ${JSON.stringify(ref.body).slice(0, 300)}`);
  for (const name of rest) {
    const other = answers[name]!;
    if (other.status !== ref.status) {
      out.push(`${name} answered ${other.status}, ${first} ${ref.status}: ${JSON.stringify(other.body).slice(0, 300)}`);
      continue;
    }
    if (query === 'Q2') {
      const a = (ref.body as { data: Record<string, unknown>[] }).data ?? [];
      const b = (other.body as { data: Record<string, unknown>[] }).data ?? [];
      const years = (rows: Record<string, unknown>[]) => rows.map((r) => r['year(orderDate)']).join(',');
      if (years(a) !== years(b)) out.push(`${name} groups years ${years(b)}, ${first} ${years(a)}`);
      a.forEach((row, i) => {
        const x = Number(row['sum(amount)']);
        const y = Number(b[i]?.['sum(amount)']);
        if (!(Math.abs(x - y) < 0.005)) out.push(`${name} sums ${row['year(orderDate)']} to ${y}, ${first} to ${x}`);
      });
      continue;
    }
    if (canonical(other.body) !== canonical(ref.body)) {
      out.push(`${name} differs from ${first}: ${summary(other.body)} vs ${summary(ref.body)}`);
    }
  }
  return out;
}


function summary(body: unknown): string {
  const b = body as { data?: { id?: unknown }[]; meta?: { total?: unknown }; id?: unknown };
  if (Array.isArray(b?.data)) return `total ${b.meta?.total}, ids ${b.data.map((r) => r.id).join(',')}`;
  return canonical(body).slice(0, 400);
}

/**
 * For each user, a salesman and a customer of that salesman whom the user may see (and, for the
 * gold analyst, a gold one), read from Stratum's tables; ids are the same in the plain schema.
 */
export async function writeTargets(pool: Pool): Promise<Record<string, { salesman: number; customer: number }>> {
  const out: Record<string, { salesman: number; customer: number }> = {};
  for (const u of [...BENCH_USERS, { username: 'admin', department: '', customerGrade: undefined }]) {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT c.id AS customer, c.salesman AS salesman FROM customer AS c JOIN salesman AS s ON s.id = c.salesman
       JOIN department AS d ON d.id = s.department WHERE d.code LIKE ? ${u.customerGrade ? 'AND c.grade = ?' : ''} ORDER BY c.id LIMIT 1`,
      [`${u.department}%`, ...(u.customerGrade ? [u.customerGrade] : [])],
    );
    if (!rows[0]) throw new Error(`No customer that ${u.username} may use for Q5`);
    out[u.username] = { salesman: Number(rows[0].salesman), customer: Number(rows[0].customer) };
  }
  return out;
}

/** The order Q4 reads for a user: the last of their Q1 page (visible by construction). */
export function q4IdFrom(q1: Reply): number | undefined {
  const data = (q1.body as { data?: { id: number }[] }).data;
  return data && data.length > 0 ? data[data.length - 1]!.id : undefined;
}
