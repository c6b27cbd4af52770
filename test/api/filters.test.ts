/**
 * The whole filter language of API.md "Records", on a fixed data set, asserting the exact ids.
 * Logic is two-valued: a comparison with a missing value is false, so `ne`, `nin` and `not`
 * include the rows where the value is NULL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, defineCrm, departments, expectStatus, idsOf, isoDay, secondAdmin, sorted } from './crm.js';

describeEachDialect('filter language', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let dana: Client;
  const c: Record<string, number> = {};
  const o: Record<string, number> = {};
  const l: Record<string, number> = {};
  const s: Record<string, number> = {};

  const customers = (filter: unknown, as: Client = admin) => idsOf(as, 'customer', filter);
  const orders = (filter: unknown) => idsOf(admin, 'order', filter);
  const lines = (filter: unknown) => idsOf(admin, 'orderline', filter);
  const ids = (map: Record<string, number>, ...keys: string[]) => sorted(keys.map((k) => map[k]!));

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
    dana = (await secondAdmin(admin, app.client, 'dana', 'Dana')).client;
    const d = await departments(admin, ['00', '0010', '001001', '001002', '0002']);
    s.a = await create(admin, 'salesman', { name: 'Sam A', department: d['001001'] });
    s.b = await create(admin, 'salesman', { name: 'Sue B', department: d['001002'] });
    s.c = await create(admin, 'salesman', { name: 'Tom C', department: d['0002'] });
    s.d = await create(admin, 'salesman', { name: 'Uma D' });
    const vip = await create(admin, 'tag', { name: 'vip' });
    const fresh = await create(admin, 'tag', { name: 'new' });
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();

    c[1] = await create(admin, 'customer', { name: 'Alpha Foods', grade: 'gold', industry: 'food', phone: '1001', since: isoDay(0), lastContactAt: '2021-03-01T10:00:00Z', vip: true, visits: 5, salesman: s.a, tags: [vip, fresh] });
    c[2] = await create(admin, 'customer', { name: 'Beta Tech', grade: 'silver', industry: 'it', phone: '1002', since: isoDay(-1), lastContactAt: '2021-03-01T12:00:00Z', vip: false, visits: 0, salesman: s.b, tags: [fresh] });
    c[3] = await create(admin, 'customer', { name: 'Gamma Tech', grade: 'gold', industry: 'it', phone: '1003', since: isoDay(-40), lastContactAt: twoHoursAgo, visits: 12, salesman: s.c });
    c[4] = await create(admin, 'customer', { name: 'Delta 50% Off', grade: 'bronze', lastContactAt: '2020-12-31T23:59:59.000Z', vip: true, tags: [vip] });
    // Created by dana, with a date-time sent in another zone: 2021-03-01T01:00:00Z.
    c[5] = await create(dana, 'customer', { name: 'epsilon_x', industry: 'food', phone: '2005', since: '2020-01-15', lastContactAt: '2021-02-28T23:00:00-02:00', visits: 7, salesman: s.a });

    for (const [customer, days, method] of [
      [c[1], -5, 'phone'], [c[1], -60, 'visit'], [c[2], -45, 'phone'], [c[3], -2, 'wechat'], [c[5], -90, 'phone'], [c[5], -31, 'phone'],
    ] as const) {
      await create(admin, 'followup', { customer, date: isoDay(days), method });
    }

    o[1] = await create(admin, 'order', { number: 'A-001', amount: 100, orderDate: '2021-01-15', paidAt: '2021-01-15T10:00:00Z', status: 'paid', customer: c[1], salesman: s.a });
    o[2] = await create(admin, 'order', { number: 'A-002', amount: 250.5, orderDate: '2021-02-01', customer: c[1], salesman: s.b });
    o[3] = await create(admin, 'order', { number: 'B-001', amount: 100000, orderDate: '2021-02-14', paidAt: '2021-02-20T08:00:00Z', status: 'paid', customer: c[2], salesman: s.b });
    o[4] = await create(admin, 'order', { number: 'B-002', amount: 500, orderDate: '2021-03-31', status: 'cancelled', customer: c[3], salesman: s.c });
    o[5] = await create(admin, 'order', { number: 'C-001', amount: 0, salesman: s.d });

    l[1] = await create(admin, 'orderline', { order: o[1], product: 'python', qty: 1 });
    l[2] = await create(admin, 'orderline', { order: o[1], product: 'linux', qty: 2 });
    l[3] = await create(admin, 'orderline', { order: o[3], product: 'python', qty: 3 });
    l[4] = await create(admin, 'orderline', { order: o[4], product: 'java', qty: 1 });
    l[5] = await create(admin, 'orderline', { order: o[5], product: 'python' });
  });
  afterAll(() => app?.close());

  describe('comparison operators', () => {
    it('implicit equality and eq', async () => {
      expect(await customers({ grade: 'gold' })).toEqual(ids(c, '1', '3'));
      expect(await customers({ grade: { eq: 'gold' } })).toEqual(ids(c, '1', '3'));
      expect(await orders({ amount: 250.5 })).toEqual(ids(o, '2'));
      expect(await customers({ salesman: s.a })).toEqual(ids(c, '1', '5'));
    });

    it('ne includes the rows where the value is NULL', async () => {
      expect(await customers({ grade: { ne: 'gold' } })).toEqual(ids(c, '2', '4', '5'));
      expect(await customers({ industry: { ne: 'it' } })).toEqual(ids(c, '1', '4', '5'));
    });

    it('gt gte lt lte on integers', async () => {
      expect(await customers({ visits: { gt: 5 } })).toEqual(ids(c, '3', '5'));
      expect(await customers({ visits: { gte: 5 } })).toEqual(ids(c, '1', '3', '5'));
      expect(await customers({ visits: { lt: 5 } })).toEqual(ids(c, '2'));
      expect(await customers({ visits: { lte: 5 } })).toEqual(ids(c, '1', '2'));
      expect(await customers({ visits: { gt: 0, lt: 12 } })).toEqual(ids(c, '1', '5'));
    });

    it('gt lt on decimals', async () => {
      expect(await orders({ amount: { gt: 250 } })).toEqual(ids(o, '2', '3', '4'));
      expect(await orders({ amount: { lte: 100 } })).toEqual(ids(o, '1', '5'));
    });

    it('in and nin (nin includes NULL), and an array value as in', async () => {
      expect(await customers({ grade: { in: ['gold', 'bronze'] } })).toEqual(ids(c, '1', '3', '4'));
      expect(await customers({ grade: { nin: ['gold', 'bronze'] } })).toEqual(ids(c, '2', '5'));
      expect(await customers({ grade: ['silver', 'bronze'] })).toEqual(ids(c, '2', '4'));
      expect(await customers({ visits: { in: [] } })).toEqual([]);
      expect(await customers({ id: [c[2], c[4]] })).toEqual(ids(c, '2', '4'));
    });

    it('between is inclusive at both ends', async () => {
      expect(await customers({ visits: { between: [5, 7] } })).toEqual(ids(c, '1', '5'));
      expect(await orders({ amount: { between: [100, 500] } })).toEqual(ids(o, '1', '2', '4'));
    });

    it('contains, startsWith, endsWith; % and _ are literal characters', async () => {
      expect(await customers({ name: { contains: 'Tech' } })).toEqual(ids(c, '2', '3'));
      expect(await customers({ name: { startsWith: 'Beta' } })).toEqual(ids(c, '2'));
      expect(await customers({ name: { endsWith: 'Tech' } })).toEqual(ids(c, '2', '3'));
      expect(await customers({ name: { contains: '50%' } })).toEqual(ids(c, '4'));
      expect(await customers({ name: { contains: '%' } })).toEqual(ids(c, '4'));
      expect(await customers({ name: { contains: '_' } })).toEqual(ids(c, '5'));
      expect(await customers({ name: { startsWith: 'Delta 5' } })).toEqual(ids(c, '4'));
      expect(await customers({ name: { contains: '!' } })).toEqual([]);
    });

    it('isNull true and false, and {"field": null}', async () => {
      expect(await customers({ industry: { isNull: true } })).toEqual(ids(c, '4'));
      expect(await customers({ industry: { isNull: false } })).toEqual(ids(c, '1', '2', '3', '5'));
      expect(await customers({ grade: null })).toEqual(ids(c, '5'));
      expect(await customers({ phone: null })).toEqual(ids(c, '4'));
      expect(await customers({ salesman: null })).toEqual(ids(c, '4'));
      expect(await customers({ grade: { ne: null } })).toEqual(ids(c, '1', '2', '3', '4'));
    });

    it('booleans', async () => {
      expect(await customers({ vip: true })).toEqual(ids(c, '1', '4'));
      expect(await customers({ vip: false })).toEqual(ids(c, '2', '3', '5'));
      expect(await customers({ vip: { ne: true } })).toEqual(ids(c, '2', '3', '5'));
    });
  });

  describe('and, or, not', () => {
    it('several keys in one object are AND-ed', async () => {
      expect(await customers({ grade: 'gold', vip: true })).toEqual(ids(c, '1'));
    });

    it('and, or', async () => {
      expect(await customers({ and: [{ grade: 'gold' }, { industry: 'it' }] })).toEqual(ids(c, '3'));
      expect(await customers({ or: [{ grade: 'silver' }, { industry: 'food' }] })).toEqual(ids(c, '1', '2', '5'));
      expect(await customers({ or: [{ grade: 'bronze' }, { and: [{ industry: 'it' }, { visits: { gt: 1 } }] }] })).toEqual(ids(c, '3', '4'));
      expect(await customers({ or: [] })).toEqual([]);
      expect(await customers({ and: [] })).toEqual(ids(c, '1', '2', '3', '4', '5'));
    });

    it('not over a value that is NULL on some rows includes those rows', async () => {
      expect(await customers({ not: { grade: 'gold' } })).toEqual(ids(c, '2', '4', '5'));
      expect(await customers({ not: { industry: 'it' } })).toEqual(ids(c, '1', '4', '5'));
      expect(await customers({ not: { visits: { gt: 4 } } })).toEqual(ids(c, '2', '4'));
      expect(await customers({ not: { visits: { between: [1, 12] } } })).toEqual(ids(c, '2', '4'));
      expect(await customers({ not: { name: { contains: 'Tech' } } })).toEqual(ids(c, '1', '4', '5'));
      expect(await customers({ not: { grade: { in: ['gold', 'silver'] } } })).toEqual(ids(c, '4', '5'));
    });

    it('not of not, not of and (De Morgan), not of isNull', async () => {
      expect(await customers({ not: { not: { grade: 'gold' } } })).toEqual(ids(c, '1', '3'));
      expect(await customers({ not: { and: [{ grade: 'gold' }, { vip: true }] } })).toEqual(ids(c, '2', '3', '4', '5'));
      expect(await customers({ not: { or: [{ grade: 'gold' }, { vip: true }] } })).toEqual(ids(c, '2', '5'));
      expect(await customers({ not: { industry: { isNull: true } } })).toEqual(ids(c, '1', '2', '3', '5'));
      expect(await customers({ not: { grade: null } })).toEqual(ids(c, '1', '2', '3', '4'));
    });
  });

  describe('paths through references', () => {
    it('depth 1', async () => {
      expect(await customers({ 'salesman.name': 'Sue B' })).toEqual(ids(c, '2'));
      expect(await orders({ 'customer.grade': 'gold' })).toEqual(ids(o, '1', '2', '4'));
    });

    it('depth 2', async () => {
      expect(await customers({ 'salesman.department.code': { startsWith: '0010' } })).toEqual(ids(c, '1', '2', '5'));
      expect(await orders({ 'salesman.department.code': '001002' })).toEqual(ids(o, '2', '3'));
      expect(await orders({ 'customer.salesman.name': 'Sam A' })).toEqual(ids(o, '1', '2'));
    });

    it('depth 3: orderline.order.salesman.department.code', async () => {
      expect(await lines({ 'order.salesman.department.code': { startsWith: '0010' } })).toEqual(ids(l, '1', '2', '3'));
      expect(await lines({ 'order.salesman.department.code': '001002' })).toEqual(ids(l, '3'));
      expect(await lines({ 'order.customer.salesman.name': 'Tom C' })).toEqual(ids(l, '4'));
    });

    it('not over a path includes records whose path is broken (null reference)', async () => {
      expect(await customers({ not: { 'salesman.department.code': { startsWith: '0010' } } })).toEqual(ids(c, '3', '4'));
      expect(await orders({ not: { 'customer.grade': 'gold' } })).toEqual(ids(o, '3', '5'));
      expect(await orders({ 'customer.grade': { isNull: true } })).toEqual(ids(o, '5'));
    });
  });

  describe('to-many relations', () => {
    it('some / none / every on a one-to-many relation', async () => {
      expect(await customers({ followups: { some: { date: { gt: '$now-30d' } } } })).toEqual(ids(c, '1', '3'));
      // S-5: not followed up for more than a month (none at all counts too)
      expect(await customers({ followups: { none: { date: { gt: '$now-30d' } } } })).toEqual(ids(c, '2', '4', '5'));
      // every is true for a customer without follow-ups
      expect(await customers({ followups: { every: { method: 'phone' } } })).toEqual(ids(c, '2', '4', '5'));
      expect(await customers({ followups: { some: {} } })).toEqual(ids(c, '1', '2', '3', '5'));
      expect(await customers({ followups: { none: {} } })).toEqual(ids(c, '4'));
    });

    it('some with several conditions on the same related record', async () => {
      expect(await customers({ followups: { some: { method: 'phone', date: { gte: isoDay(-45) } } } })).toEqual(ids(c, '1', '2', '5'));
      expect(await customers({ followups: { some: { method: 'visit', date: { gte: isoDay(-30) } } } })).toEqual([]);
    });

    it('not over a quantifier', async () => {
      expect(await customers({ not: { followups: { some: { method: 'phone' } } } })).toEqual(ids(c, '3', '4'));
      expect(await customers({ not: { followups: { every: { method: 'phone' } } } })).toEqual(ids(c, '1', '3'));
    });

    it('some and none on a many-to-many relation', async () => {
      expect(await customers({ tags: { some: { name: 'vip' } } })).toEqual(ids(c, '1', '4'));
      expect(await customers({ tags: { some: { name: { in: ['vip', 'new'] } } } })).toEqual(ids(c, '1', '2', '4'));
      expect(await customers({ tags: { none: { name: 'vip' } } })).toEqual(ids(c, '2', '3', '5'));
      expect(await customers({ tags: { every: { name: 'vip' } } })).toEqual(ids(c, '3', '4', '5'));
    });

    it('a relation reached through a reference path', async () => {
      expect(await orders({ 'customer.followups': { some: { method: 'wechat' } } })).toEqual(ids(o, '4'));
      expect(await orders({ 'customer.tags': { some: { name: 'new' } } })).toEqual(ids(o, '1', '2', '3'));
    });
  });

  describe('variables, dates and date-times', () => {
    it('$today and literal dates on a date field', async () => {
      expect(await customers({ since: '$today' })).toEqual(ids(c, '1'));
      expect(await customers({ since: { gte: '$today' } })).toEqual(ids(c, '1'));
      expect(await customers({ since: { lt: '$today' } })).toEqual(ids(c, '2', '3', '5'));
      expect(await customers({ since: { gte: '$today-1d' } })).toEqual(ids(c, '1', '2'));
      expect(await customers({ since: { between: [isoDay(-45), isoDay(-1)] } })).toEqual(ids(c, '2', '3'));
      expect(await customers({ since: { lt: '2020-06-01' } })).toEqual(ids(c, '5'));
      expect(await orders({ orderDate: { between: ['2021-02-01', '2021-02-28'] } })).toEqual(ids(o, '2', '3'));
      expect(await orders({ orderDate: '2021-03-31' })).toEqual(ids(o, '4'));
    });

    it('$now with units on a date-time field', async () => {
      expect(await customers({ lastContactAt: { gt: '$now-30d' } })).toEqual(ids(c, '3'));
      expect(await customers({ lastContactAt: { gt: '$now-3h' } })).toEqual(ids(c, '3'));
      expect(await customers({ lastContactAt: { gt: '$now-1h' } })).toEqual([]);
      expect(await customers({ lastContactAt: { gt: '$now-180m' } })).toEqual(ids(c, '3'));
      expect(await customers({ lastContactAt: { lt: '$now-1w' } })).toEqual(ids(c, '1', '2', '4', '5'));
      expect(await customers({ lastContactAt: { gt: '$now-1M' } })).toEqual(ids(c, '3'));
      expect(await customers({ lastContactAt: { lte: '$now' } })).toEqual(ids(c, '1', '2', '3', '4', '5'));
      expect(await customers({ lastContactAt: { gt: '$now+1y' } })).toEqual([]);
    });

    it('date-times compare in UTC, whatever zone the value is written in', async () => {
      expect(await customers({ lastContactAt: { gt: '2021-03-01T10:00:00Z' } })).toEqual(ids(c, '2', '3'));
      expect(await customers({ lastContactAt: { gte: '2021-03-01T10:00:00Z' } })).toEqual(ids(c, '1', '2', '3'));
      expect(await customers({ lastContactAt: { lt: '2021-03-01T03:00:00+02:00' } })).toEqual(ids(c, '4'));
      expect(await customers({ lastContactAt: { lte: '2021-03-01T03:00:00+02:00' } })).toEqual(ids(c, '4', '5'));
      expect(await customers({ lastContactAt: '2021-03-01T01:00:00.000Z' })).toEqual(ids(c, '5'));
      // a date alone is midnight UTC
      expect(await customers({ lastContactAt: { lt: '2021-03-01' } })).toEqual(ids(c, '4'));
      expect(await customers({ lastContactAt: { between: ['2021-03-01T00:00:00Z', '2021-03-01T23:59:59Z'] } })).toEqual(ids(c, '1', '2', '5'));
      expect(await orders({ paidAt: { isNull: true } })).toEqual(ids(o, '2', '4', '5'));
    });

    it('$user.id is the caller: createdBy = $user.id', async () => {
      expect(await customers({ createdBy: '$user.id' }, dana)).toEqual(ids(c, '5'));
      expect(await customers({ createdBy: '$user.id' }, admin)).toEqual(ids(c, '1', '2', '3', '4'));
      expect(await customers({ not: { createdBy: '$user.id' } }, dana)).toEqual(ids(c, '1', '2', '3', '4'));
    });

    it('variables inside a relation and inside lists', async () => {
      // every follow-up was entered by admin
      expect(await customers({ followups: { some: { createdBy: '$user.id' } } }, dana)).toEqual([]);
      expect(await customers({ followups: { some: { createdBy: '$user.id' } } }, admin)).toEqual(ids(c, '1', '2', '3', '5'));
      expect(await customers({ createdBy: { in: ['$user.id', 999999] } }, dana)).toEqual(ids(c, '5'));
      expect(await customers({ since: { between: ['$today-1d', '$today'] } })).toEqual(ids(c, '1', '2'));
    });

    it('system date-times are filterable: createdAt', async () => {
      expect(await customers({ createdAt: { gt: '$now-1h' } })).toEqual(ids(c, '1', '2', '3', '4', '5'));
      expect(await customers({ createdAt: { lt: '$now-1h' } })).toEqual([]);
    });
  });

  describe('refused filters: 400 invalid_query with a pointer to each fault', () => {
    const bad = async (filter: unknown) => {
      const r = await admin.get(`/api/data/customer?${filterParam(filter)}`);
      expect(r.status).toBe(400);
      // a list reports the faults of all its parameters together, under one code
      expect(r.body.error.code).toBe('invalid_query');
      return r.body.error.details.map((d: { path: string }) => d.path);
    };

    it('names every fault at once', async () => {
      expect(await bad({ and: [{ nosuch: 1 }, { visits: { gt: 'many' } }, { grade: { like: 'g' } }] })).toEqual([
        '/filter/and/0/nosuch', '/filter/and/1/visits/gt', '/filter/and/2/grade/like',
      ]);
    });

    it('wrong shapes and types', async () => {
      expect(await bad({ visits: { contains: '1' } })).toEqual(['/filter/visits/contains']);
      expect(await bad({ visits: { between: [1] } })).toEqual(['/filter/visits/between']);
      expect(await bad({ vip: 'perhaps' })).toEqual(['/filter/vip']);
      expect(await bad({ since: { gt: '31/12/2020' } })).toEqual(['/filter/since/gt']);
      // not a day of the calendar: refused rather than read as 2021-03-01
      expect(await bad({ since: '2021-02-29' })).toEqual(['/filter/since']);
      expect(await bad({ lastContactAt: { lt: '2021-04-31T10:00:00Z' } })).toEqual(['/filter/lastContactAt/lt']);
      expect(await bad({ 'name.first': 'x' })).toEqual(['/filter/name.first']);
      expect(await bad({ followups: { any: {} } })).toEqual(['/filter/followups/any']);
      expect(await bad({ followups: { some: { nosuch: 1 } } })).toEqual(['/filter/followups/some/nosuch']);
      expect(await bad({ or: { grade: 'gold' } })).toEqual(['/filter/or']);
      expect(await bad([1, 2])).toEqual(['/filter']);
    });

    it('filter text that is not JSON', async () => {
      const r = await admin.get('/api/data/customer?filter=%7Bgrade');
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_query');
      expect(r.body.error.details).toEqual([{ path: '/filter', message: 'is not valid JSON' }]);
    });

    it('the total follows the filter', async () => {
      const r = expectStatus(await admin.get(`/api/data/customer?${filterParam({ grade: 'gold' })}&pageSize=1`), 200);
      expect(r.body.meta).toEqual({ total: 2, page: 1, pageSize: 1 });
      expect(r.body.data).toHaveLength(1);
    });
  });
});
