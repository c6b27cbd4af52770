/**
 * The in-memory oracle on hand-made rows, with expectations written out by hand: a bug in the
 * oracle must not hide behind the SQL it is compared with (oracle-property.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { and, compare, fieldRef, not, or, type Condition } from '../../core/query/ast.js';
import {
  evaluate, groupBy, ids, matching, OracleError, related, sortRows, sum, valueAt, walk, type OracleContext, type StoredRow,
} from '../../core/rules/oracle.js';
import { buildGraph } from '../../core/schema/build-graph.js';
import type { JsonSchema } from '../../core/schema/module.js';

const department = JSON.parse(readFileSync(new URL('../../core/system-modules/department.json', import.meta.url), 'utf8')) as JsonSchema;
const graph = buildGraph([
  department,
  { $id: 'salesman', type: 'object', properties: { name: { type: 'string', maxLength: 40 }, department: { type: 'integer', 'x-ref': 'department' } } },
  {
    $id: 'customer',
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 40 },
      grade: { type: 'string', enum: ['gold', 'silver'] },
      vip: { type: 'boolean' },
      orders: { type: 'array', 'x-inverse': 'order.customer' },
    },
  },
  {
    $id: 'order',
    type: 'object',
    properties: {
      number: { type: 'string', maxLength: 20 },
      amount: { type: 'number' },
      orderDate: { type: 'string', format: 'date' },
      customer: { type: 'integer', 'x-ref': 'customer' },
      salesman: { type: 'integer', 'x-ref': 'salesman' },
      helpers: { type: 'array', items: { type: 'integer' }, 'x-ref': 'salesman' },
    },
  },
]);
const M = (name: string) => graph.modules.get(name)!;

const table = (...rows: StoredRow[]) => new Map(rows.map((r) => [Number(r.id), r]));
const rows = new Map([
  ['department', table({ id: 1, code: '0010' }, { id: 2, code: '001002' })],
  ['salesman', table({ id: 1, name: 'Alice', department: 1 }, { id: 2, name: 'Bob', department: 2 }, { id: 3, name: 'Dave', department: null })],
  [
    'customer',
    table(
      { id: 1, name: 'Acme 100%', grade: 'gold', vip: 1 },
      { id: 2, name: 'a_b!c', grade: 'silver', vip: 0 },
      { id: 3, name: 'École', grade: null, vip: null },
      { id: 4, name: 'IT ', grade: 'gold' },
    ),
  ],
  [
    'order',
    table(
      { id: 1, number: 'o1', amount: 100, orderDate: '2025-01-15', customer: 1, salesman: 1 },
      { id: 2, number: 'o2', amount: 250.5, orderDate: '2024-12-31', customer: 1, salesman: 2 },
      { id: 3, number: 'o3', amount: null, orderDate: null, customer: 2, salesman: 3 },
      { id: 4, number: 'o4', amount: 50, orderDate: '2025-06-30', customer: null, salesman: null },
      { id: 5, number: 'o5', amount: 7, orderDate: '2025-02-01', customer: 99, salesman: 2 }, // dangling customer
    ),
  ],
]);
const junctions = new Map([['order_helpers', [{ source: 1, target: 2 }, { source: 1, target: 3 }, { source: 2, target: 1 }, { source: 2, target: 42 }]]]);
const sqlite: OracleContext = { graph, rows, junctions };
const mysql: OracleContext = { ...sqlite, dialect: 'mysql' };

/** The ids of `module` rows where `cond` holds. */
const where = (module: string, cond: Condition, ctx: OracleContext = sqlite) => ids(matching(cond, M(module), ctx));

describe('oracle: two-valued logic and NULLs, as the compiler has them', () => {
  it('a comparison with NULL is false, and both it and its negation exclude nothing else', () => {
    expect(where('order', compare('amount', 'gt', 60))).toEqual([1, 2]);
    expect(where('order', not(compare('amount', 'gt', 60)))).toEqual([3, 4, 5]);
    expect(where('order', compare('amount', 'lte', 60))).toEqual([4, 5]);
    expect(where('order', compare('amount', 'eq', 100))).toEqual([1]);
    expect(where('order', compare('amount', 'ne', 100))).toEqual([2, 3, 4, 5]);
    expect(where('order', not(compare('amount', 'ne', 100)))).toEqual([1]);
  });

  it('eq/ne null are IS NULL / IS NOT NULL; isNull takes only true as "is null"', () => {
    expect(where('order', compare('amount', 'eq', null))).toEqual([3]);
    expect(where('order', compare('amount', 'ne', null))).toEqual([1, 2, 4, 5]);
    expect(where('order', compare('orderDate', 'isNull', true))).toEqual([3]);
    expect(where('order', compare('orderDate', 'isNull', false))).toEqual([1, 2, 4, 5]);
    expect(where('order', not(compare('orderDate', 'isNull', true)))).toEqual([1, 2, 4, 5]);
  });

  it('in/nin: NULL is in no list and in every NOT IN; an empty list is false for in and true for nin', () => {
    expect(where('order', compare('amount', 'in', [100, 50, 1]))).toEqual([1, 4]);
    expect(where('order', compare('amount', 'nin', [100, 50]))).toEqual([2, 3, 5]);
    expect(where('order', compare('amount', 'in', []))).toEqual([]);
    expect(where('order', compare('amount', 'nin', []))).toEqual([1, 2, 3, 4, 5]);
    expect(where('order', not(compare('amount', 'in', [])))).toEqual([1, 2, 3, 4, 5]);
  });

  it('between is inclusive, empty when low > high, and its negation includes NULLs', () => {
    expect(where('order', compare('amount', 'between', [50, 100]))).toEqual([1, 4]);
    expect(where('order', compare('amount', 'between', [100, 50]))).toEqual([]);
    expect(where('order', not(compare('amount', 'between', [50, 100])))).toEqual([2, 3, 5]);
    expect(where('order', compare('orderDate', 'between', ['2025-01-01', '2025-02-01']))).toEqual([1, 5]);
    expect(where('order', compare('orderDate', 'lt', '2025-01-01'))).toEqual([2]);
  });

  it('and/or/not compose; empty and is true, empty or false', () => {
    expect(where('order', { kind: 'and', items: [] })).toEqual([1, 2, 3, 4, 5]);
    expect(where('order', { kind: 'or', items: [] })).toEqual([]);
    expect(where('order', or(compare('amount', 'lt', 60), compare('number', 'eq', 'o3')))).toEqual([3, 4, 5]);
    expect(where('order', not(and(compare('amount', 'gt', 60), compare('salesman', 'eq', 2))))).toEqual([1, 3, 4, 5]);
  });

  it('booleans are stored as 0/1 and compared as numbers', () => {
    expect(where('customer', compare('vip', 'eq', 1))).toEqual([1]);
    expect(where('customer', compare('vip', 'ne', 1))).toEqual([2, 3, 4]);
    expect(where('customer', compare('vip', 'eq', true))).toEqual([1]);
  });
});

describe('oracle: reference paths are LEFT JOINs', () => {
  it('a null or dangling reference makes every field past it NULL', () => {
    expect(where('order', compare('salesman.department.code', 'startsWith', '0010'))).toEqual([1, 2, 5]);
    expect(where('order', not(compare('salesman.department.code', 'startsWith', '0010')))).toEqual([3, 4]);
    expect(where('order', compare('customer.id', 'isNull', true))).toEqual([4, 5]);
    expect(where('order', compare('customer', 'isNull', true))).toEqual([4]);
    expect(valueAt(M('order'), rows.get('order')!.get(3)!, fieldRef('salesman.department.code'), sqlite)).toBeNull();
  });

  it('walk reports one step per reference, absent from the first broken one', () => {
    const steps = walk(M('order'), rows.get('order')!.get(3)!, ['salesman', 'department'], sqlite);
    expect(steps.map((s) => [s.module.name, s.record?.id ?? null])).toEqual([['salesman', 3], ['department', null]]);
  });
});

describe('oracle: LIKE is a literal, ASCII-case-insensitive substring test', () => {
  it('% _ and ! in the operand are characters, not wildcards', () => {
    expect(where('customer', compare('name', 'contains', '%'))).toEqual([1]);
    expect(where('customer', compare('name', 'contains', '_'))).toEqual([2]);
    expect(where('customer', compare('name', 'contains', 'b!c'))).toEqual([2]);
    expect(where('customer', compare('name', 'startsWith', 'a_'))).toEqual([2]);
    expect(where('customer', compare('name', 'startsWith', 'a%'))).toEqual([]);
    expect(where('customer', compare('name', 'endsWith', '0%'))).toEqual([1]);
    expect(where('customer', compare('name', 'contains', ''))).toEqual([1, 2, 3, 4]);
  });

  it('ignores the case of ASCII letters on both databases; only MariaDB folds other letters', () => {
    expect(where('customer', compare('name', 'startsWith', 'acme'))).toEqual([1]);
    expect(where('customer', compare('name', 'startsWith', 'acme'), mysql)).toEqual([1]);
    expect(where('customer', compare('name', 'startsWith', 'éc'))).toEqual([]);
    expect(where('customer', compare('name', 'startsWith', 'éc'), mysql)).toEqual([3]);
  });

  it('trailing spaces count for LIKE on both databases', () => {
    expect(where('customer', compare('name', 'endsWith', 'IT'), mysql)).toEqual([]);
    expect(where('customer', compare('name', 'endsWith', 't '), mysql)).toEqual([4]);
  });

  it('negated LIKE includes NULLs; LIKE on a number field is refused', () => {
    expect(where('customer', not(compare('grade', 'contains', 'ol')))).toEqual([2, 3]);
    expect(() => where('order', compare('amount', 'contains', '1'))).toThrow(OracleError);
  });
});

describe('oracle: text equality and order per database', () => {
  it('both ignore ASCII case; MariaDB also trailing spaces and the case of other letters', () => {
    expect(where('customer', compare('name', 'eq', 'it'))).toEqual([]);
    expect(where('customer', compare('name', 'eq', 'it '))).toEqual([4]);
    expect(where('customer', compare('name', 'eq', 'it'), mysql)).toEqual([4]);
    expect(where('customer', compare('name', 'eq', 'écolE'))).toEqual([]);
    expect(where('customer', compare('name', 'eq', 'écolE'), mysql)).toEqual([3]);
    expect(where('customer', compare('name', 'in', ['ACME 100%', 'x']))).toEqual([1]);
    expect(where('customer', compare('name', 'ne', 'it'), mysql)).toEqual([1, 2, 3]);
    expect(where('customer', compare('name', 'ne', 'it'))).toEqual([1, 2, 3, 4]);
  });

  it('orders case-insensitively; a trailing space sorts after on SQLite and counts for nothing on MariaDB', () => {
    // 'IT ' vs 'a_b!c': i > a ignoring case on both.
    expect(where('customer', compare('name', 'lt', 'b'))).toEqual([1, 2]);
    const justAbove = and(compare('name', 'gt', 'it'), compare('name', 'lt', 'j'));
    expect(where('customer', justAbove)).toEqual([4]);
    expect(where('customer', justAbove, mysql)).toEqual([]);
  });
});

describe('oracle: relations', () => {
  it('one-to-many: some, none, every (vacuously true without related records)', () => {
    const big = compare('amount', 'gt', 60);
    const rel = (quantifier: 'some' | 'none' | 'every', w: Condition = big): Condition => ({ kind: 'relation', refs: [], relation: 'orders', quantifier, where: w });
    // customer 1 has orders 1, 2 (100, 250.5); 2 has order 3 (NULL amount); 3 and 4 have none.
    expect(where('customer', rel('some'))).toEqual([1]);
    expect(where('customer', rel('none'))).toEqual([2, 3, 4]);
    expect(where('customer', rel('every'))).toEqual([1, 3, 4]);
    expect(where('customer', not(rel('every')))).toEqual([2]);
    expect(where('customer', rel('every', not(big)))).toEqual([2, 3, 4]);
  });

  it('many-to-many follows junction rows to records that exist; a broken owner has none', () => {
    const helper = (quantifier: 'some' | 'none' | 'every', name: string, refs: string[] = []): Condition =>
      ({ kind: 'relation', refs, relation: 'helpers', quantifier, where: compare('name', 'eq', name) });
    expect(related(M('order'), rows.get('order')!.get(2)!, 'helpers', sqlite).records.map((r) => r.id)).toEqual([1]);
    expect(where('order', helper('some', 'Bob'))).toEqual([1]);
    expect(where('order', helper('every', 'Alice'))).toEqual([2, 3, 4, 5]);
    expect(where('order', helper('none', 'Alice'))).toEqual([1, 3, 4, 5]);
    // Through a reference: orders whose customer has an order helped by Alice.
    const viaCustomer: Condition = {
      kind: 'relation', refs: ['customer'], relation: 'orders', quantifier: 'some', where: helper('some', 'Alice'),
    };
    expect(where('order', viaCustomer)).toEqual([1, 2]);
    // Order 3's customer has only order 3, which has no helpers; 4 and 5 have no customer: vacuous.
    expect(where('order', { ...viaCustomer, quantifier: 'every' } as Condition)).toEqual([4, 5]);
  });
});

describe('oracle: what the read path returns', () => {
  it('ids, count and sum (NULLs skipped, null for no values)', () => {
    const all = matching({ kind: 'and', items: [] }, M('order'), sqlite);
    expect(ids(all)).toEqual([1, 2, 3, 4, 5]);
    expect(sum(M('order'), all, fieldRef('amount'), sqlite)).toBe(407.5);
    expect(sum(M('order'), all.filter((r) => r.id === 3), fieldRef('amount'), sqlite)).toBeNull();
    expect(sum(M('order'), [], fieldRef('amount'), sqlite)).toBeNull();
  });

  it('groups by a reference path, NULL first, then ascending', () => {
    const all = matching({ kind: 'and', items: [] }, M('order'), sqlite);
    expect(groupBy(M('order'), all, fieldRef('salesman.department.code'), sqlite, { sumOf: fieldRef('amount') })).toEqual([
      { key: null, count: 2, sum: 50 },
      { key: '0010', count: 1, sum: 100 },
      { key: '001002', count: 2, sum: 257.5 },
    ]);
    expect(groupBy(M('order'), all, fieldRef('customer.grade'), sqlite)).toEqual([
      { key: null, count: 2, sum: null },
      { key: 'gold', count: 2, sum: null },
      { key: 'silver', count: 1, sum: null },
    ]);
  });

  it('sorts with NULL first ascending and last descending, through references, hidden keys as NULL', () => {
    const all = matching({ kind: 'and', items: [] }, M('order'), sqlite);
    const byId = { target: fieldRef('id'), desc: false };
    const order = (o: Parameters<typeof sortRows>[2]) => sortRows(M('order'), all, o, sqlite).map((r) => r.id);
    expect(order([{ target: fieldRef('amount'), desc: false }, byId])).toEqual([3, 5, 4, 1, 2]);
    expect(order([{ target: fieldRef('amount'), desc: true }, byId])).toEqual([2, 1, 4, 5, 3]);
    expect(order([{ target: fieldRef('salesman.department.code'), desc: true }, { ...byId, desc: true }])).toEqual([5, 2, 1, 4, 3]);
    expect(order([{ target: fieldRef('salesman.name'), desc: false, hidden: (r) => r.salesman === 1 }, byId])).toEqual([1, 4, 2, 5, 3]);
    const people = [{ id: 1, name: 'bob' }, { id: 2, name: 'Ann' }, { id: 3, name: 'ann' }, { id: 4, name: 'BOB' }];
    const names = (dialect: 'sqlite' | 'mysql') => sortRows(M('salesman'), people, [{ target: fieldRef('name'), desc: false }, byId], { graph, rows: new Map(), dialect }).map((r) => r.id);
    expect(names('sqlite')).toEqual([2, 3, 1, 4]);
    expect(names('mysql')).toEqual([2, 3, 1, 4]);
  });

  it('a hidden key counts in the NULL group', () => {
    const all = matching({ kind: 'and', items: [] }, M('order'), sqlite);
    expect(groupBy(M('order'), all, fieldRef('salesman.name'), sqlite, { hidden: (r) => r.salesman === 2 })).toEqual([
      { key: null, count: 3, sum: null },
      { key: 'Alice', count: 1, sum: null },
      { key: 'Dave', count: 1, sum: null },
    ]);
  });

  it('values differing in case are one group; on MariaDB also those differing in trailing spaces', () => {
    const people = [{ id: 1, name: 'Ann' }, { id: 2, name: 'ann ' }, { id: 3, name: 'bob' }, { id: 4, name: 'Bob' }];
    const ctx = (dialect: 'sqlite' | 'mysql'): OracleContext => ({ graph, rows: new Map([['salesman', table(...people)]]), dialect });
    expect(groupBy(M('salesman'), people, fieldRef('name'), ctx('mysql')).map((g) => [g.key, g.count])).toEqual([['Ann', 2], ['Bob', 2]]);
    expect(groupBy(M('salesman'), people, fieldRef('name'), ctx('sqlite')).map((g) => [g.key, g.count])).toEqual([['Ann', 1], ['ann ', 1], ['Bob', 2]]);
  });
});

describe('oracle: refuses what the compiler refuses', () => {
  it('unresolved variables, unknown fields, non-reference steps, bad operands', () => {
    expect(() => where('order', compare('amount', 'gt', { var: '$user.id' }))).toThrow(/Unresolved variable/);
    expect(() => where('order', compare('nope', 'eq', 1))).toThrow(/no field nope/);
    expect(() => where('order', compare('number.x', 'eq', 1))).toThrow(/not a reference/);
    expect(() => where('order', compare('amount', 'gt', null))).toThrow(/needs one value/);
    expect(() => where('order', compare('amount', 'in', 1))).toThrow(/needs a list/);
    expect(() => where('order', compare('amount', 'between', [1]))).toThrow(/two values/);
    expect(() => where('order', { kind: 'relation', refs: [], relation: 'lines', quantifier: 'some', where: { kind: 'and', items: [] } })).toThrow(/no relation lines/);
  });
});
