/**
 * The users of the million-row benchmark. Stratum gets them through its API (roles, permissions, rules); the two
 * floors hard-code the same restrictions in hand-written SQL, as an application without a rule
 * engine would.
 */
export interface BenchUser {
  readonly username: string;
  /** Department code (V-1). */
  readonly department: string;
  /** A rule on customer: only customers of this grade (V-7). */
  readonly customerGrade?: 'gold';
  /** A rule on order: only orders above this amount (V-9). */
  readonly orderAmountGt?: number;
}

export const ADMIN_PASSWORD = 'bench-admin-password';
export const USER_PASSWORD = 'bench-user-password';
export const STAFF_ROLE = 'bench_staff';
/** The modules the staff role may read and create. */
export const STAFF_MODULES = ['order', 'customer', 'salesman', 'department'] as const;
/** Rules restrict reads and creates alike: nobody creates a record they could not then see. */
export const RULE_ACTIONS = ['read', 'create'] as const;

export const BENCH_USERS: readonly BenchUser[] = [
  { username: 'sales_0010', department: '0010' },
  { username: 'gold_analyst_001002', department: '001002', customerGrade: 'gold' },
  { username: 'big_orders', department: '00', orderAmountGt: 100_000 },
];

/** Everybody the benchmark measures, admin last. */
export const MEASURED_USERS = [...BENCH_USERS.map((u) => u.username), 'admin'] as const;

/** The rule records of a bench user, as sent to `POST /api/data/rule`. */
export function rulesOf(user: BenchUser): { name: string; module: string; filter: unknown }[] {
  const rules: { name: string; module: string; filter: unknown }[] = [];
  if (user.customerGrade) rules.push({ name: `${user.username}: ${user.customerGrade} customers`, module: 'customer', filter: { grade: user.customerGrade } });
  if (user.orderAmountGt !== undefined) {
    rules.push({ name: `${user.username}: orders above ${user.orderAmountGt}`, module: 'order', filter: { amount: { gt: user.orderAmountGt } } });
  }
  return rules;
}
