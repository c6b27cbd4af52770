/**
 * The query compiler's case table, tested twice (STYLE.md "The compiler is tested twice"):
 * compile-sql.test.ts asserts the exact SQL and parameters of each case on both dialects without a
 * database; compile-execute.test.ts runs the same statements on SQLite and MariaDB over the
 * dataset of fixtures.ts and asserts the rows written here.
 *
 * Expected SQL is written in SQLite quoting; on MySQL it is the same text with backticks (`my`),
 * except date buckets, which are written out for each dialect.
 */
import type { AggregateQuery, Condition, CountQuery, OrderBy, SelectQuery } from '../../core/query/ast.js';
import { compare, FALSE, fieldRef, not, or, TRUE } from '../../core/query/ast.js';
import type { Dialect } from '../../core/query/dialect.js';
import type { Compiled } from '../../core/query/ast.js';
import type { WriteCompiler } from '../../core/query/compile-write.js';
import { readAll } from '../../core/query/field-access.js';
import { parseAggregate } from '../../core/query/parse-aggregate.js';
import { parseFilter } from '../../core/query/parse-filter.js';
import { resolveVariables } from '../../core/query/variables.js';
import type { ModuleGraph } from '../../core/schema/module.js';
import { VARIABLES } from './fixtures.js';

/** SQLite text → MySQL text: only identifier quoting differs. */
export const my = (sql: string) => sql.replaceAll('"', '`');
export const inDialect = (sql: string, dialect: Dialect) => (dialect.name === 'sqlite' ? sql : my(sql));

/** A filter as a client sends it (parsed and its variables resolved), or an AST that no filter can spell. */
export interface Where {
  readonly filter?: unknown;
  readonly ast?: Condition;
}

export function whereOf(module: string, where: Where, graph: ModuleGraph): Condition {
  if (where.ast) return where.ast;
  if (!('filter' in where)) return TRUE;
  const cond = parseFilter(where.filter, graph.modules.get(module)!, graph);
  return resolveVariables(cond, module, graph, VARIABLES);
}

// ─── WHERE: one condition, compiled as `SELECT t0.id … WHERE … ORDER BY t0.id` ────────────────

export type WhereCase = Where & {
  readonly name: string;
  readonly module: string;
  /** The LEFT JOINs the condition needs, each with its leading space. */
  readonly joins?: string;
  readonly sql: string;
  readonly params: readonly unknown[];
  /** The ids of `module` it selects from fixtures.DATA, ascending. */
  readonly ids: readonly number[];
};

export const idQuery = (c: WhereCase, graph: ModuleGraph): SelectQuery => ({
  module: c.module,
  where: whereOf(c.module, c, graph),
  columns: [fieldRef('id')],
  orderBy: [{ target: fieldRef('id'), desc: false }],
});

export const idQuerySql = (c: WhereCase) =>
  `SELECT "t0"."id" AS "id" FROM "${c.module}" AS "t0"${c.joins ?? ''} WHERE ${c.sql} ORDER BY "t0"."id" ASC`;

const customers = [1, 2, 3, 4, 5];
const NOT_NULL = (col: string, sql: string) => `(${sql} OR ${col} IS NULL)`;
const credit = '"t0"."credit"';
const nameCol = '"t0"."name"';
const note = '"t0"."note"';

/** A case and its negation `{"not": filter}`. */
function withNot(c: { name: string; module?: string; filter: unknown; sql: string; params: unknown[]; ids: number[] },
  negated: { sql: string; ids: number[] }): WhereCase[] {
  const module = c.module ?? 'customer';
  return [
    { ...c, module },
    { name: `not ${c.name}`, module, filter: { not: c.filter }, sql: negated.sql, params: c.params, ids: negated.ids },
  ];
}

// Customers: credit 1000, 250.5, 0, NULL, 500; name Acme, Bolt, 100% Cotton, Under_score, Bang! Inc;
// note 'big client', NULL, 'cotton', NULL, 'Loud'. The negation of a comparison includes NULLs.
const compareCases: WhereCase[] = [
  ...withNot({ name: 'eq', filter: { credit: 500 }, sql: `${credit} = $1`, params: [500], ids: [5] },
    { sql: NOT_NULL(credit, `${credit} <> $1`), ids: [1, 2, 3, 4] }),
  ...withNot({ name: 'eq as an operator', filter: { credit: { eq: 500 } }, sql: `${credit} = $1`, params: [500], ids: [5] },
    { sql: NOT_NULL(credit, `${credit} <> $1`), ids: [1, 2, 3, 4] }),
  ...withNot({ name: 'ne', filter: { credit: { ne: 500 } }, sql: NOT_NULL(credit, `${credit} <> $1`), params: [500], ids: [1, 2, 3, 4] },
    { sql: `${credit} = $1`, ids: [5] }),
  ...withNot({ name: 'eq null', filter: { credit: null }, sql: `${credit} IS NULL`, params: [], ids: [4] },
    { sql: `${credit} IS NOT NULL`, ids: [1, 2, 3, 5] }),
  ...withNot({ name: 'ne null', filter: { credit: { ne: null } }, sql: `${credit} IS NOT NULL`, params: [], ids: [1, 2, 3, 5] },
    { sql: `${credit} IS NULL`, ids: [4] }),
  ...withNot({ name: 'gt', filter: { credit: { gt: 250.5 } }, sql: `${credit} > $1`, params: [250.5], ids: [1, 5] },
    { sql: NOT_NULL(credit, `${credit} <= $1`), ids: [2, 3, 4] }),
  ...withNot({ name: 'gte', filter: { credit: { gte: 250.5 } }, sql: `${credit} >= $1`, params: [250.5], ids: [1, 2, 5] },
    { sql: NOT_NULL(credit, `${credit} < $1`), ids: [3, 4] }),
  ...withNot({ name: 'lt', filter: { credit: { lt: 250.5 } }, sql: `${credit} < $1`, params: [250.5], ids: [3] },
    { sql: NOT_NULL(credit, `${credit} >= $1`), ids: [1, 2, 4, 5] }),
  ...withNot({ name: 'lte', filter: { credit: { lte: 250.5 } }, sql: `${credit} <= $1`, params: [250.5], ids: [2, 3] },
    { sql: NOT_NULL(credit, `${credit} > $1`), ids: [1, 4, 5] }),
  ...withNot({ name: 'in', filter: { credit: { in: [0, 1000] } }, sql: `${credit} IN ($1, $2)`, params: [0, 1000], ids: [1, 3] },
    { sql: NOT_NULL(credit, `${credit} NOT IN ($1, $2)`), ids: [2, 4, 5] }),
  ...withNot({ name: 'a list is in', filter: { credit: [0, '1000'] }, sql: `${credit} IN ($1, $2)`, params: [0, 1000], ids: [1, 3] },
    { sql: NOT_NULL(credit, `${credit} NOT IN ($1, $2)`), ids: [2, 4, 5] }),
  ...withNot({ name: 'nin', filter: { credit: { nin: [0, 1000] } }, sql: NOT_NULL(credit, `${credit} NOT IN ($1, $2)`), params: [0, 1000], ids: [2, 4, 5] },
    { sql: `${credit} IN ($1, $2)`, ids: [1, 3] }),
  ...withNot({ name: 'in []', filter: { credit: { in: [] } }, sql: '1=0', params: [], ids: [] },
    { sql: '1=1', ids: customers }),
  ...withNot({ name: 'nin []', filter: { credit: { nin: [] } }, sql: '1=1', params: [], ids: customers },
    { sql: '1=0', ids: [] }),
  ...withNot({ name: 'between', filter: { credit: { between: [100, 500] } }, sql: `${credit} BETWEEN $1 AND $2`, params: [100, 500], ids: [2, 5] },
    { sql: NOT_NULL(credit, `${credit} NOT BETWEEN $1 AND $2`), ids: [1, 3, 4] }),
  ...withNot({ name: 'contains', filter: { name: { contains: 'o' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['%o%'], ids: [2, 3, 4] },
    { sql: NOT_NULL(nameCol, `${nameCol} NOT LIKE $1 ESCAPE '!'`), ids: [1, 5] }),
  ...withNot({ name: 'startsWith', filter: { name: { startsWith: 'B' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['B%'], ids: [2, 5] },
    { sql: NOT_NULL(nameCol, `${nameCol} NOT LIKE $1 ESCAPE '!'`), ids: [1, 3, 4] }),
  ...withNot({ name: 'endsWith', filter: { name: { endsWith: 'e' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['%e'], ids: [1, 4] },
    { sql: NOT_NULL(nameCol, `${nameCol} NOT LIKE $1 ESCAPE '!'`), ids: [2, 3, 5] }),
  ...withNot({ name: 'startsWith on nullable text', filter: { note: { startsWith: 'big' } }, sql: `${note} LIKE $1 ESCAPE '!'`, params: ['big%'], ids: [1] },
    { sql: NOT_NULL(note, `${note} NOT LIKE $1 ESCAPE '!'`), ids: [2, 3, 4, 5] }),
  ...withNot({ name: 'isNull true', filter: { note: { isNull: true } }, sql: `${note} IS NULL`, params: [], ids: [2, 4] },
    { sql: `${note} IS NOT NULL`, ids: [1, 3, 5] }),
  ...withNot({ name: 'isNull false', filter: { note: { isNull: false } }, sql: `${note} IS NOT NULL`, params: [], ids: [1, 3, 5] },
    { sql: `${note} IS NULL`, ids: [2, 4] }),
  { name: 'enum', module: 'customer', filter: { grade: 'gold' }, sql: '"t0"."grade" = $1', params: ['gold'], ids: [1, 5] },
  { name: 'enum ne keeps NULL', module: 'customer', filter: { grade: { ne: 'gold' } }, sql: NOT_NULL('"t0"."grade"', '"t0"."grade" <> $1'), params: ['gold'], ids: [2, 3, 4] },
  { name: 'boolean is 0/1', module: 'customer', filter: { vip: true }, sql: '"t0"."vip" = $1', params: [1], ids: [1, 4] },
  { name: 'boolean as text', module: 'customer', filter: { vip: 'false' }, sql: '"t0"."vip" = $1', params: [0], ids: [2, 3, 5] },
  { name: 'date', module: 'customer', filter: { since: { gte: '2021-01-01' } }, sql: '"t0"."since" >= $1', params: ['2021-01-01'], ids: [2, 4] },
  { name: 'date-time in UTC', module: 'followup', filter: { date: { lt: '2025-04-01T12:00:00+02:00' } }, sql: '"t0"."date" < $1', params: ['2025-04-01 10:00:00.000'], ids: [2] },
  { name: 'contains on long text', module: 'customer', filter: { note: { contains: 'O' } }, sql: `${note} LIKE $1 ESCAPE '!'`, params: ['%O%'], ids: [3, 5] },
  { name: 'two operators on one field', module: 'customer', filter: { credit: { gt: 0, lt: 1000 } }, sql: `(${credit} > $1 AND ${credit} < $2)`, params: [0, 1000], ids: [2, 5] },
  { name: 'id', module: 'customer', filter: { id: { in: [2, 4, 99] } }, sql: '"t0"."id" IN ($1, $2, $3)', params: [2, 4, 99], ids: [2, 4] },
];

// `!` is the LIKE escape character on both dialects, so %, _ and ! match only themselves.
const likeCases: WhereCase[] = [
  { name: 'contains %', module: 'customer', filter: { name: { contains: '%' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['%!%%'], ids: [3] },
  { name: 'contains _', module: 'customer', filter: { name: { contains: '_' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['%!_%'], ids: [4] },
  { name: 'contains !', module: 'customer', filter: { name: { contains: '!' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['%!!%'], ids: [5] },
  { name: 'startsWith 100%', module: 'customer', filter: { name: { startsWith: '100%' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['100!%%'], ids: [3] },
  { name: 'endsWith _score', module: 'customer', filter: { name: { endsWith: 'r_score' } }, sql: `${nameCol} LIKE $1 ESCAPE '!'`, params: ['%r!_score'], ids: [4] },
  { name: 'eq is not a pattern', module: 'customer', filter: { name: 'Under%' }, sql: `${nameCol} = $1`, params: ['Under%'], ids: [] },
];

const logicCases: WhereCase[] = [
  {
    name: 'or of and',
    module: 'customer',
    filter: { or: [{ grade: 'gold' }, { and: [{ vip: true }, { credit: { isNull: true } }] }] },
    sql: '("t0"."grade" = $1 OR ("t0"."vip" = $2 AND "t0"."credit" IS NULL))',
    params: ['gold', 1],
    ids: [1, 4, 5],
  },
  {
    name: 'not of or of and (De Morgan, NULLs kept)',
    module: 'customer',
    filter: { not: { or: [{ grade: 'gold' }, { and: [{ vip: true }, { credit: { isNull: true } }] }] } },
    sql: '(("t0"."grade" <> $1 OR "t0"."grade" IS NULL) AND (("t0"."vip" <> $2 OR "t0"."vip" IS NULL) OR "t0"."credit" IS NOT NULL))',
    params: ['gold', 1],
    ids: [2, 3],
  },
  { name: 'not not', module: 'customer', filter: { not: { not: { grade: 'gold' } } }, sql: '"t0"."grade" = $1', params: ['gold'], ids: [1, 5] },
  { name: 'keys of one object are and-ed', module: 'customer', filter: { grade: 'gold', vip: false }, sql: '("t0"."grade" = $1 AND "t0"."vip" = $2)', params: ['gold', 0], ids: [5] },
  { name: 'nested and flattens', module: 'customer', filter: { and: [{ and: [{ grade: 'gold' }] }, { vip: false }] }, sql: '("t0"."grade" = $1 AND "t0"."vip" = $2)', params: ['gold', 0], ids: [5] },
  // Constant folding: an empty or is false (fail closed), an empty and is true.
  { name: 'empty or', module: 'customer', filter: { or: [] }, sql: '1=0', params: [], ids: [] },
  { name: 'empty and', module: 'customer', filter: { and: [] }, sql: '1=1', params: [], ids: customers },
  { name: 'empty filter', module: 'customer', filter: {}, sql: '1=1', params: [], ids: customers },
  { name: 'not of empty or', module: 'customer', filter: { not: { or: [] } }, sql: '1=1', params: [], ids: customers },
  { name: 'or with a true branch', module: 'customer', filter: { or: [{ and: [] }, { grade: 'gold' }] }, sql: '1=1', params: [], ids: customers },
  { name: 'and with a false branch', module: 'customer', filter: { and: [{ or: [] }, { grade: 'gold' }] }, sql: '1=0', params: [], ids: [] },
  { name: 'or with a false branch', module: 'customer', ast: or(compare('grade', 'eq', 'gold'), FALSE), sql: '"t0"."grade" = $1', params: ['gold'], ids: [1, 5] },
  { name: 'not true', module: 'customer', ast: not(TRUE), sql: '1=0', params: [], ids: [] },
  // Unfolded nodes, as a hand-built rule might give them, compile to the same constants.
  { name: 'raw empty or', module: 'customer', ast: { kind: 'or', items: [] }, sql: '1=0', params: [], ids: [] },
  { name: 'raw empty and', module: 'customer', ast: { kind: 'and', items: [] }, sql: '1=1', params: [], ids: customers },
  { name: 'raw not of empty or', module: 'customer', ast: { kind: 'not', item: { kind: 'or', items: [] } }, sql: '1=1', params: [], ids: customers },
  { name: 'raw one-item or', module: 'customer', ast: { kind: 'or', items: [compare('vip', 'eq', 0)] }, sql: '"t0"."vip" = $1', params: [0], ids: [2, 3, 5] },
];

// Orders: customer 1,1,2,3,NULL,5; salesman Alice(0010), Bob(001002), Carol(0020), NULL, Dave(no department), Bob.
const joinCustomer = ' LEFT JOIN "customer" AS "t1" ON "t1"."id" = "t0"."customer"';
const joinSalesmanDept = ' LEFT JOIN "salesman" AS "t1" ON "t1"."id" = "t0"."salesman" LEFT JOIN "department" AS "t2" ON "t2"."id" = "t1"."department"';
const pathCases: WhereCase[] = [
  { name: 'path of depth 1', module: 'order', filter: { 'customer.grade': 'gold' }, joins: joinCustomer, sql: '"t1"."grade" = $1', params: ['gold'], ids: [1, 2, 6] },
  {
    name: 'not through a path keeps orders without the record',
    module: 'order',
    filter: { not: { 'customer.grade': 'gold' } },
    joins: joinCustomer,
    sql: '("t1"."grade" <> $1 OR "t1"."grade" IS NULL)',
    params: ['gold'],
    ids: [3, 4, 5],
  },
  { name: 'path of depth 2', module: 'order', filter: { 'salesman.department.code': { startsWith: '0010' } }, joins: joinSalesmanDept, sql: `"t2"."code" LIKE $1 ESCAPE '!'`, params: ['0010%'], ids: [1, 2, 6] },
  {
    name: 'paths share their joins',
    module: 'order',
    filter: { or: [{ 'salesman.name': 'Carol' }, { 'salesman.department.code': '001002' }, { 'salesman.department.name': 'Sales' }] },
    joins: joinSalesmanDept,
    sql: '("t1"."name" = $1 OR "t2"."code" = $2 OR "t2"."name" = $3)',
    params: ['Carol', '001002', 'Sales'],
    ids: [1, 2, 3, 6],
  },
  {
    name: 'path of depth 3, joins added once and reused',
    module: 'orderline',
    filter: { and: [{ 'order.salesman.department.code': { startsWith: '0010' } }, { 'order.salesman.name': 'Bob' }, { 'order.amount': { gt: 50 } }] },
    joins:
      ' LEFT JOIN "order" AS "t1" ON "t1"."id" = "t0"."order" LEFT JOIN "salesman" AS "t2" ON "t2"."id" = "t1"."salesman"' +
      ' LEFT JOIN "department" AS "t3" ON "t3"."id" = "t2"."department"',
    sql: `("t3"."code" LIKE $1 ESCAPE '!' AND "t2"."name" = $2 AND "t1"."amount" > $3)`,
    params: ['0010%', 'Bob', 50],
    ids: [2, 4, 5],
  },
  {
    name: 'two paths through different refs',
    module: 'order',
    filter: { 'customer.vip': true, 'salesman.name': 'Alice' },
    joins: `${joinCustomer} LEFT JOIN "salesman" AS "t2" ON "t2"."id" = "t0"."salesman"`,
    sql: '("t1"."vip" = $1 AND "t2"."name" = $2)',
    params: [1, 'Alice'],
    ids: [1],
  },
  { name: 'isNull at the end of a path', module: 'order', filter: { 'salesman.department': { isNull: true } }, joins: ' LEFT JOIN "salesman" AS "t1" ON "t1"."id" = "t0"."salesman"', sql: '"t1"."department" IS NULL', params: [], ids: [4, 5] },
  { name: 'the reference itself', module: 'order', filter: { customer: 1 }, sql: '"t0"."customer" = $1', params: [1], ids: [1, 2] },
];

// Followups: customer 1 (recent, old), customer 2 (old), customer 4 (recent); 3 and 5 have none.
// Tags: customer 1 hot+cold, 2 hot, 3 none, 4 '50%_off', 5 cold.
const recent = '2025-05-16 12:00:00.000';
const followupsOf = (where: string, extraJoin = '') =>
  `SELECT 1 FROM "followup" AS "t1"${extraJoin} WHERE "t1"."customer" = "t0"."id" AND ${where}`;
const tagsOf = (where: string) =>
  `SELECT 1 FROM "customer_tags" AS "t2" JOIN "tag" AS "t1" ON "t1"."id" = "t2"."target" WHERE "t2"."source" = "t0"."id" AND ${where}`;
const relationCases: WhereCase[] = [
  { name: 'some (one-to-many)', module: 'customer', filter: { followups: { some: { date: { gt: '$now-30d' } } } }, sql: `EXISTS (${followupsOf('"t1"."date" > $1')})`, params: [recent], ids: [1, 4] },
  { name: 'none (one-to-many)', module: 'customer', filter: { followups: { none: { date: { gt: '$now-30d' } } } }, sql: `NOT EXISTS (${followupsOf('"t1"."date" > $1')})`, params: [recent], ids: [2, 3, 5] },
  {
    name: 'every (one-to-many), vacuously true without followups',
    module: 'customer',
    filter: { followups: { every: { date: { gt: '$now-30d' } } } },
    sql: `NOT EXISTS (${followupsOf('("t1"."date" <= $1 OR "t1"."date" IS NULL)')})`,
    params: [recent],
    ids: [3, 4, 5],
  },
  { name: 'not some (one-to-many)', module: 'customer', filter: { not: { followups: { some: { date: { gt: '$now-30d' } } } } }, sql: `NOT EXISTS (${followupsOf('"t1"."date" > $1')})`, params: [recent], ids: [2, 3, 5] },
  {
    name: 'not every (one-to-many)',
    module: 'customer',
    filter: { not: { followups: { every: { date: { gt: '$now-30d' } } } } },
    sql: `EXISTS (${followupsOf('("t1"."date" <= $1 OR "t1"."date" IS NULL)')})`,
    params: [recent],
    ids: [1, 2],
  },
  { name: 'none of anything', module: 'customer', filter: { followups: { none: {} } }, sql: `NOT EXISTS (${followupsOf('1=1')})`, params: [], ids: [3, 5] },
  {
    name: 'a path inside the related module joins inside the subquery',
    module: 'customer',
    filter: { followups: { some: { 'customer.vip': true } } },
    sql: `EXISTS (${followupsOf('"t2"."vip" = $1', ' LEFT JOIN "customer" AS "t2" ON "t2"."id" = "t1"."customer"')})`,
    params: [1],
    ids: [1, 4],
  },
  { name: 'some (many-to-many)', module: 'customer', filter: { tags: { some: { name: 'hot' } } }, sql: `EXISTS (${tagsOf('"t1"."name" = $1')})`, params: ['hot'], ids: [1, 2] },
  { name: 'none (many-to-many)', module: 'customer', filter: { tags: { none: { name: 'hot' } } }, sql: `NOT EXISTS (${tagsOf('"t1"."name" = $1')})`, params: ['hot'], ids: [3, 4, 5] },
  {
    name: 'every (many-to-many), vacuously true without tags',
    module: 'customer',
    filter: { tags: { every: { name: 'hot' } } },
    sql: `NOT EXISTS (${tagsOf('("t1"."name" <> $1 OR "t1"."name" IS NULL)')})`,
    params: ['hot'],
    ids: [2, 3],
  },
  { name: 'some (many-to-many) with a literal %', module: 'customer', filter: { tags: { some: { name: { contains: '%' } } } }, sql: `EXISTS (${tagsOf(`"t1"."name" LIKE $1 ESCAPE '!'`)})`, params: ['%!%%'], ids: [4] },
  {
    name: 'a path inside a many-to-many relation joins after the junction',
    module: 'customer',
    filter: { tags: { some: { 'owner.name': 'Bob' } } },
    sql:
      'EXISTS (SELECT 1 FROM "customer_tags" AS "t3" JOIN "tag" AS "t1" ON "t1"."id" = "t3"."target" LEFT JOIN "salesman" AS "t2" ON "t2"."id" = "t1"."owner"' +
      ' WHERE "t3"."source" = "t0"."id" AND "t2"."name" = $1)',
    params: ['Bob'],
    ids: [1, 5],
  },
  {
    name: 'every over a path inside a many-to-many relation',
    module: 'customer',
    filter: { tags: { every: { 'owner.name': 'Alice' } } },
    sql:
      'NOT EXISTS (SELECT 1 FROM "customer_tags" AS "t3" JOIN "tag" AS "t1" ON "t1"."id" = "t3"."target" LEFT JOIN "salesman" AS "t2" ON "t2"."id" = "t1"."owner"' +
      ' WHERE "t3"."source" = "t0"."id" AND ("t2"."name" <> $1 OR "t2"."name" IS NULL))',
    params: ['Alice'],
    ids: [2, 3],
  },
  {
    name: 'a relation inside a relation',
    module: 'customer',
    filter: { followups: { some: { 'customer.tags': { some: { name: 'hot' } } } } },
    sql:
      'EXISTS (SELECT 1 FROM "followup" AS "t1" LEFT JOIN "customer" AS "t2" ON "t2"."id" = "t1"."customer" WHERE "t1"."customer" = "t0"."id" AND' +
      ' EXISTS (SELECT 1 FROM "customer_tags" AS "t4" JOIN "tag" AS "t3" ON "t3"."id" = "t4"."target" WHERE "t4"."source" = "t2"."id" AND "t3"."name" = $1))',
    params: ['hot'],
    ids: [1, 2],
  },
  {
    name: 'none of a relation inside every of a relation',
    module: 'customer',
    filter: { followups: { every: { 'customer.tags': { none: { name: 'hot' } } } } },
    sql:
      'NOT EXISTS (SELECT 1 FROM "followup" AS "t1" LEFT JOIN "customer" AS "t2" ON "t2"."id" = "t1"."customer" WHERE "t1"."customer" = "t0"."id" AND' +
      ' EXISTS (SELECT 1 FROM "customer_tags" AS "t4" JOIN "tag" AS "t3" ON "t3"."id" = "t4"."target" WHERE "t4"."source" = "t2"."id" AND "t3"."name" = $1))',
    params: ['hot'],
    ids: [3, 4, 5],
  },
  {
    name: 'a relation at the end of a path',
    module: 'order',
    filter: { 'customer.followups': { some: { date: { gt: '$now-30d' } } } },
    joins: joinCustomer,
    sql: `EXISTS (SELECT 1 FROM "followup" AS "t2" WHERE "t2"."customer" = "t1"."id" AND "t2"."date" > $1)`,
    params: [recent],
    ids: [1, 2],
  },
  {
    name: 'some and none together',
    module: 'customer',
    filter: { tags: { some: { name: 'cold' } }, followups: { none: {} } },
    sql: `(EXISTS (${tagsOf('"t1"."name" = $1')}) AND NOT EXISTS (SELECT 1 FROM "followup" AS "t3" WHERE "t3"."customer" = "t0"."id" AND 1=1))`,
    params: ['cold'],
    ids: [5],
  },
];

// Variables, with now = 2025-06-15T12:00:00Z, $user.id = 2, $user.roles = [1, 3].
const variableCases: WhereCase[] = [
  { name: '$today+1w on a date', module: 'order', filter: { orderDate: { lt: '$today+1w' } }, sql: '"t0"."orderDate" < $1', params: ['2025-06-22'], ids: [1, 2, 3, 4, 5] },
  { name: '$now-1M on a date-time', module: 'followup', filter: { date: { gt: '$now-1M' } }, sql: '"t0"."date" > $1', params: ['2025-05-15 12:00:00.000'], ids: [1, 4] },
  { name: '$now-2h', module: 'followup', filter: { date: { gte: '$now-2h' } }, sql: '"t0"."date" >= $1', params: ['2025-06-15 10:00:00.000'], ids: [4] },
  { name: '$today on a date-time is midnight', module: 'followup', filter: { date: { gte: '$today' } }, sql: '"t0"."date" >= $1', params: ['2025-06-15 00:00:00.000'], ids: [4] },
  { name: '$user.id', module: 'order', filter: { salesman: '$user.id' }, sql: '"t0"."salesman" = $1', params: [2], ids: [2, 6] },
  { name: '$user.roles spreads into in', module: 'order', filter: { salesman: { in: ['$user.roles', 4] } }, sql: '"t0"."salesman" IN ($1, $2, $3)', params: [1, 3, 4], ids: [1, 3, 5] },
  { name: '$user.roles as eq is in', module: 'order', filter: { salesman: '$user.roles' }, sql: '"t0"."salesman" IN ($1, $2)', params: [1, 3], ids: [1, 3] },
  { name: 'a variable without a value never matches', module: 'order', filter: { salesman: '$user.department' }, sql: '1=0', params: [], ids: [] },
  { name: 'between two variables', module: 'followup', filter: { date: { between: ['$now-1M', '$now-3d'] } }, sql: '"t0"."date" BETWEEN $1 AND $2', params: ['2025-05-15 12:00:00.000', '2025-06-12 12:00:00.000'], ids: [1] },
];

export const WHERE_CASES: readonly WhereCase[] = [
  ...compareCases, ...likeCases, ...logicCases, ...pathCases, ...relationCases, ...variableCases,
];

// ─── SELECT with columns, order, limit, offset; flags ─────────────────────────────────────────

export type SelectCase = Where & {
  readonly name: string;
  readonly module: string;
  readonly columns: readonly string[];
  /** `-amount,id` */
  readonly sort: string;
  readonly limit?: number;
  readonly offset?: number;
  readonly flags?: readonly { readonly name: string; readonly filter: unknown }[];
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly rows: readonly Record<string, unknown>[];
};

export function selectQuery(c: SelectCase, graph: ModuleGraph): SelectQuery {
  const orderBy: OrderBy[] = c.sort.split(',').filter(Boolean).map((s) => ({ target: fieldRef(s.replace(/^-/, '')), desc: s.startsWith('-') }));
  return {
    module: c.module,
    where: whereOf(c.module, c, graph),
    columns: c.columns.map(fieldRef),
    ...(c.flags ? { flags: c.flags.map((f) => ({ name: f.name, when: whereOf(c.module, { filter: f.filter }, graph) })) } : {}),
    orderBy,
    ...(c.limit !== undefined ? { limit: c.limit } : {}),
    ...(c.offset !== undefined ? { offset: c.offset } : {}),
  };
}

export const SELECT_CASES: readonly SelectCase[] = [
  {
    name: 'columns through paths, order, limit and offset',
    module: 'order',
    columns: ['id', 'number', 'customer.name', 'salesman.department.code'],
    sort: '-amount',
    limit: 2,
    offset: 1,
    sql:
      'SELECT "t0"."id" AS "id", "t0"."number" AS "number", "t1"."name" AS "customer.name", "t3"."code" AS "salesman.department.code"' +
      ' FROM "order" AS "t0" LEFT JOIN "customer" AS "t1" ON "t1"."id" = "t0"."customer"' +
      ' LEFT JOIN "salesman" AS "t2" ON "t2"."id" = "t0"."salesman" LEFT JOIN "department" AS "t3" ON "t3"."id" = "t2"."department"' +
      ' WHERE 1=1 ORDER BY "t0"."amount" DESC LIMIT 2 OFFSET 1',
    params: [],
    rows: [
      { id: 4, number: 'O-4', 'customer.name': '100% Cotton', 'salesman.department.code': null },
      { id: 6, number: 'O-6', 'customer.name': 'Bang! Inc', 'salesman.department.code': '001002' },
    ],
  },
  {
    name: 'filter and sort share a join',
    module: 'order',
    filter: { 'customer.vip': false },
    columns: ['id', 'customer.name'],
    sort: 'customer.name,-id',
    sql:
      'SELECT "t0"."id" AS "id", "t1"."name" AS "customer.name" FROM "order" AS "t0" LEFT JOIN "customer" AS "t1" ON "t1"."id" = "t0"."customer"' +
      ' WHERE "t1"."vip" = $1 ORDER BY "t1"."name" ASC, "t0"."id" DESC',
    params: [0],
    rows: [
      { id: 4, 'customer.name': '100% Cotton' },
      { id: 6, 'customer.name': 'Bang! Inc' },
      { id: 3, 'customer.name': 'Bolt' },
    ],
  },
  {
    name: 'NULLs sort first, ascending, on both dialects',
    module: 'order',
    columns: ['id'],
    sort: 'orderDate',
    limit: 3,
    sql: 'SELECT "t0"."id" AS "id" FROM "order" AS "t0" WHERE 1=1 ORDER BY "t0"."orderDate" ASC LIMIT 3',
    params: [],
    rows: [{ id: 6 }, { id: 5 }, { id: 1 }],
  },
  {
    name: 'limit 0',
    module: 'customer',
    columns: ['id'],
    sort: 'id',
    limit: 0,
    sql: 'SELECT "t0"."id" AS "id" FROM "customer" AS "t0" WHERE 1=1 ORDER BY "t0"."id" ASC LIMIT 0',
    params: [],
    rows: [],
  },
  {
    name: 'flag parameters come before the WHERE parameters',
    module: 'order',
    filter: { status: 'paid' },
    columns: ['id'],
    flags: [{ name: 'big', filter: { amount: { gt: 500 } } }, { name: 'bob', filter: { 'salesman.name': 'Bob' } }],
    sort: 'id',
    sql:
      'SELECT "t0"."id" AS "id", CASE WHEN "t0"."amount" > $1 THEN 1 ELSE 0 END AS "big", CASE WHEN "t1"."name" = $2 THEN 1 ELSE 0 END AS "bob"' +
      ' FROM "order" AS "t0" LEFT JOIN "salesman" AS "t1" ON "t1"."id" = "t0"."salesman" WHERE "t0"."status" = $3 ORDER BY "t0"."id" ASC',
    params: [500, 'Bob', 'paid'],
    rows: [
      { id: 2, big: 1, bob: 1 },
      { id: 3, big: 0, bob: 0 },
      { id: 6, big: 0, bob: 1 },
    ],
  },
];

// ─── COUNT ────────────────────────────────────────────────────────────────────────────────────

export type CountCase = Where & { readonly name: string; readonly module: string; readonly sql: string; readonly params: readonly unknown[]; readonly total: number };

export const countQuery = (c: CountCase, graph: ModuleGraph): CountQuery => ({ module: c.module, where: whereOf(c.module, c, graph) });

export const COUNT_CASES: readonly CountCase[] = [
  { name: 'all', module: 'customer', sql: 'SELECT COUNT(*) AS "total" FROM "customer" AS "t0" WHERE 1=1', params: [], total: 5 },
  { name: 'a filter', module: 'order', filter: { status: 'paid' }, sql: 'SELECT COUNT(*) AS "total" FROM "order" AS "t0" WHERE "t0"."status" = $1', params: ['paid'], total: 3 },
  {
    name: 'a path',
    module: 'orderline',
    filter: { 'order.customer.grade': 'gold' },
    sql:
      'SELECT COUNT(*) AS "total" FROM "orderline" AS "t0" LEFT JOIN "order" AS "t1" ON "t1"."id" = "t0"."order"' +
      ' LEFT JOIN "customer" AS "t2" ON "t2"."id" = "t1"."customer" WHERE "t2"."grade" = $1',
    params: ['gold'],
    total: 4,
  },
  {
    name: 'a relation',
    module: 'customer',
    filter: { tags: { some: { name: 'hot' } } },
    sql: `SELECT COUNT(*) AS "total" FROM "customer" AS "t0" WHERE EXISTS (${tagsOf('"t1"."name" = $1')})`,
    params: ['hot'],
    total: 2,
  },
];

// ─── AGGREGATE: each date bucket, each metric ─────────────────────────────────────────────────

export type AggregateCase = Where & {
  readonly name: string;
  readonly module: string;
  readonly groupBy?: string;
  readonly metrics?: string;
  readonly limit?: string;
  /** A filter guarding the first group term: outside it the key reads as NULL (see GroupTerm.guard). */
  readonly groupGuard?: unknown;
  readonly sql: { readonly sqlite: string; readonly mysql: string };
  readonly params: readonly unknown[];
  /** Keyed g0…, m0… as the compiler names the columns; numbers compared to 6 decimals. */
  readonly rows: readonly Record<string, string | number | null>[];
};

export function aggregateQuery(c: AggregateCase, graph: ModuleGraph): AggregateQuery {
  const query = parseAggregate(
    { groupBy: c.groupBy, metrics: c.metrics, limit: c.limit },
    whereOf(c.module, c, graph),
    graph.modules.get(c.module)!,
    graph,
    readAll,
  );
  if (c.groupGuard === undefined) return query;
  const [first, ...rest] = query.groupBy;
  return { ...query, groupBy: [{ ...first!, guard: whereOf(c.module, { filter: c.groupGuard }, graph) }, ...rest] };
}

/** `SELECT <g> AS g0, COUNT(*) AS m0 FROM <table> AS t0 WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000` */
const bucketSql = (table: string, g: string, q: (s: string) => string) =>
  `SELECT ${g} AS ${q('g0')}, COUNT(*) AS ${q('m0')} FROM ${q(table)} AS ${q('t0')} WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000`;
const dq = (s: string) => `"${s}"`;
const bq = (s: string) => `\`${s}\``;
const bucket = (name: string, table: string, column: string, sqlite: (c: string) => string, mysql: (c: string) => string, rows: [string | number | null, number][]): AggregateCase => ({
  name,
  module: table,
  groupBy: name,
  sql: { sqlite: bucketSql(table, sqlite(`"t0"."${column}"`), dq), mysql: bucketSql(table, mysql(`\`t0\`.\`${column}\``), bq) },
  params: [],
  rows: rows.map(([g0, m0]) => ({ g0, m0 })),
});

export const AGGREGATE_CASES: readonly AggregateCase[] = [
  // Order dates: 2025-01-15 Wed, 2025-02-03 Mon, 2025-04-20 Sun, 2025-04-21 Mon, 2024-12-31 Tue, NULL.
  bucket('day(orderDate)', 'order', 'orderDate', (c) => `strftime('%Y-%m-%d', ${c})`, (c) => `DATE_FORMAT(${c}, '%Y-%m-%d')`,
    [[null, 1], ['2024-12-31', 1], ['2025-01-15', 1], ['2025-02-03', 1], ['2025-04-20', 1], ['2025-04-21', 1]]),
  // A week is named by its Monday.
  bucket('week(orderDate)', 'order', 'orderDate', (c) => `date(${c}, 'weekday 0', '-6 days')`, (c) => `DATE_FORMAT(DATE_SUB(${c}, INTERVAL WEEKDAY(${c}) DAY), '%Y-%m-%d')`,
    [[null, 1], ['2024-12-30', 1], ['2025-01-13', 1], ['2025-02-03', 1], ['2025-04-14', 1], ['2025-04-21', 1]]),
  bucket('month(orderDate)', 'order', 'orderDate', (c) => `strftime('%Y-%m', ${c})`, (c) => `DATE_FORMAT(${c}, '%Y-%m')`,
    [[null, 1], ['2024-12', 1], ['2025-01', 1], ['2025-02', 1], ['2025-04', 2]]),
  bucket('quarter(orderDate)', 'order', 'orderDate',
    (c) => `(strftime('%Y', ${c}) || '-Q' || ((CAST(strftime('%m', ${c}) AS INTEGER) + 2) / 3))`, (c) => `CONCAT(YEAR(${c}), '-Q', QUARTER(${c}))`,
    [[null, 1], ['2024-Q4', 1], ['2025-Q1', 2], ['2025-Q2', 2]]),
  bucket('year(orderDate)', 'order', 'orderDate', (c) => `CAST(strftime('%Y', ${c}) AS INTEGER)`, (c) => `YEAR(${c})`,
    [[null, 1], [2024, 1], [2025, 4]]),
  // Followup date-times (UTC): 2025-06-10 Tue, 2025-03-01 Sat, 2025-04-01 Tue, 2025-06-15 Sun 11:00.
  bucket('week(date)', 'followup', 'date', (c) => `date(${c}, 'weekday 0', '-6 days')`, (c) => `DATE_FORMAT(DATE_SUB(${c}, INTERVAL WEEKDAY(${c}) DAY), '%Y-%m-%d')`,
    [['2025-02-24', 1], ['2025-03-31', 1], ['2025-06-09', 2]]),
  bucket('day(date)', 'followup', 'date', (c) => `strftime('%Y-%m-%d', ${c})`, (c) => `DATE_FORMAT(${c}, '%Y-%m-%d')`,
    [['2025-03-01', 1], ['2025-04-01', 1], ['2025-06-10', 1], ['2025-06-15', 1]]),
  bucket('quarter(date)', 'followup', 'date',
    (c) => `(strftime('%Y', ${c}) || '-Q' || ((CAST(strftime('%m', ${c}) AS INTEGER) + 2) / 3))`, (c) => `CONCAT(YEAR(${c}), '-Q', QUARTER(${c}))`,
    [['2025-Q1', 1], ['2025-Q2', 3]]),
  {
    name: 'every metric, grouped by a field',
    module: 'order',
    groupBy: 'status',
    metrics: 'count(),sum(amount),avg(amount),min(amount),max(amount),countDistinct(customer)',
    sql: {
      sqlite:
        'SELECT "t0"."status" AS "g0", COUNT(*) AS "m0", SUM("t0"."amount") AS "m1", AVG("t0"."amount") AS "m2", MIN("t0"."amount") AS "m3",' +
        ' MAX("t0"."amount") AS "m4", COUNT(DISTINCT "t0"."customer") AS "m5" FROM "order" AS "t0" WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000',
      mysql:
        'SELECT `t0`.`status` AS `g0`, COUNT(*) AS `m0`, SUM(`t0`.`amount`) AS `m1`, AVG(`t0`.`amount`) AS `m2`, MIN(`t0`.`amount`) AS `m3`,' +
        ' MAX(`t0`.`amount`) AS `m4`, COUNT(DISTINCT `t0`.`customer`) AS `m5` FROM `order` AS `t0` WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000',
    },
    params: [],
    rows: [
      { g0: 'open', m0: 3, m1: 1099, m2: 1099 / 3, m3: 0, m4: 999, m5: 2 },
      { g0: 'paid', m0: 3, m1: 2840.75, m2: 2840.75 / 3, m3: 40, m4: 2500.75, m5: 3 },
    ],
  },
  {
    name: 'metrics without groups, with a filter and a limit',
    module: 'order',
    filter: { status: 'paid' },
    metrics: 'count(),min(orderDate),max(orderDate)',
    limit: '5',
    sql: {
      sqlite: 'SELECT COUNT(*) AS "m0", MIN("t0"."orderDate") AS "m1", MAX("t0"."orderDate") AS "m2" FROM "order" AS "t0" WHERE "t0"."status" = $1 LIMIT 5',
      mysql: 'SELECT COUNT(*) AS `m0`, MIN(`t0`.`orderDate`) AS `m1`, MAX(`t0`.`orderDate`) AS `m2` FROM `order` AS `t0` WHERE `t0`.`status` = $1 LIMIT 5',
    },
    params: ['paid'],
    rows: [{ m0: 3, m1: '2025-02-03', m2: '2025-04-20' }],
  },
  {
    name: 'grouped through a path of depth 2',
    module: 'order',
    groupBy: 'salesman.department.code',
    metrics: 'sum(amount)',
    sql: {
      sqlite:
        'SELECT "t2"."code" AS "g0", SUM("t0"."amount") AS "m0" FROM "order" AS "t0"' + joinSalesmanDept +
        ' WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000',
      mysql: my(
        'SELECT "t2"."code" AS "g0", SUM("t0"."amount") AS "m0" FROM "order" AS "t0"' + joinSalesmanDept +
        ' WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000',
      ),
    },
    params: [],
    rows: [
      { g0: null, m0: 999 },
      { g0: '0010', m0: 100 },
      { g0: '001002', m0: 2800.75 },
      { g0: '0020', m0: 40 },
    ],
  },
  {
    name: 'two groups, a bucket and a path',
    module: 'order',
    filter: { orderDate: { isNull: false } },
    groupBy: 'year(orderDate),customer.grade',
    metrics: 'count()',
    sql: {
      sqlite:
        `SELECT CAST(strftime('%Y', "t0"."orderDate") AS INTEGER) AS "g0", "t1"."grade" AS "g1", COUNT(*) AS "m0" FROM "order" AS "t0"${joinCustomer}` +
        ` WHERE "t0"."orderDate" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000`,
      mysql: my(
        `SELECT YEAR("t0"."orderDate") AS "g0", "t1"."grade" AS "g1", COUNT(*) AS "m0" FROM "order" AS "t0"${joinCustomer}` +
        ` WHERE "t0"."orderDate" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2 LIMIT 1000`,
      ),
    },
    params: [],
    rows: [
      { g0: 2024, g1: null, m0: 1 },
      { g0: 2025, g1: 'bronze', m0: 1 },
      { g0: 2025, g1: 'gold', m0: 2 },
      { g0: 2025, g1: 'silver', m0: 1 },
    ],
  },
  {
    // The key expression holds a parameter: GROUP BY repeats no expression, so MySQL has none to match.
    name: 'a guarded group key',
    module: 'order',
    groupBy: 'customer.grade',
    groupGuard: { 'customer.vip': true },
    sql: {
      // SQLite gives a CASE expression BINARY collation: the guarded text key keeps its column's NOCASE.
      sqlite: `SELECT CASE WHEN "t1"."vip" = $1 THEN "t1"."grade" END COLLATE NOCASE AS "g0", COUNT(*) AS "m0" FROM "order" AS "t0"${joinCustomer} WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000`,
      mysql: my(`SELECT CASE WHEN "t1"."vip" = $1 THEN "t1"."grade" END AS "g0", COUNT(*) AS "m0" FROM "order" AS "t0"${joinCustomer} WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000`),
    },
    params: [1],
    rows: [
      { g0: null, m0: 4 },
      { g0: 'gold', m0: 2 },
    ],
  },
  {
    // tag has a column named g0: grouping by the result name "g0" would group by that column.
    name: 'a table column named like a result column',
    module: 'tag',
    groupBy: 'kind',
    metrics: 'count(),sum(g0)',
    sql: {
      sqlite: 'SELECT "t0"."kind" AS "g0", COUNT(*) AS "m0", SUM("t0"."g0") AS "m1" FROM "tag" AS "t0" WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000',
      mysql: 'SELECT `t0`.`kind` AS `g0`, COUNT(*) AS `m0`, SUM(`t0`.`g0`) AS `m1` FROM `tag` AS `t0` WHERE 1=1 GROUP BY 1 ORDER BY 1 LIMIT 1000',
    },
    params: [],
    rows: [
      { g0: 'promo', m0: 1, m1: 3 },
      { g0: 'temp', m0: 2, m1: 3 },
    ],
  },
];

// ─── INSERT, UPDATE (version, guard), DELETE ──────────────────────────────────────────────────

export type WriteCase = {
  readonly name: string;
  readonly module: string;
  /** Whether the statement changes a row of the dataset (run in a transaction that is rolled back). */
  readonly changes: number;
  readonly sql: string;
  readonly params: readonly unknown[];
} & (
  | { readonly kind: 'insert'; readonly values: Record<string, unknown> }
  | { readonly kind: 'update'; readonly id: number; readonly values: Record<string, unknown>; readonly version?: number; readonly guard: Where }
  | { readonly kind: 'delete'; readonly id: number; readonly guard: Where }
);

const at = '2025-06-15 12:00:00.000';
const guardOrder = (where: string, joins = '') =>
  `"id" IN (SELECT "id" FROM (SELECT "t0"."id" AS "id" FROM "order" AS "t0"${joins} WHERE ${where}) AS "v")`;

export const WRITE_CASES: readonly WriteCase[] = [
  {
    name: 'insert',
    kind: 'insert',
    module: 'customer',
    values: { name: "O'Hara \"Q\" `x`", grade: 'gold', createdAt: at, updatedAt: at, version: 1 },
    sql: 'INSERT INTO "customer" ("name", "grade", "createdAt", "updatedAt", "version") VALUES ($1, $2, $3, $4, $5)',
    params: ["O'Hara \"Q\" `x`", 'gold', at, at, 1],
    changes: 1,
  },
  {
    name: 'update without version or guard',
    kind: 'update',
    module: 'order',
    id: 1,
    values: { status: 'paid' },
    guard: {},
    sql: 'UPDATE "order" SET "status" = $1, "version" = "version" + 1 WHERE "id" = $2',
    params: ['paid', 1],
    changes: 1,
  },
  {
    name: 'update with version and a guard through a path',
    kind: 'update',
    module: 'order',
    id: 1,
    values: { amount: 5, updatedAt: at },
    version: 1,
    guard: { filter: { 'salesman.department.code': { startsWith: '0010' } } },
    sql:
      'UPDATE "order" SET "amount" = $1, "updatedAt" = $2, "version" = "version" + 1 WHERE "id" = $3 AND "version" = $4 AND ' +
      guardOrder(`("t0"."id" = $5 AND "t2"."code" LIKE $6 ESCAPE '!')`, joinSalesmanDept),
    params: [5, at, 1, 1, 1, '0010%'],
    changes: 1,
  },
  {
    name: 'update outside the guard changes nothing',
    kind: 'update',
    module: 'order',
    id: 3,
    values: { amount: 5 },
    version: 1,
    guard: { filter: { 'salesman.department.code': { startsWith: '0010' } } },
    sql:
      'UPDATE "order" SET "amount" = $1, "version" = "version" + 1 WHERE "id" = $2 AND "version" = $3 AND ' +
      guardOrder(`("t0"."id" = $4 AND "t2"."code" LIKE $5 ESCAPE '!')`, joinSalesmanDept),
    params: [5, 3, 1, 3, '0010%'],
    changes: 0,
  },
  {
    name: 'update of a stale version changes nothing',
    kind: 'update',
    module: 'order',
    id: 1,
    values: { amount: 5 },
    version: 7,
    guard: {},
    sql: 'UPDATE "order" SET "amount" = $1, "version" = "version" + 1 WHERE "id" = $2 AND "version" = $3',
    params: [5, 1, 7],
    changes: 0,
  },
  {
    name: 'update with a false guard changes nothing',
    kind: 'update',
    module: 'order',
    id: 1,
    values: { amount: 5 },
    guard: { ast: FALSE },
    sql: `UPDATE "order" SET "amount" = $1, "version" = "version" + 1 WHERE "id" = $2 AND ${guardOrder('1=0')}`,
    params: [5, 1],
    changes: 0,
  },
  {
    name: 'update with a relation guard',
    kind: 'update',
    module: 'customer',
    id: 1,
    values: { note: 'x' },
    guard: { filter: { followups: { some: { date: { gt: '$now-30d' } } } } },
    sql:
      'UPDATE "customer" SET "note" = $1, "version" = "version" + 1 WHERE "id" = $2 AND "id" IN (SELECT "id" FROM (SELECT "t0"."id" AS "id" FROM "customer" AS "t0"' +
      ` WHERE ("t0"."id" = $3 AND EXISTS (${followupsOf('"t1"."date" > $4')}))) AS "v")`,
    params: ['x', 1, 1, recent],
    changes: 1,
  },
  {
    name: 'delete with a guard',
    kind: 'delete',
    module: 'order',
    id: 5,
    guard: { filter: { 'salesman.name': 'Dave' } },
    sql: `DELETE FROM "order" WHERE "id" = $1 AND ${guardOrder('("t0"."id" = $2 AND "t1"."name" = $3)', ' LEFT JOIN "salesman" AS "t1" ON "t1"."id" = "t0"."salesman"')}`,
    params: [5, 5, 'Dave'],
    changes: 1,
  },
  {
    name: 'delete outside the guard removes nothing',
    kind: 'delete',
    module: 'order',
    id: 4,
    guard: { filter: { salesman: { isNull: false } } },
    sql: `DELETE FROM "order" WHERE "id" = $1 AND ${guardOrder('("t0"."id" = $2 AND "t0"."salesman" IS NOT NULL)')}`,
    params: [4, 4],
    changes: 0,
  },
  {
    name: 'delete without a guard',
    kind: 'delete',
    module: 'orderline',
    id: 5,
    guard: {},
    sql: 'DELETE FROM "orderline" WHERE "id" = $1',
    params: [5],
    changes: 1,
  },
];

export function compileWrite(writer: WriteCompiler, c: WriteCase, graph: ModuleGraph): Compiled {
  const m = graph.modules.get(c.module)!;
  switch (c.kind) {
    case 'insert':
      return writer.insert(m, c.values);
    case 'update':
      return writer.update(m, c.id, c.values, { version: c.version, guard: whereOf(c.module, c.guard, graph) });
    case 'delete':
      return writer.delete(m, c.id, whereOf(c.module, c.guard, graph));
  }
}
