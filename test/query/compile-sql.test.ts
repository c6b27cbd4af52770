/**
 * The query compiler without a database: the exact SQL text and parameters of every case in
 * cases.ts on both dialects, the compiler's refusals, and the parsers' error reports.
 * compile-execute.test.ts runs the same cases on SQLite and MariaDB.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpError, type ErrorDetail } from '../../core/errors.js';
import { compare, fieldRef, type Condition, type SelectQuery } from '../../core/query/ast.js';
import { CompileError, escapeLike, QueryCompiler } from '../../core/query/compile.js';
import { WriteCompiler } from '../../core/query/compile-write.js';
import { mysql, sqlite, type Dialect } from '../../core/query/dialect.js';
import { readAll, type FieldAccess } from '../../core/query/field-access.js';
import { parseAggregate } from '../../core/query/parse-aggregate.js';
import { parseFilter, parseFilterParam } from '../../core/query/parse-filter.js';
import { parseList } from '../../core/query/parse-list.js';
import { isVariableName, resolveVariables, variableValue } from '../../core/query/variables.js';
import { buildGraph } from '../../core/schema/build-graph.js';
import { checkDefinitions } from '../../core/schema/check-definitions.js';
import type { JsonSchema } from '../../core/schema/module.js';
import {
  AGGREGATE_CASES, aggregateQuery, compileWrite, COUNT_CASES, countQuery, idQuery, idQuerySql, inDialect, SELECT_CASES, selectQuery,
  WHERE_CASES, whereOf, WRITE_CASES,
} from './cases.js';
import { MODULES, NOW, VARIABLES } from './fixtures.js';

const department = JSON.parse(readFileSync(new URL('../../core/system-modules/department.json', import.meta.url), 'utf8')) as JsonSchema;
const graph = buildGraph([department, ...MODULES]);
const module = (name: string) => graph.modules.get(name)!;
const DIALECTS: readonly Dialect[] = [sqlite, mysql];

/** The HttpError a parser throws, for asserting its code and details. */
function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return e as HttpError;
  }
  throw new Error('expected a 400, but it parsed');
}
const paths = (e: HttpError) => e.details.map((d) => d.path);

describe('the case modules', () => {
  it('are valid definitions, as POST /api/modules will check them', () => {
    expect(checkDefinitions([department, ...MODULES])).toEqual([]);
  });
});

for (const dialect of DIALECTS) {
  describe(`QueryCompiler [${dialect.name}]`, () => {
    const compiler = new QueryCompiler(graph, dialect);
    const writer = new WriteCompiler(compiler, dialect);

    it.each(WHERE_CASES)('where: $module $name', (c) => {
      expect(compiler.select(idQuery(c, graph))).toEqual({ sql: inDialect(idQuerySql(c), dialect), params: c.params });
    });

    it.each(SELECT_CASES)('select: $name', (c) => {
      expect(compiler.select(selectQuery(c, graph))).toEqual({ sql: inDialect(c.sql, dialect), params: c.params });
    });

    it.each(COUNT_CASES)('count: $name', (c) => {
      expect(compiler.count(countQuery(c, graph))).toEqual({ sql: inDialect(c.sql, dialect), params: c.params });
    });

    it.each(AGGREGATE_CASES)('aggregate: $name', (c) => {
      expect(compiler.aggregate(aggregateQuery(c, graph))).toEqual({ sql: c.sql[dialect.name], params: c.params });
    });

    it.each(WRITE_CASES)('write: $name', (c) => {
      expect(compileWrite(writer, c, graph)).toEqual({ sql: inDialect(c.sql, dialect), params: c.params });
    });

    it('condition() gives the clause and its joins alone', () => {
      const c = compiler.condition('order', compare('salesman.department.code', 'eq', '00'));
      expect(c).toEqual({
        sql: inDialect('"t2"."code" = $1', dialect),
        params: ['00'],
        joins: inDialect(' LEFT JOIN "salesman" AS "t1" ON "t1"."id" = "t0"."salesman" LEFT JOIN "department" AS "t2" ON "t2"."id" = "t1"."department"', dialect),
      });
    });

    it('is pure: the same query compiles to the same statement, and the AST is not changed', () => {
      const query = deepFreeze(idQuery(WHERE_CASES.find((c) => c.name === 'path of depth 3, joins added once and reused')!, graph));
      const first = compiler.select(query);
      expect(compiler.select(query)).toEqual(first);
      expect(new QueryCompiler(graph, dialect).select(query)).toEqual(first);
    });

    it('puts values only in parameters: the SQL text does not depend on them', () => {
      const textOf = (v: string, op: 'eq' | 'contains' | 'gt') =>
        compiler.select({ module: 'customer', where: compare('name', op, v), columns: [fieldRef('id')], orderBy: [] });
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('eq' as const, 'contains' as const, 'gt' as const), (v, op) => {
          const compiled = textOf(v, op);
          expect(compiled.sql).toBe(textOf('x', op).sql);
          expect(compiled.params).toEqual([op === 'contains' ? `%${escapeLike(v)}%` : v]);
        }),
      );
    });
  });
}

describe('the MySQL text, written out', () => {
  const compiler = new QueryCompiler(graph, mysql);
  it('a path of depth 2 with LIKE', () => {
    const c = WHERE_CASES.find((w) => w.name === 'path of depth 2')!;
    expect(compiler.select(idQuery(c, graph)).sql).toBe(
      'SELECT `t0`.`id` AS `id` FROM `order` AS `t0` LEFT JOIN `salesman` AS `t1` ON `t1`.`id` = `t0`.`salesman`' +
        " LEFT JOIN `department` AS `t2` ON `t2`.`id` = `t1`.`department` WHERE `t2`.`code` LIKE $1 ESCAPE '!' ORDER BY `t0`.`id` ASC",
    );
  });
  it('every on a many-to-many relation', () => {
    const c = WHERE_CASES.find((w) => w.name === 'every (many-to-many), vacuously true without tags')!;
    expect(compiler.select(idQuery(c, graph)).sql).toBe(
      'SELECT `t0`.`id` AS `id` FROM `customer` AS `t0` WHERE NOT EXISTS (SELECT 1 FROM `customer_tags` AS `t2` JOIN `tag` AS `t1`' +
        ' ON `t1`.`id` = `t2`.`target` WHERE `t2`.`source` = `t0`.`id` AND (`t1`.`name` <> $1 OR `t1`.`name` IS NULL)) ORDER BY `t0`.`id` ASC',
    );
  });
  it('a guarded delete', () => {
    const c = WRITE_CASES.find((w) => w.name === 'delete with a guard')!;
    expect(compileWrite(new WriteCompiler(compiler, mysql), c, graph).sql).toBe(
      'DELETE FROM `order` WHERE `id` = $1 AND `id` IN (SELECT `id` FROM (SELECT `t0`.`id` AS `id` FROM `order` AS `t0`' +
        ' LEFT JOIN `salesman` AS `t1` ON `t1`.`id` = `t0`.`salesman` WHERE (`t0`.`id` = $2 AND `t1`.`name` = $3)) AS `v`)',
    );
  });
});

describe('QueryCompiler refuses what it cannot compile safely', () => {
  const compiler = new QueryCompiler(graph, sqlite);
  const select = (where: Condition, extra: Partial<SelectQuery> = {}) =>
    compiler.select({ module: 'order', where, columns: [fieldRef('id')], orderBy: [], ...extra });

  it.each<[string, () => unknown]>([
    ['an unknown module', () => compiler.count({ module: 'nosuch', where: { kind: 'const', value: true } })],
    ['an unknown field', () => select(compare('nosuch', 'eq', 1))],
    ['a path through a field that is not a reference', () => select(compare('number.x', 'eq', 1))],
    ['an unknown relation', () => select({ kind: 'relation', refs: [], relation: 'nosuch', quantifier: 'some', where: { kind: 'const', value: true } })],
    ['an unresolved variable', () => select(compare('amount', 'gt', { var: '$now' }))],
    ['LIKE on a number', () => select(compare('amount', 'contains', '1'))],
    ['between with one value', () => select(compare('amount', 'between', [1]))],
    ['in with one value', () => select(compare('amount', 'in', 1))],
    ['gt with a list', () => select(compare('amount', 'gt', [1, 2]))],
    ['gt with null', () => select(compare('amount', 'gt', null))],
    ['a negative limit', () => select({ kind: 'const', value: true }, { limit: -1 })],
    ['a fractional offset', () => select({ kind: 'const', value: true }, { limit: 5, offset: 1.5 })],
    ['an offset without a limit (no dialect accepts OFFSET alone)', () => select({ kind: 'const', value: true }, { offset: 10 })],
  ])('%s', (_, fn) => {
    expect(fn).toThrow(CompileError);
  });

  it('quotes only plain identifiers, even from a graph that skipped the definition checks', () => {
    for (const d of DIALECTS) {
      expect(() => d.quote('a"b')).toThrow(/unsafe identifier/);
      expect(() => d.quote('a`b')).toThrow(/unsafe identifier/);
      expect(() => d.quote('x; DROP TABLE user')).toThrow(/unsafe identifier/);
    }
    const hostile = buildGraph([{ $id: 'x; DROP TABLE user', type: 'object', properties: { 'a"b': { type: 'string', maxLength: 5 } } }]);
    const c = new QueryCompiler(hostile, mysql);
    expect(() => c.count({ module: 'x; DROP TABLE user', where: { kind: 'const', value: true } })).toThrow(/unsafe identifier/);
  });
});

// ─── Parsers: every fault at once, each with a JSON pointer into the input ────────────────────

describe('parseFilter', () => {
  const order = module('order');
  const customer = module('customer');

  it('reports every fault at once, each at its JSON pointer', () => {
    const e = refusal(() =>
      parseFilter(
        {
          and: [{ amount: { gt: 'abc' } }, { nosuch: 1 }],
          or: 5,
          status: { like: 'x' },
          'customer.nosuch': 1,
          'number.x': 1,
          'a/b~c': 1,
          orderDate: { between: ['2025-01-01'] },
          customer: { in: 'x' },
          salesman: { contains: 'x' },
          not: 'x',
        },
        order,
        graph,
      ),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_filter');
    expect(paths(e)).toEqual([
      '/filter/and/0/amount/gt',
      '/filter/and/1/nosuch',
      '/filter/or',
      '/filter/status/like',
      '/filter/customer.nosuch',
      '/filter/number.x',
      '/filter/a~1b~0c',
      '/filter/orderDate/between',
      '/filter/customer/in',
      '/filter/salesman/contains',
      '/filter/not',
    ]);
    expect(e.details[0]!.message).toBe('must be a number');
    expect(e.details[1]!.message).toMatch(/^order has no field "nosuch" you can filter on; known: id, createdAt, .*number, amount/);
    expect(e.details[5]!.message).toMatch(/"number" is not a reference/);
    expect(e.toJSON().error.details).toHaveLength(11);
  });

  it.each<[string, unknown, string[]]>([
    ['a value of the wrong type in a list', { amount: { in: [1, 'x', 3, {}] } }, ['/filter/amount/in/1', '/filter/amount/in/3']],
    ['null in a list', { amount: { nin: [null] } }, ['/filter/amount/nin/0']],
    ['null with an order operator', { amount: { gt: null } }, ['/filter/amount/gt']],
    ['an object where a scalar belongs', { number: { eq: { $ne: 1 } } }, ['/filter/number/eq']],
    ['an operator-less object', { amount: {} }, ['/filter/amount']],
    ['isNull with a string', { number: { isNull: 'yes' } }, ['/filter/number/isNull']],
    ['contains with a number', { number: { contains: 5 } }, ['/filter/number/contains']],
    ['an impossible date', { orderDate: { gt: '2025-13-45' } }, ['/filter/orderDate/gt']],
    ['a date-time that is not ISO 8601', { 'customer.followups': { some: { date: { gt: 'yesterday' } } } }, ['/filter/customer.followups/some/date/gt']],
    ['an integer with trailing text', { customer: '12abc' }, ['/filter/customer']],
    ['a fractional id', { customer: 1.5 }, ['/filter/customer']],
    ['an enum compared with a boolean', { status: true }, ['/filter/status']],
    ['a filter that is an array', [{ amount: 1 }], ['/filter']],
    ['a filter that is a string', 'amount > 1', ['/filter']],
    ['and with an object', { and: { amount: 1 } }, ['/filter/and']],
    ['a path longer than 8 steps', { 'a.b.c.d.e.f.g.h.i': 1 }, ['/filter/a.b.c.d.e.f.g.h.i']],
    ['an empty path step', { 'customer..name': 1 }, ['/filter/customer..name']],
    ['a path continuing past a relation', { 'customer.followups.date': 1 }, ['/filter/customer.followups.date']],
    ['more than 1000 values in a list', { amount: { in: Array.from({ length: 1001 }, (_, i) => i) } }, ['/filter/amount/in']],
    ['a relation with a value', { 'customer.tags': 5 }, ['/filter/customer.tags']],
    ['a relation with an unknown quantifier', { 'customer.tags': { any: { name: 'x' } } }, ['/filter/customer.tags/any']],
    ['a relation without a quantifier', { 'customer.tags': {} }, ['/filter/customer.tags']],
    ['a fault inside a relation', { 'customer.tags': { some: { name: { gt: null } }, every: { nope: 1 } } }, ['/filter/customer.tags/some/name/gt', '/filter/customer.tags/every/nope']],
  ])('%s', (_, filter, expected) => {
    expect(paths(refusal(() => parseFilter(filter, order, graph)))).toEqual(expected);
  });

  it('refuses nesting deeper than 24 with one fault, however deep the input', () => {
    let filter: unknown = { amount: 1 };
    for (let i = 0; i < 1000; i++) filter = { not: filter };
    const e = refusal(() => parseFilter(filter, order, graph));
    expect(e.details).toHaveLength(1);
    expect(e.details[0]!.path).toBe(`/filter${'/not'.repeat(25)}`);
    expect(e.details[0]!.message).toMatch(/nested too deeply/);
  });

  it('refuses more than 500 parts', () => {
    const e = refusal(() => parseFilter({ or: Array.from({ length: 600 }, (_, i) => ({ amount: i })) }, order, graph));
    expect(e.details[0]).toEqual({ path: '/filter/or/499', message: 'the filter is too large (at most 500 parts)' });
  });

  it('filters only on fields the caller may read, and does not name the others', () => {
    const noCredit: FieldAccess = { canRead: (m, f) => !(m.name === 'customer' && f.name === 'credit') };
    const e = refusal(() => parseFilter({ credit: 1, 'customer.credit': 1 }, customer, graph, noCredit));
    expect(paths(e)).toEqual(['/filter/credit', '/filter/customer.credit']);
    expect(e.details[0]!.message).not.toMatch(/credit,/);
    expect(() => parseFilter({ 'customer.credit': { gt: 1 } }, order, graph, noCredit)).toThrow(HttpError);
    // Through a relation, too.
    expect(() => parseFilter({ 'customer.followups': { some: { 'customer.credit': 1 } } }, order, graph, noCredit)).toThrow(HttpError);
  });

  it('parses ?filter= text, and refuses text that is not JSON', () => {
    expect(parseFilterParam(undefined, order, graph)).toEqual({ kind: 'const', value: true });
    expect(parseFilterParam('', order, graph)).toEqual({ kind: 'const', value: true });
    expect(parseFilterParam('{"amount":{"gt":5}}', order, graph)).toEqual(compare('amount', 'gt', 5));
    const e = refusal(() => parseFilterParam("{amount: 1}'; DROP TABLE order; --", order, graph));
    expect(e.toJSON()).toEqual({
      error: { code: 'invalid_filter', message: expect.any(String), details: [{ path: '/filter', message: 'is not valid JSON' }] },
    });
  });

  it('turns strings that look like variables into variables, and leaves others literal', () => {
    expect(parseFilter({ number: '$now-30d' }, order, graph)).toEqual(compare('number', 'eq', { var: '$now-30d' }));
    expect(parseFilter({ number: '$yesterday' }, order, graph)).toEqual(compare('number', 'eq', '$yesterday'));
    expect(parseFilter({ number: { contains: '$user.id' } }, order, graph)).toEqual(compare('number', 'contains', '$user.id'));
  });
});

describe('parseList', () => {
  const customer = module('customer');
  const order = module('order');

  it('reports the faults of every parameter at once', () => {
    const e = refusal(() =>
      parseList(
        { filter: '{"credit":{"gt":"x"}}', q: 'x'.repeat(201), sort: 'nosuch,-note', page: '0', pageSize: '501', fields: 'name,followups,nosuch' },
        customer,
        graph,
        readAll,
      ),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_query');
    expect(e.details.map((d) => [d.path, d.message])).toEqual([
      ['/filter/credit/gt', 'must be a number'],
      ['/q', 'search text may be at most 200 characters'],
      ['/fields', 'followups: only many-to-many relations of the module itself can be listed in fields'],
      ['/fields', 'nosuch: customer has no readable field "nosuch"'],
      ['/sort', 'nosuch: customer has no readable field "nosuch"'],
      ['/sort', '-note: long text, JSON and file fields cannot be sorted'],
      ['/page', 'must be a whole number of at least 1'],
      ['/pageSize', 'must be at most 500'],
    ]);
  });

  it.each<[string, Record<string, string>, string]>([
    ['a sort with SQL', { sort: 'name; DROP TABLE customer' }, '/sort'],
    ['a sort with a function', { sort: 'lower(name)' }, '/sort'],
    ['a sort by a relation', { sort: 'tags' }, '/sort'],
    ['more than 5 sort keys', { sort: 'name,grade,credit,vip,since,id' }, '/sort'],
    ['fields with SQL', { fields: 'name,(SELECT password FROM user)' }, '/fields'],
    ['a page that is not a number', { page: '1e3' }, '/page'],
    ['a negative page', { page: '-1' }, '/page'],
    ['a page size of 0', { pageSize: '0' }, '/pageSize'],
  ])('%s', (_, params, path) => {
    expect(paths(refusal(() => parseList(params, customer, graph, readAll)))).toEqual([path]);
  });

  it('searches the x-list.search fields with escaped LIKE, sorts by the module default with a unique last key', () => {
    const req = parseList({ q: ' 50%_ ', fields: 'name,tags' }, customer, graph, readAll);
    expect(req.where).toEqual({
      kind: 'or',
      items: [compare('name', 'contains', '50%_'), compare('note', 'contains', '50%_')],
    });
    expect(new QueryCompiler(graph, sqlite).condition('customer', req.where).params).toEqual(['%50!%!_%', '%50!%!_%']);
    expect(req.columns).toEqual([fieldRef('id'), fieldRef('name')]);
    expect(req.relations).toEqual(['tags']);
    expect(req.orderBy).toEqual([{ target: fieldRef('id'), desc: true }]);
    const list = parseList({ fields: 'number,salesman.department.code' }, order, graph, readAll);
    expect(list.orderBy).toEqual([
      { target: fieldRef('orderDate'), desc: true },
      { target: fieldRef('number'), desc: false },
      { target: fieldRef('id'), desc: true },
    ]);
    // An embedded record always carries its id.
    expect(list.columns).toEqual([fieldRef('id'), fieldRef('number'), fieldRef('salesman.department.code'), fieldRef('salesman.id'), fieldRef('salesman.department.id')]);
    expect(list.page).toBe(1);
    expect(list.pageSize).toBe(25);
  });
});

describe('parseAggregate', () => {
  const order = module('order');
  const where = { kind: 'const', value: true } as const;

  it('reports every fault of groupBy, metrics and limit at once', () => {
    const e = refusal(() =>
      parseAggregate(
        {
          groupBy: 'foo(orderDate),month(number),nosuch,customer.nosuch,customer.note',
          metrics: 'sum(number),count(x),count(*),median(amount),sum(amount);DROP TABLE order,avg(nosuch),max(customer.note)',
          limit: '0',
        },
        where,
        order,
        graph,
        readAll,
      ),
    );
    expect(e.status).toBe(400);
    expect(e.code).toBe('invalid_aggregate');
    expect(e.details.map((d) => [d.path, d.message])).toEqual([
      ['/groupBy', 'foo(orderDate): unknown date bucket; use day, week, month, quarter, year'],
      ['/groupBy', 'month(number): date buckets apply to date and date-time fields'],
      ['/groupBy', 'nosuch: order has no readable field "nosuch"'],
      ['/groupBy', 'customer.nosuch: customer has no readable field "nosuch"'],
      ['/groupBy', 'customer.note: long text, JSON and file fields cannot be grouped'],
      ['/metrics', 'sum(number): sum needs a number field'],
      ['/metrics', 'count() takes no field; use countDistinct(field)'],
      ['/metrics', 'count() takes no field; use countDistinct(field)'],
      ['/metrics', 'median(amount): use count(…), sum(…), avg(…), min(…), max(…), countDistinct(…)'],
      ['/metrics', 'sum(amount);DROP TABLE order: use count(…), sum(…), avg(…), min(…), max(…), countDistinct(…)'],
      ['/metrics', 'avg(nosuch): order has no readable field "nosuch"'],
      ['/metrics', 'max(customer.note): max needs a number, date or short text field'],
      ['/limit', 'must be a whole number from 1 to 10000'],
    ]);
  });

  it.each<[string, Record<string, string>, string]>([
    ['a groupBy with SQL', { groupBy: 'status; DROP TABLE order' }, '/groupBy'],
    ['a bucket of an expression', { groupBy: 'month(orderDate + 1)' }, '/groupBy'],
    ['nested calls', { groupBy: 'month(day(orderDate))' }, '/groupBy'],
    ['more than 5 groups', { groupBy: 'status,number,amount,orderDate,customer,salesman' }, '/groupBy'],
    ['a metric on a relation', { metrics: 'sum(customer.tags)' }, '/metrics'],
    ['a limit above the maximum', { limit: '10001' }, '/limit'],
    ['a limit with text', { limit: '5 OR 1=1' }, '/limit'],
  ])('%s', (_, params, path) => {
    expect(paths(refusal(() => parseAggregate(params, where, order, graph, readAll)))).toEqual([path]);
  });

  it('keeps the expressions as written for the result keys; count() by default', () => {
    expect(parseAggregate({ groupBy: ' month( orderDate ) , salesman.department.code' }, where, order, graph, readAll)).toEqual({
      module: 'order',
      where,
      groupBy: [
        { name: 'month( orderDate )', target: fieldRef('orderDate'), bucket: 'month' },
        { name: 'salesman.department.code', target: fieldRef('salesman.department.code') },
      ],
      metrics: [{ name: 'count()', fn: 'count' }],
      limit: 1000,
    });
  });
});

// ─── Variables ────────────────────────────────────────────────────────────────────────────────

describe('variables', () => {
  it.each<[string, string]>([
    ['$now', '2025-06-15T12:00:00.000Z'],
    ['$now-30m', '2025-06-15T11:30:00.000Z'],
    ['$now+2h', '2025-06-15T14:00:00.000Z'],
    ['$now-30d', '2025-05-16T12:00:00.000Z'],
    ['$now+1w', '2025-06-22T12:00:00.000Z'],
    ['$now-1M', '2025-05-15T12:00:00.000Z'],
    ['$now+1y', '2026-06-15T12:00:00.000Z'],
  ])('%s is %s', (name, iso) => {
    expect(variableValue(name, VARIABLES)).toEqual(new Date(iso));
  });

  it.each<[string, string]>([
    ['$today', '2025-06-15'],
    ['$today-1d', '2025-06-14'],
    ['$today+1w', '2025-06-22'],
    ['$today-6M', '2024-12-15'],
  ])('%s is %s', (name, date) => {
    expect(variableValue(name, VARIABLES)).toBe(date);
  });

  it('a month or year later is clamped to the end of a shorter month', () => {
    const at = (iso: string) => ({ now: new Date(iso), user: {} });
    expect(variableValue('$now-1M', at('2025-03-31T08:00:00.000Z'))).toEqual(new Date('2025-02-28T08:00:00.000Z'));
    expect(variableValue('$now+1M', at('2025-01-31T08:00:00.000Z'))).toEqual(new Date('2025-02-28T08:00:00.000Z'));
    expect(variableValue('$today-1M', at('2024-03-31T23:00:00.000Z'))).toBe('2024-02-29');
    expect(variableValue('$today+1y', at('2024-02-29T12:00:00.000Z'))).toBe('2025-02-28');
    expect(variableValue('$now-13M', at('2025-03-31T00:00:00.000Z'))).toEqual(new Date('2024-02-29T00:00:00.000Z'));
  });

  it('$user.<attribute> reads only the attributes the context holds', () => {
    expect(variableValue('$user.id', VARIABLES)).toBe(2);
    expect(variableValue('$user.roles', VARIABLES)).toEqual([1, 3]);
    expect(variableValue('$user.department', VARIABLES)).toBeUndefined();
    // Inherited properties of the context object are not attributes.
    expect(variableValue('$user.constructor', VARIABLES)).toBeUndefined();
    expect(variableValue('$user.toString', VARIABLES)).toBeUndefined();
  });

  it('a date beyond what a Date can hold has no value (and so never matches)', () => {
    expect(variableValue('$today-999999y', VARIABLES)).toBeUndefined();
    expect(variableValue('$now+999999y', VARIABLES)).toBeUndefined();
    const resolved = resolveVariables(parseFilter({ orderDate: { gt: '$today-999999y' } }, module('order'), graph), 'order', graph, VARIABLES);
    expect(resolved).toEqual({ kind: 'const', value: false });
  });

  it.each(['$now-30d', '$today+1w', '$now', '$user.id', '$user.roles', '$now-999999y'])('%s is a variable', (name) => {
    expect(isVariableName(name)).toBe(true);
  });
  it.each(['$now-30x', '$now - 30d', '$now-1000000d', '$yesterday', '$user.', '$user.__proto__', '$user.a.b', 'now', '$$now'])('%s is not', (name) => {
    expect(isVariableName(name)).toBe(false);
  });

  it('resolve into stored values of the compared field, in lists too', () => {
    const resolved = (m: string, filter: unknown) => resolveVariables(parseFilter(filter, module(m), graph), m, graph, VARIABLES);
    expect(resolved('followup', { date: { gt: '$now-30d' } })).toEqual(compare('date', 'gt', '2025-05-16 12:00:00.000'));
    expect(resolved('order', { orderDate: { gt: '$now-30d' } })).toEqual(compare('orderDate', 'gt', '2025-05-16'));
    expect(resolved('order', { salesman: { in: ['$user.roles', '$user.id', '$user.nosuch'] } })).toEqual(compare('salesman', 'in', [1, 3, 2]));
    // A variable that cannot be stored in the field is false, not an error and not "no restriction".
    expect(resolved('order', { number: '$now' })).toEqual({ kind: 'const', value: false });
    expect(resolved('order', { salesman: '$user.constructor' })).toEqual({ kind: 'const', value: false });
    // In a relation, against the related module's fields.
    expect(resolved('customer', { followups: { some: { date: { gte: '$today' } } } })).toEqual({
      kind: 'relation', refs: [], relation: 'followups', quantifier: 'some', where: compare('date', 'gte', '2025-06-15 00:00:00.000'),
    });
  });

  it('a list variable in a single-value comparison becomes in / nin, or false for an order comparison', () => {
    const resolved = (filter: unknown) => resolveVariables(parseFilter(filter, module('order'), graph), 'order', graph, VARIABLES);
    expect(resolved({ salesman: '$user.roles' })).toEqual(compare('salesman', 'in', [1, 3]));
    expect(resolved({ salesman: { ne: '$user.roles' } })).toEqual(compare('salesman', 'nin', [1, 3]));
    expect(resolved({ salesman: { gt: '$user.roles' } })).toEqual({ kind: 'const', value: false });
  });

  it('a range with an end that has no value never matches (and still compiles)', () => {
    const resolved = (filter: unknown) => resolveVariables(parseFilter(filter, module('order'), graph), 'order', graph, VARIABLES);
    expect(resolved({ amount: { between: ['$user.department', 5] } })).toEqual({ kind: 'const', value: false });
    expect(resolved({ amount: { between: ['$user.roles', 5] } })).toEqual({ kind: 'const', value: false });
    expect(resolved({ amount: { between: ['$user.id', 5] } })).toEqual(compare('amount', 'between', [2, 5]));
  });

  it('use the fixed clock of the context, not the wall clock', () => {
    expect(NOW.toISOString()).toBe('2025-06-15T12:00:00.000Z');
    const sql = new QueryCompiler(graph, sqlite).condition('followup', whereOf('followup', { filter: { date: { gt: '$now-1d' } } }, graph));
    expect(sql.params).toEqual(['2025-06-14 12:00:00.000']);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
