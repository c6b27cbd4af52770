/**
 * Visibility against the in-memory oracle (STYLE.md), as a property: random worlds — a department
 * tree with random flags, salesmen, customers, orders, order lines, helpers — and random users
 * (department, extra departments, rules on any module with random filters) asking random lists
 * and aggregates with random filters, including filters through related modules. For each case
 * the real read path (listRecords / aggregateRecords on SQLite and MariaDB) must return exactly
 * what API.md's "Record visibility" says, computed here in memory, independently of core/rules
 * and core/data/visible.ts:
 *
 * - a record is visible when every base module it reaches (by the schema's scope paths, written
 *   out below) that restricts the user is reached and matches the OR of the user's read rules on
 *   it, the department restriction being a code prefix (V-2..V-5, V-8); seeAll restricts nothing;
 * - a predicate of the user's filter on a related record is true only if that record is visible
 *   (a record that is not there hides nothing); to-many quantifiers see visible records only;
 * - lists: ids, total, order (random sort, through references too), embedded records (shown only
 *   when visible); aggregates (V-6): count(), sum(amount), grouped by fields and reference paths,
 *   a group key read through a related record the user may not see counting as NULL.
 *
 * When the ids differ, the message says which side of the engine is wrong: the engine's own
 * condition (visibleWhere) run by the oracle either gives the SQL's rows (the condition is wrong)
 * or the expected ones (the SQL is wrong). Rows are bulk-loaded straight into the tables, then
 * `afterBulkLoad` fills the maintained `_scope` column, which is checked too.
 *
 * Reproduce a run with STRATUM_PROPERTY_SEED=<seed printed below> (and STRATUM_PROPERTY_PATH for
 * a counterexample's shrink path); STRATUM_PROPERTY_RUNS sets the number of worlds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Transaction } from 'sequelize';
import type { Condition, FieldRef } from '../../core/query/ast.js';
import { parseFilter } from '../../core/query/parse-filter.js';
import { readAll } from '../../core/query/field-access.js';
import { DataContext } from '../../core/data/context.js';
import { aggregateRecords, listRecords } from '../../core/data/read-records.js';
import { visibleWhere } from '../../core/data/visible.js';
import type { Access, Action } from '../../core/rules/access.js';
import type { Database } from '../../core/db/database.js';
import { grantsAccess } from '../../core/rules/grants-access.js';
import type { DepartmentInfo, Grants } from '../../core/rules/grants.js';
import * as oracle from '../../core/rules/oracle.js';
import type { OracleContext, StoredRow } from '../../core/rules/oracle.js';
import type { Module, ModuleGraph } from '../../core/schema/module.js';
import { describeEachDialect } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/app.js';

const WORLDS = Number(process.env.STRATUM_PROPERTY_RUNS ?? 40);
const CASES_PER_WORLD = 20;
const SEED = process.env.STRATUM_PROPERTY_SEED ? Number(process.env.STRATUM_PROPERTY_SEED) : (Math.random() * 2 ** 31) | 0;
const PATH = process.env.STRATUM_PROPERTY_PATH;

// ---------------------------------------------------------------------------------------------
// The schema. `customer.owner` does not carry restrictions (x-scope: false), so a visible
// customer may have an invisible owner: the case where "no side channel" matters for paths.

type Mod = 'department' | 'salesman' | 'customer' | 'order' | 'orderline';
const MODS: readonly Mod[] = ['department', 'salesman', 'customer', 'order', 'orderline'];

const DEFINITIONS = [
  { $id: 'salesman', type: 'object', properties: { name: { type: 'string', maxLength: 40 }, department: { type: 'integer', 'x-ref': 'department' } }, required: ['name'] },
  {
    $id: 'customer', type: 'object',
    properties: {
      name: { type: 'string', maxLength: 40 },
      grade: { type: 'string', enum: ['gold', 'silver', 'bronze'] },
      industry: { type: 'string', maxLength: 30 },
      owner: { type: 'integer', 'x-ref': 'salesman', 'x-scope': false },
    },
    required: ['name'],
  },
  {
    $id: 'order', type: 'object',
    properties: {
      number: { type: 'string', maxLength: 20 },
      amount: { type: 'number' },
      orderDate: { type: 'string', format: 'date' },
      customer: { type: 'integer', 'x-ref': 'customer' },
      salesman: { type: 'integer', 'x-ref': 'salesman' },
      helpers: { type: 'array', items: { type: 'integer' }, 'x-ref': 'salesman' },
    },
    required: ['number'],
  },
  { $id: 'orderline', type: 'object', properties: { order: { type: 'integer', 'x-ref': 'order' }, amount: { type: 'number' }, product: { type: 'string', maxLength: 20 } }, required: ['amount'] },
];
/** One-to-many relations, added once the modules they point at exist. */
const INVERSES: Record<string, Record<string, string>> = {
  salesman: { orders: 'order.salesman' },
  customer: { orders: 'order.customer' },
  order: { lines: 'orderline.order' },
};

type Kind = 'id' | 'ref' | 'code' | 'name' | 'grade' | 'industry' | 'number' | 'product' | 'amount' | 'date' | 'bool';
const FIELDS: Record<Mod, Record<string, Kind>> = {
  department: { id: 'id', code: 'code', name: 'name', seeAll: 'bool', seeSameLevel: 'bool' },
  salesman: { id: 'id', name: 'name', department: 'ref' },
  customer: { id: 'id', name: 'name', grade: 'grade', industry: 'industry', owner: 'ref' },
  order: { id: 'id', number: 'number', amount: 'amount', orderDate: 'date', customer: 'ref', salesman: 'ref' },
  orderline: { id: 'id', order: 'ref', amount: 'amount', product: 'product' },
};
const REFS: Record<Mod, Record<string, Mod>> = {
  department: {},
  salesman: { department: 'department' },
  customer: { owner: 'salesman' },
  order: { customer: 'customer', salesman: 'salesman' },
  orderline: { order: 'order' },
};
const RELATIONS: Record<Mod, Record<string, Mod>> = {
  department: {},
  salesman: { orders: 'order' },
  customer: { orders: 'order' },
  order: { lines: 'orderline', helpers: 'salesman' },
  orderline: {},
};
/**
 * API.md rules 1 and 4, written out for this schema: the base modules each module reaches and
 * the path to each. `customer.owner` says x-scope: false, so customers reach nothing.
 */
const BASES: Record<Mod, readonly (readonly [Mod, readonly string[]])[]> = {
  department: [['department', []]],
  salesman: [['salesman', []], ['department', ['department']]],
  customer: [['customer', []]],
  order: [['order', []], ['customer', ['customer']], ['salesman', ['salesman']], ['department', ['salesman', 'department']]],
  orderline: [['orderline', []], ['order', ['order']], ['customer', ['order', 'customer']], ['salesman', ['order', 'salesman']], ['department', ['order', 'salesman', 'department']]],
};

// ---------------------------------------------------------------------------------------------
// Value pools: small, so that filters hit; with case variants, trailing spaces and LIKE's
// special characters. Text that is ordered (gt/lt/between) is letters, digits and spaces only,
// where the oracle orders exactly as MariaDB's collation does.

const NAMES = ['ann', 'Ann', 'bob', 'BOB', 'c d', 'cd', 'dora'];
const GRADES = ['gold', 'silver', 'bronze'];
const INDUSTRIES = ['it', 'IT', 'edu', 'Edu ', 'a_b', 'a%b', 'axb', 'x!y', 'b\\c'];
const NUMBERS = ['o1', 'O1', 'o10', 'x_1', 'x%1', 'o!2'];
const PRODUCTS = ['pen', 'Pen', 'ink', 'a_b', 'a%b'];
const AMOUNTS = [0, 42, 99999, 100000, 100000.5, 150000, 250000.25];
const DATES = ['2024-01-15', '2024-12-31', '2025-01-01', '2025-06-30'];
const ROOTS = ['00', '01'];
const SUFFIXES = ['01', '02', '10', '11'];
/** Substrings for contains/startsWith/endsWith: `_` and `%` where, unescaped, they would match other text (`o_` would match o1). */
const FRAGMENTS = ['', 'a', 'A', 'b', 'T', 'it', 'du', '_', '%', '!', 'a_', 'a_b', 'a%', 'o_', '_1', 'x_', '%1', 'x%', 'x!', 'o!', '\\', ' ', 'o1', 'N', 'en', 'ol', '0', '1'];

const TEXT_VALUES: Partial<Record<Kind, readonly string[]>> = {
  name: NAMES, grade: [...GRADES, 'GOLD', 'Silver '], industry: INDUSTRIES, number: NUMBERS, product: PRODUCTS,
};
const ORDERED_TEXT = new Set<Kind>(['code', 'name', 'grade']);

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const codeArb = fc.tuple(pick(ROOTS), fc.array(pick(SUFFIXES), { maxLength: 3 })).map(([r, s]) => r + s.join(''));

function valueArb(kind: Kind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'id':
    case 'ref':
      return fc.integer({ min: 1, max: 14 });
    case 'amount':
      return fc.oneof(pick(AMOUNTS), fc.integer({ min: -5, max: 300000 }));
    case 'date':
      return pick(DATES);
    case 'bool':
      return fc.boolean();
    case 'code':
      return codeArb;
    default:
      return pick(TEXT_VALUES[kind]!);
  }
}

/**
 * `{ path: <operators> }` for a field of `kind`, a quarter of them negated. Weighted towards what
 * differs between right and wrong SQL: negations over NULLs (`ne`, `nin`, `not between`) and LIKE
 * with `_`, `%` and `!` in the operand.
 */
function compareArb(path: string, kind: Kind): fc.Arbitrary<Record<string, unknown>> {
  const v = valueArb(kind);
  const list = fc.array(v, { maxLength: 3 });
  const text = kind === 'code' || TEXT_VALUES[kind] !== undefined;
  const ordered = !text || ORDERED_TEXT.has(kind);
  const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>): fc.WeightedArbitrary<unknown> => ({ weight, arbitrary });
  const ops: fc.WeightedArbitrary<unknown>[] = [
    w(1, v), // equality shorthand
    w(1, v.map((x) => ({ eq: x }))),
    w(2, v.map((x) => ({ ne: x }))),
    w(1, list.map((xs) => ({ in: xs }))),
    w(2, list.map((xs) => ({ nin: xs }))),
    w(1, fc.boolean().map((b) => ({ isNull: b }))),
  ];
  if (kind === 'ref' || kind === 'id') ops.push(w(1, fc.constant(null)), w(1, fc.constant({ ne: null })), w(1, list));
  if (ordered && kind !== 'bool') {
    ops.push(
      w(1, v.map((x) => ({ gt: x }))), w(1, v.map((x) => ({ gte: x }))), w(1, v.map((x) => ({ lt: x }))), w(1, v.map((x) => ({ lte: x }))),
      w(2, fc.tuple(v, v).map((xs) => ({ between: xs }))),
      w(1, fc.tuple(v, v).map(([a, b]) => ({ gte: a, lt: b }))),
    );
  }
  if (text) {
    const fragment = kind === 'code' ? fc.oneof(codeArb, pick(['0', '00', '001', '1', ''])) : fc.oneof({ weight: 3, arbitrary: pick(FRAGMENTS) }, { weight: 1, arbitrary: v as fc.Arbitrary<string> });
    ops.push(w(4, fragment.map((s) => ({ contains: s }))), w(3, fragment.map((s) => ({ startsWith: s }))), w(3, fragment.map((s) => ({ endsWith: s }))));
  }
  const leaf = fc.oneof(...ops).map((op) => ({ [path]: op }));
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: leaf.map((l) => ({ not: l })) });
}

/** Every reference path of at most `max` steps from `mod`, with the module it ends at. */
function refPaths(mod: Mod, max: number): { refs: string[]; end: Mod }[] {
  const out = [{ refs: [] as string[], end: mod }];
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    if (p.refs.length >= max) continue;
    for (const [name, target] of Object.entries(REFS[p.end])) out.push({ refs: [...p.refs, name], end: target });
  }
  return out;
}

const filterCache = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

/** A filter of the filter language on `mod`, nested at most `depth` deep. */
function filterArb(mod: Mod, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const key = `${mod}:${depth}`;
  const cached = filterCache.get(key);
  if (cached) return cached;
  const leaves: fc.WeightedArbitrary<Record<string, unknown>>[] = [];
  for (const { refs, end } of refPaths(mod, 3)) {
    const weight = [8, 4, 2, 1][refs.length]!;
    const fields = Object.entries(FIELDS[end]);
    leaves.push({
      weight,
      arbitrary: fc.oneof(...fields.map(([f, kind]) => compareArb([...refs, f].join('.'), kind))),
    });
    if (depth > 0 && refs.length <= 1) {
      for (const [rel, target] of Object.entries(RELATIONS[end])) {
        leaves.push({
          weight: refs.length === 0 ? 2 : 1,
          arbitrary: fc.tuple(pick(['some', 'none', 'every']), filterArb(target, depth - 1)).map(([q, where]) => ({ [[...refs, rel].join('.')]: { [q]: where } })),
        });
      }
    }
  }
  const leaf = fc.oneof(...leaves);
  let arb = leaf;
  if (depth > 0) {
    const sub = filterArb(mod, depth - 1);
    arb = fc.oneof(
      { weight: 6, arbitrary: leaf },
      { weight: 1, arbitrary: fc.array(sub, { maxLength: 3 }).map((items) => ({ and: items })) },
      { weight: 2, arbitrary: fc.array(sub, { maxLength: 3 }).map((items) => ({ or: items })) },
      { weight: 2, arbitrary: sub.map((item) => ({ not: item })) },
      { weight: 1, arbitrary: fc.tuple(leaf, sub).map(([a, b]) => ({ and: [a, b] })) },
    );
  }
  filterCache.set(key, arb);
  return arb;
}

// ---------------------------------------------------------------------------------------------
// Worlds, users and cases, as fast-check values. References are natural numbers taken modulo the
// number of candidates when the world is built, so that shrinking stays meaningful.

const nullable = <T>(arb: fc.Arbitrary<T>, freq = 6) => fc.option(arb, { nil: null, freq });

const worldArb = fc.record({
  roots: fc.subarray(ROOTS, { minLength: 1 }),
  levels: fc.array(fc.array(fc.record({ parent: fc.nat(), suffix: pick(SUFFIXES) }), { minLength: 1, maxLength: 3, size: 'max' }), { maxLength: 3, size: 'max' }),
  /** Per department: < 2 sees all, 2..5 sees its parent's level (of 20). */
  flags: fc.array(fc.nat({ max: 19 }), { minLength: 16, maxLength: 16 }),
  salesmen: fc.array(fc.record({ name: pick(NAMES), department: nullable(fc.nat()) }), { maxLength: 10, size: 'max' }),
  customers: fc.array(
    fc.record({ name: pick(NAMES), grade: nullable(pick(GRADES)), industry: nullable(pick(INDUSTRIES)), owner: nullable(fc.nat(), 3) }),
    { maxLength: 12, size: 'max' },
  ),
  orders: fc.array(
    fc.record({
      number: pick(NUMBERS),
      amount: nullable(pick(AMOUNTS), 4),
      orderDate: nullable(pick(DATES), 4),
      customer: nullable(fc.nat()),
      salesman: nullable(fc.nat()),
      helpers: fc.array(fc.nat(), { maxLength: 3 }),
    }),
    { maxLength: 40, size: 'max' },
  ),
  lines: fc.array(fc.record({ order: nullable(fc.nat(), 10), amount: pick(AMOUNTS), product: nullable(pick(PRODUCTS)) }), { maxLength: 60, size: 'max' }),
});
type WorldSpec = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

const ruleArb = fc.tuple(
  fc.oneof(
    ...(['customer', 'order', 'salesman', 'department', 'orderline'] as const).map((m) => ({
      weight: m === 'orderline' ? 1 : 3,
      arbitrary: filterArb(m, 2).map((filter) => ({ module: m as Mod, filter: filter as unknown })),
    })),
    // A rule that grants everything of its module, and one that no longer compiles (fails closed).
    { weight: 1, arbitrary: pick(['customer', 'order', 'salesman', 'department'] as Mod[]).map((module) => ({ module, filter: {} as unknown })) },
    { weight: 1, arbitrary: pick(['customer', 'order'] as Mod[]).map((module) => ({ module, filter: { nosuchfield: 1 } as unknown })) },
  ),
  fc.oneof({ weight: 8, arbitrary: fc.constant<Action[]>(['read']) }, { weight: 1, arbitrary: fc.constant<Action[]>(['read', 'update']) }, { weight: 1, arbitrary: fc.constant<Action[]>(['update']) }),
).map(([r, actions]) => ({ ...r, actions }));

const userArb = fc.record({
  department: nullable(fc.nat(), 8),
  extras: fc.array(fc.nat(), { maxLength: 2 }),
  rules: fc.array(ruleArb, { maxLength: 3 }),
});

/**
 * Sorts the list may ask for: letters, digits and spaces only (see the value pools), through
 * references too — a key read through a record the user may not see sorts as NULL.
 */
const SORTS: Record<Mod, readonly string[]> = {
  department: ['code', '-code', 'name', '-seeAll,code'],
  salesman: ['name', '-name', 'department.code', '-department.code'],
  customer: ['name', 'grade', '-owner.name', 'owner.department.code'],
  order: ['-amount', 'orderDate', 'customer.grade', '-salesman.name', 'salesman.department.code', 'customer.owner.name', '-amount,customer.name'],
  orderline: ['-amount', 'order.orderDate', '-order.customer.grade', 'order.salesman.name'],
};

const caseArb = fc.tuple(
  userArb,
  fc.oneof(
    ...([['order', 4], ['orderline', 2], ['customer', 2], ['salesman', 1], ['department', 1]] as const).map(([m, weight]) => ({
      weight,
      arbitrary: fc.record({
        module: fc.constant(m as Mod),
        filter: fc.oneof({ weight: 1, arbitrary: fc.constant({}) }, { weight: 5, arbitrary: filterArb(m, 3) }),
        sort: fc.option(pick(SORTS[m]), { nil: undefined, freq: 3 }),
      }),
    })),
  ),
).map(([user, query]) => ({ user, ...query }));
type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------
// Building a world: rows as the columns store them, for the database and for the oracle alike.

interface World {
  rows: Map<Mod, Map<number, Record<string, unknown>>>;
  helpers: { source: number; target: number }[];
  departments: DepartmentInfo[];
}

const STAMP = '2025-01-01 00:00:00.000';
const system = (id: number) => ({ id, createdAt: STAMP, updatedAt: STAMP, createdBy: null, updatedBy: null, version: 1 });
const refTo = (n: number | null, count: number) => (n === null || count === 0 ? null : (n % count) + 1);

function buildWorld(spec: WorldSpec): World {
  const codes: string[] = [...spec.roots];
  let previous = [...spec.roots];
  for (const level of spec.levels) {
    const next = [...new Set(level.map((c) => previous[c.parent % previous.length]! + c.suffix))];
    codes.push(...next);
    previous = next;
  }
  const departments = codes.map((code, i) => {
    const f = spec.flags[i % spec.flags.length]!;
    return { id: i + 1, code, seeAll: f < 2, seeSameLevel: f >= 2 && f < 6 };
  });
  const table = <T>(items: T[], row: (item: T, id: number) => Record<string, unknown>) =>
    new Map(items.map((item, i) => [i + 1, { ...system(i + 1), ...row(item, i + 1) }]));
  const nS = spec.salesmen.length;
  const nO = spec.orders.length;
  const rows = new Map<Mod, Map<number, Record<string, unknown>>>([
    ['department', table(departments, (d) => ({ code: d.code, name: `dept ${d.code}`, seeAll: d.seeAll ? 1 : 0, seeSameLevel: d.seeSameLevel ? 1 : 0 }))],
    ['salesman', table(spec.salesmen, (s) => ({ name: s.name, department: refTo(s.department, departments.length) }))],
    ['customer', table(spec.customers, (c) => ({ name: c.name, grade: c.grade, industry: c.industry, owner: refTo(c.owner, nS) }))],
    ['order', table(spec.orders, (o) => ({ number: o.number, amount: o.amount, orderDate: o.orderDate, customer: refTo(o.customer, spec.customers.length), salesman: refTo(o.salesman, nS) }))],
    ['orderline', table(spec.lines, (l) => ({ order: refTo(l.order, nO), amount: l.amount, product: l.product }))],
  ]);
  const helpers = spec.orders.flatMap((o, i) =>
    nS === 0 ? [] : [...new Set(o.helpers.map((h) => (h % nS) + 1))].map((target) => ({ source: i + 1, target })),
  );
  return { rows, helpers, departments };
}

/** Replaces the previous world's rows with this one's, in one transaction of bulk INSERTs. */
async function writeWorld(db: Database, world: World): Promise<void> {
  const q = (s: string) => db.quote(s);
  await db.transaction(async (tx) => {
    for (const table of ['order_helpers', 'orderline', 'order', 'customer', 'salesman', 'department']) {
      await db.delete({ sql: `DELETE FROM ${q(table)}`, params: [] }, tx);
    }
    for (const mod of ['department', 'salesman', 'customer', 'order', 'orderline'] as const) {
      await insertRows(db, mod, [...world.rows.get(mod)!.values()], tx);
    }
    await insertRows(db, 'order_helpers', world.helpers, tx);
  });
}

/**
 * The maintained `_scope` column (the department code each row reaches along its scope path):
 * computed here from the references, put into the oracle's rows — the engine's own condition reads
 * it — and compared with what the database holds after `afterBulkLoad`.
 */
async function withScopeColumns(db: Database, graph: ModuleGraph, world: World): Promise<void> {
  const octx: OracleContext = { graph, rows: world.rows as unknown as ReadonlyMap<string, ReadonlyMap<number, StoredRow>> };
  for (const mod of MODS) {
    const module = graph.modules.get(mod)!;
    const column = module.scopeColumn;
    if (!column) continue;
    const want = new Map<number, unknown>();
    for (const row of world.rows.get(mod)!.values()) {
      const department = oracle.follow(module, row, column.path, octx).record;
      row[column.column] = department === undefined ? null : department.code;
      want.set(Number(row.id), row[column.column]);
    }
    const q = (s: string) => db.quote(s);
    const stored = await db.all({ sql: `SELECT ${q('id')} AS id, ${q(column.column)} AS s FROM ${q(module.table)}`, params: [] });
    const got = new Map(stored.map((r) => [Number(r.id), r.s ?? null]));
    expect(got, `${mod}.${column.column} after afterBulkLoad (path ${column.path.join('.')})`).toEqual(want);
  }
}

async function insertRows(db: Database, table: string, rows: readonly Record<string, unknown>[], tx: Transaction): Promise<void> {
  if (rows.length === 0) return;
  const q = (s: string) => db.quote(s);
  const columns = Object.keys(rows[0]!);
  const params: unknown[] = [];
  const tuples = rows.map((r) => `(${columns.map((c) => (params.push(r[c]), `$${params.length}`)).join(', ')})`);
  await db.insert({ sql: `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${tuples.join(', ')}`, params }, tx);
}

// ---------------------------------------------------------------------------------------------
// The expectation, from API.md, independent of core/rules and core/data/visible.ts.

interface User {
  grants: Grants;
  /** Parsed read rules per base module; null for a rule that does not compile (it grants nothing). */
  rules: Map<Mod, (Condition | null)[]>;
  /** The granted department code prefixes, or 'all' (seeAll: the department restricts nothing). */
  codes: string[] | 'all';
}

function makeUser(spec: CaseSpec['user'], world: World, graph: ModuleGraph): User {
  const depts = world.departments;
  const own = spec.department === null || depts.length === 0 ? null : depts[spec.department % depts.length]!;
  const extras = depts.length === 0 ? [] : [...new Set(spec.extras.map((i) => depts[i % depts.length]!))];
  const grants: Grants = {
    userId: 1_000_000,
    username: 'prop',
    isAdmin: false,
    roleIds: [],
    department: own,
    extraDepartments: extras,
    departmentCodes: depts.map((d) => d.code),
    permissions: MODS.map((module) => ({ module, actions: ['read'] })),
    rules: spec.rules.map((r, i) => ({ id: i + 1, name: `rule ${i + 1}`, module: r.module, filter: r.filter, actions: r.actions })),
  };
  const rules = new Map<Mod, (Condition | null)[]>();
  for (const r of spec.rules) {
    if (!r.actions.includes('read')) continue;
    let cond: Condition | null;
    try {
      cond = parseFilter(r.filter, graph.modules.get(r.module)!, graph, readAll);
    } catch {
      cond = null;
    }
    rules.set(r.module, [...(rules.get(r.module) ?? []), cond]);
  }
  // V-2..V-4: the own code (its parent's with "same level"; the root is its own parent) and the
  // extra departments' codes, as prefixes; nothing with "see all".
  const codes = own?.seeAll
    ? 'all'
    : [...(own ? [own.seeSameLevel && own.code.length > 2 ? own.code.slice(0, -2) : own.code] : []), ...extras.map((d) => d.code)];
  return { grants, rules, codes };
}

class Expectation {
  private readonly memo = new Map<string, boolean>();

  constructor(
    private readonly user: User,
    private readonly ctx: OracleContext,
  ) {}

  private module(name: string): Module {
    return this.ctx.graph.modules.get(name)!;
  }

  /** API.md "Record visibility" 1–5 for one record. */
  visible(mod: Mod, row: StoredRow): boolean {
    const key = `${mod}:${String(row.id)}`;
    let seen = this.memo.get(key);
    if (seen === undefined) {
      seen = BASES[mod].every(([base, path]) => this.baseAllows(mod, row, base, path));
      this.memo.set(key, seen);
    }
    return seen;
  }

  private baseAllows(mod: Mod, row: StoredRow, base: Mod, path: readonly string[]): boolean {
    const rules = this.user.rules.get(base) ?? [];
    const department = base === 'department' ? this.user.codes : undefined;
    if (department === 'all') return true;
    if (rules.length === 0 && department === undefined) return true;
    const reached = oracle.follow(this.module(mod), row, path, this.ctx).record;
    if (reached === undefined) return false;
    if (department?.some((c) => String(reached.code).startsWith(c))) return true;
    return rules.some((r) => r !== null && oracle.evaluate(r, this.module(base), reached, this.ctx));
  }

  /** Every record met along `refs` that is there is visible; a missing one hides nothing. */
  pathSeen(mod: Module, row: StoredRow, refs: readonly string[]): boolean {
    return oracle.walk(mod, row, refs, this.ctx).every((s) => s.record === undefined || this.visible(s.module.name as Mod, s.record));
  }

  /** The user's own filter, where a predicate on a related record is true only if the user sees that record. */
  filter(cond: Condition, mod: Module, row: StoredRow): boolean {
    switch (cond.kind) {
      case 'const':
        return cond.value;
      case 'and':
        return cond.items.every((c) => this.filter(c, mod, row));
      case 'or':
        return cond.items.some((c) => this.filter(c, mod, row));
      case 'not':
        return !this.filter(cond.item, mod, row);
      case 'compare':
        return this.pathSeen(mod, row, cond.target.refs) && oracle.evaluate(cond, mod, row, this.ctx);
      case 'relation': {
        if (!this.pathSeen(mod, row, cond.refs)) return false;
        const owner = oracle.follow(mod, row, cond.refs, this.ctx);
        const { module: target, records } = oracle.related(owner.module, owner.record, cond.relation, this.ctx);
        const seen = records.filter((r) => this.visible(target.name as Mod, r));
        return oracle.quantify(cond.quantifier, seen, (r) => this.filter(cond.where, target, r));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What each case asks, and what it should get.

const LIST_FIELDS: Record<Mod, { fields: string; embedded: FieldRef[]; helpers?: boolean }> = {
  department: { fields: 'id,code', embedded: [] },
  salesman: { fields: 'id,department.code', embedded: [{ refs: ['department'], field: 'code' }] },
  customer: { fields: 'id,owner.name', embedded: [{ refs: ['owner'], field: 'name' }] },
  order: { fields: 'id,customer.grade,salesman.name,helpers', embedded: [{ refs: ['customer'], field: 'grade' }, { refs: ['salesman'], field: 'name' }], helpers: true },
  orderline: { fields: 'id,order.number', embedded: [{ refs: ['order'], field: 'number' }] },
};
const AMOUNT: FieldRef = { refs: [], field: 'amount' };
/** Names group case-insensitively ('ann' and 'Ann' are one group, shown in either spelling). */
const AGGREGATES: Record<Mod, { groupBy?: string; sum: boolean }[]> = {
  department: [{ sum: false }],
  salesman: [{ sum: false }, { groupBy: 'department.code', sum: false }, { groupBy: 'name', sum: false }],
  customer: [{ sum: false }, { groupBy: 'owner.department.code', sum: false }, { groupBy: 'grade', sum: false }, { groupBy: 'owner.name', sum: false }],
  order: [{ sum: true }, { groupBy: 'customer.grade', sum: true }, { groupBy: 'salesman.department.code', sum: true }, { groupBy: 'salesman.name', sum: true }],
  orderline: [{ sum: true }, { groupBy: 'order.customer.grade', sum: true }],
};
/** A group key as the collation sees it: which spelling a database shows for a group is its choice. */
const groupKeyOf = (row: Record<string, unknown>, name: string) => ({ ...row, [name]: typeof row[name] === 'string' ? (row[name] as string).toLowerCase() : row[name] });

function describeCase(c: CaseSpec, user: User, world: World): string {
  const dump = [...world.rows].map(([m, rows]) => `  ${m}: ${JSON.stringify([...rows.values()].map((r) => {
    const { createdAt, updatedAt, createdBy, updatedBy, version, ...rest } = r;
    return rest;
  }))}`);
  return [
    `query: ${c.module} filter=${JSON.stringify(c.filter)} sort=${c.sort ?? ''}`,
    `user: department=${JSON.stringify(user.grants.department)} extra=${JSON.stringify(user.grants.extraDepartments.map((d) => d.code))}`,
    `rules: ${JSON.stringify(user.grants.rules.map((r) => ({ module: r.module, filter: r.filter, actions: r.actions })))}`,
    `world:`,
    ...dump,
    `  order_helpers: ${JSON.stringify(world.helpers)}`,
  ].join('\n');
}

/** How discriminating the cases were: rows in the module, rows visible, rows visible and matching. */
interface Tally {
  cases: number;
  rows: number;
  visible: number;
  matching: number;
  nonEmpty: number;
  partial: number;
}

async function checkCase(app: TestApp, graph: ModuleGraph, world: World, octx: OracleContext, c: CaseSpec, tally: Tally): Promise<void> {
  const user = makeUser(c.user, world, graph);
  const actor = { id: user.grants.userId, username: 'prop', name: null, isAdmin: false };
  const access: Access = grantsAccess(user.grants, actor, graph, new Map());
  const ctx = new DataContext(app.stratum.db, app.stratum.registry, graph, access);
  const module = graph.modules.get(c.module)!;
  const exp = new Expectation(user, octx);
  const about = () => describeCase(c, user, world);
  const filterText = JSON.stringify(c.filter);
  const own = parseFilter(c.filter, module, graph, access);

  // What API.md says.
  const all = oracle.matching({ kind: 'and', items: [] }, module, octx);
  const seen = all.filter((r) => exp.visible(c.module, r));
  const want = seen.filter((r) => exp.filter(own, module, r));
  tally.cases++;
  tally.rows += all.length;
  tally.visible += seen.length;
  tally.matching += want.length;
  if (want.length > 0) tally.nonEmpty++;
  if (want.length > 0 && want.length < all.length) tally.partial++;

  // The list, every page (they are at most a few hundred rows).
  const spec = LIST_FIELDS[c.module];
  const got: Record<string, unknown>[] = [];
  let total = -1;
  for (let page = 1; ; page++) {
    const r = await listRecords(ctx, module, { filter: filterText, pageSize: '500', page: String(page), fields: spec.fields, ...(c.sort ? { sort: c.sort } : {}) });
    got.push(...r.data);
    total = r.meta.total ?? -1;
    if (r.data.length < 500) break;
  }
  const gotIds = got.map((d) => Number(d.id)).sort((a, b) => a - b);
  const wantIds = oracle.ids(want);
  if (JSON.stringify(gotIds) !== JSON.stringify(wantIds)) {
    // Which side of the engine: its own condition, evaluated in memory, against its SQL.
    const engineRows = oracle.matching(visibleWhere(module, 'read', own, access, graph), module, octx);
    const engineIds = oracle.ids(engineRows);
    const verdict = JSON.stringify(engineIds) === JSON.stringify(gotIds)
      ? 'the engine builds a different condition than API.md implies (its condition, run by the oracle, gives the SQL rows)'
      : JSON.stringify(engineIds) === JSON.stringify(wantIds)
        ? 'the SQL disagrees with the engine\'s own condition run by the oracle (a compiler or dialect issue)'
        : `neither: the engine's condition in the oracle gives ${JSON.stringify(engineIds)}`;
    expect(gotIds, `list ids differ: ${verdict}\n${about()}`).toEqual(wantIds);
  }
  expect(total, `list total\n${about()}`).toBe(wantIds.length);

  // The order: the sort asked for (or the module's default), then the id in the first key's direction.
  const terms = (c.sort ?? module.list.sort).split(',').map((t) => {
    const desc = t.startsWith('-');
    const path = (desc ? t.slice(1) : t).split('.');
    const target = { refs: path.slice(0, -1), field: path.at(-1)! };
    return { target, desc, hidden: (row: StoredRow) => !exp.pathSeen(module, row, target.refs) };
  });
  if (!terms.some((t) => t.target.refs.length === 0 && t.target.field === 'id')) terms.push({ target: { refs: [], field: 'id' }, desc: terms[0]?.desc ?? false, hidden: () => false });
  const wantOrder = oracle.sortRows(module, want, terms, octx).map((r) => Number(r.id));
  expect(got.map((d) => Number(d.id)), `list order for sort=${c.sort ?? `(default ${module.list.sort})`}\n${about()}`).toEqual(wantOrder);

  // Embedded records: shown when present and visible, otherwise absent.
  const byId = new Map(got.map((d) => [Number(d.id), d]));
  for (const row of want) {
    const data = byId.get(Number(row.id))!;
    for (const ref of spec.embedded) {
      const step = oracle.follow(module, row, ref.refs, octx);
      const shown = step.record !== undefined && exp.visible(step.module.name as Mod, step.record);
      const wantEmbedded = shown ? { id: Number(step.record!.id), [ref.field]: step.record![ref.field] } : null;
      expect(data[ref.refs[0]!], `embedded ${ref.refs.join('.')} of ${c.module} ${String(row.id)}\n${about()}`).toEqual(wantEmbedded);
    }
    if (spec.helpers) {
      const { module: target, records } = oracle.related(module, row, 'helpers', octx);
      const wantHelpers = oracle.ids(records.filter((r) => exp.visible(target.name as Mod, r)));
      expect(data.helpers, `helpers of order ${String(row.id)}\n${about()}`).toEqual(wantHelpers);
    }
  }

  // Aggregates: counts and sums (V-6), grouped through references; a group key read through a
  // related record the user may not see is NULL (the row still counts: it is visible).
  for (const agg of AGGREGATES[c.module]) {
    const metrics = agg.sum ? 'count(),sum(amount)' : 'count()';
    const r = await aggregateRecords(ctx, module, { filter: filterText, metrics, ...(agg.groupBy ? { groupBy: agg.groupBy } : {}) });
    let wanted: Record<string, unknown>[];
    if (!agg.groupBy) {
      wanted = [{ 'count()': want.length, ...(agg.sum ? { 'sum(amount)': oracle.sum(module, want, AMOUNT, octx) } : {}) }];
    } else {
      const by = { refs: agg.groupBy.split('.').slice(0, -1), field: agg.groupBy.split('.').at(-1)! };
      const hidden = (row: StoredRow) => !exp.pathSeen(module, row, by.refs);
      wanted = oracle.groupBy(module, want, by, octx, { hidden, ...(agg.sum ? { sumOf: AMOUNT } : {}) }).map((g) => ({
        [agg.groupBy!]: g.key,
        'count()': g.count,
        ...(agg.sum ? { 'sum(amount)': g.sum } : {}),
      }));
    }
    const key = agg.groupBy;
    const normal = (rows: Record<string, unknown>[]) => (key ? rows.map((row) => groupKeyOf(row, key)) : rows);
    expect(normal(r.data), `aggregate metrics=${metrics} groupBy=${agg.groupBy ?? ''}\n${about()}`).toEqual(normal(wanted));
  }
}

// ---------------------------------------------------------------------------------------------

describeEachDialect('visibility against the in-memory oracle: random worlds, users, rules and queries', (dialect) => {
  let app: TestApp;
  let graph: ModuleGraph;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    const admin = await app.admin();
    for (const def of DEFINITIONS) {
      const r = await admin.post('/api/modules', def);
      if (r.status !== 201) throw new Error(`creating ${def.$id}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    for (const [name, inverses] of Object.entries(INVERSES)) {
      const def = DEFINITIONS.find((d) => d.$id === name)!;
      const properties = { ...def.properties, ...Object.fromEntries(Object.entries(inverses).map(([p, inv]) => [p, { type: 'array', 'x-inverse': inv }])) };
      const r = await admin.put(`/api/modules/${name}`, { ...def, properties });
      if (r.status !== 200) throw new Error(`extending ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    graph = await app.stratum.registry.graph();
  });
  afterAll(async () => app?.close());

  it(`${WORLDS} worlds × ${CASES_PER_WORLD} cases: lists, totals, embedded records, counts, sums and groups match the oracle`, async () => {
    // eslint-disable-next-line no-console
    console.log(`[oracle-property ${dialect}] seed=${SEED} worlds=${WORLDS} cases/world=${CASES_PER_WORLD} (STRATUM_PROPERTY_SEED=${SEED} reproduces)`);
    const tally: Tally = { cases: 0, rows: 0, visible: 0, matching: 0, nonEmpty: 0, partial: 0 };
    await fc.assert(
      fc.asyncProperty(worldArb, fc.array(caseArb, { minLength: CASES_PER_WORLD, maxLength: CASES_PER_WORLD }), async (spec, specs) => {
        const world = buildWorld(spec);
        await writeWorld(app.stratum.db, world);
        await app.stratum.afterBulkLoad();
        await withScopeColumns(app.stratum.db, graph, world);
        const octx: OracleContext = {
          graph,
          rows: world.rows as unknown as ReadonlyMap<string, ReadonlyMap<number, StoredRow>>,
          junctions: new Map([['order_helpers', world.helpers]]),
          dialect: app.stratum.db.dialect.name,
        };
        for (const c of specs) {
          await checkCase(app, graph, world, octx, c, tally);
        }
      }),
      { seed: SEED, numRuns: WORLDS, ...(PATH ? { path: PATH } : {}), interruptAfterTimeLimit: 150_000, markInterruptAsFailure: true },
    );
    // eslint-disable-next-line no-console
    console.log(
      `[oracle-property ${dialect}] ${tally.cases} cases checked; rows in the queried module ${tally.rows}, visible ${tally.visible}, ` +
        `visible and matching ${tally.matching}; ${tally.nonEmpty} cases with a non-empty answer, ${tally.partial} with some but not all rows`,
    );
    if (!PATH) expect(tally.cases).toBeGreaterThanOrEqual(WORLDS * CASES_PER_WORLD);
  }, 240_000);
});
