/** `GET /api/data/<m>/aggregate`: group terms, date buckets and metrics, with exact expected rows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, defineCrm, defineModule, departments, expectStatus } from './crm.js';

describeEachDialect('aggregates', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const s: Record<string, number> = {};
  const c: Record<string, number> = {};

  const aggregate = async (query: string) => expectStatus(await admin.get(`/api/data/order/aggregate?${query}`), 200).body.data;
  const byBucket = (bucket: string, field: string) => aggregate(`groupBy=${bucket}(${field})&metrics=count(),sum(amount)`);

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
    const d = await departments(admin, ['0010', '0020']);
    s.ann = await create(admin, 'salesman', { name: 'Ann', department: d['0010'] });
    s.bob = await create(admin, 'salesman', { name: 'Bob', department: d['0020'] });
    s.cy = await create(admin, 'salesman', { name: 'Cy' });
    c[1] = await create(admin, 'customer', { name: 'C1' });
    c[2] = await create(admin, 'customer', { name: 'C2' });
    c[3] = await create(admin, 'customer', { name: 'C3' });
    // 2024-01-01 and 2024-01-08 are Mondays; 2023-12-31, 2024-01-07 and 2024-03-31 are Sundays.
    const orders = [
      { number: 'O1', amount: 100, orderDate: '2024-01-01', paidAt: '2024-01-01T00:30:00Z', status: 'paid', salesman: s.ann, customer: c[1] },
      { number: 'O2', amount: 200, orderDate: '2024-01-07', paidAt: '2024-01-07T23:59:59Z', status: 'paid', salesman: s.ann, customer: c[1] },
      // paid on 2024-01-07 in UTC, though written as the 8th in +01:00
      { number: 'O3', amount: 300, orderDate: '2024-01-08', paidAt: '2024-01-08T00:00:00+01:00', status: 'open', salesman: s.bob, customer: c[2] },
      { number: 'O4', amount: 400, orderDate: '2024-03-31', paidAt: '2024-04-01T01:00:00+02:00', status: 'paid', salesman: s.bob, customer: c[2] },
      { number: 'O5', amount: 50, orderDate: '2024-04-01', status: 'open', salesman: s.cy, customer: c[3] },
      { number: 'O6', amount: 1000, orderDate: '2023-12-31', paidAt: '2023-12-31T12:00:00Z', status: 'cancelled' },
      { number: 'O7', amount: 25.5, status: 'open', salesman: s.ann, customer: c[3] },
    ];
    for (const order of orders) await create(admin, 'order', order);
  });
  afterAll(() => app?.close());

  describe('metrics', () => {
    it('count sum avg min max countDistinct over all records, without groupBy', async () => {
      expect(await aggregate('metrics=count(),sum(amount),avg(amount),min(amount),max(amount),countDistinct(customer),countDistinct(status)')).toEqual([
        { 'count()': 7, 'sum(amount)': 2075.5, 'avg(amount)': 296.5, 'min(amount)': 25.5, 'max(amount)': 1000, 'countDistinct(customer)': 3, 'countDistinct(status)': 3 },
      ]);
    });

    it('min and max of dates and date-times come back as dates and ISO date-times', async () => {
      expect(await aggregate('metrics=min(orderDate),max(orderDate),min(paidAt),max(paidAt)')).toEqual([
        { 'min(orderDate)': '2023-12-31', 'max(orderDate)': '2024-04-01', 'min(paidAt)': '2023-12-31T12:00:00.000Z', 'max(paidAt)': '2024-03-31T23:00:00.000Z' },
      ]);
    });

    it('count() is the default metric', async () => {
      expect(await aggregate('')).toEqual([{ 'count()': 7 }]);
    });

    it('over no records: count 0, sum and avg null', async () => {
      expect(await aggregate(`metrics=count(),sum(amount),avg(amount),max(paidAt)&${filterParam({ amount: { gt: 5000 } })}`)).toEqual([
        { 'count()': 0, 'sum(amount)': null, 'avg(amount)': null, 'max(paidAt)': null },
      ]);
      expect(await aggregate(`groupBy=status&${filterParam({ amount: { gt: 5000 } })}`)).toEqual([]);
    });
  });

  describe('decimal and integer arithmetic is exact and the same on both dialects', () => {
    beforeAll(async () => {
      await defineModule(admin, {
        $id: 'payment', type: 'object',
        properties: { amount: { type: 'number', 'x-precision': 12, 'x-scale': 2 }, units: { type: 'integer' }, kind: { type: 'string', maxLength: 8 } },
      });
      for (const [amount, units, kind] of [[0.1, 1, 'a'], [0.2, 2, 'a'], [0.7, 2, 'b'], [1.01, 2, 'b'], [2.02, 7, 'b']] as const) {
        await create(admin, 'payment', { amount, units, kind });
      }
    });
    const payments = async (query: string) => expectStatus(await admin.get(`/api/data/payment/aggregate?${query}`), 200).body.data;

    it('sum of decimals: 0.1 + 0.2 is 0.3', async () => {
      expect(await payments('groupBy=kind&metrics=sum(amount),min(amount),max(amount)')).toEqual([
        { kind: 'a', 'sum(amount)': 0.3, 'min(amount)': 0.1, 'max(amount)': 0.2 },
        { kind: 'b', 'sum(amount)': 3.73, 'min(amount)': 0.7, 'max(amount)': 2.02 },
      ]);
    });

    it('avg is rounded to 4 more decimals than the field has', async () => {
      // (0.7 + 1.01 + 2.02) / 3 = 1.24333…; (2 + 2 + 7) / 3 = 3.666…
      expect(await payments(`metrics=avg(amount),avg(units),sum(units)&${filterParam({ kind: 'b' })}`)).toEqual([
        { 'avg(amount)': 1.243333, 'avg(units)': 3.6667, 'sum(units)': 11 },
      ]);
    });
  });

  describe('groupBy', () => {
    it('a field, groups in ascending order', async () => {
      expect(await aggregate('groupBy=status&metrics=count(),sum(amount),max(amount)')).toEqual([
        { status: 'cancelled', 'count()': 1, 'sum(amount)': 1000, 'max(amount)': 1000 },
        { status: 'open', 'count()': 3, 'sum(amount)': 375.5, 'max(amount)': 300 },
        { status: 'paid', 'count()': 3, 'sum(amount)': 700, 'max(amount)': 400 },
      ]);
    });

    it('a reference: the group key is the id, a missing reference is a null group', async () => {
      expect(await aggregate('groupBy=salesman&metrics=count(),countDistinct(customer)')).toEqual([
        { salesman: null, 'count()': 1, 'countDistinct(customer)': 0 },
        { salesman: s.ann, 'count()': 3, 'countDistinct(customer)': 2 },
        { salesman: s.bob, 'count()': 2, 'countDistinct(customer)': 1 },
        { salesman: s.cy, 'count()': 1, 'countDistinct(customer)': 1 },
      ]);
    });

    it('a reference path of depth 2', async () => {
      expect(await aggregate('groupBy=salesman.department.code&metrics=count(),sum(amount)')).toEqual([
        { 'salesman.department.code': null, 'count()': 2, 'sum(amount)': 1050 },
        { 'salesman.department.code': '0010', 'count()': 3, 'sum(amount)': 325.5 },
        { 'salesman.department.code': '0020', 'count()': 2, 'sum(amount)': 700 },
      ]);
    });

    it('with a filter', async () => {
      expect(await aggregate(`groupBy=salesman.department.code&metrics=count(),sum(amount),avg(amount),min(orderDate)&${filterParam({ status: { ne: 'cancelled' } })}`)).toEqual([
        { 'salesman.department.code': null, 'count()': 1, 'sum(amount)': 50, 'avg(amount)': 50, 'min(orderDate)': '2024-04-01' },
        { 'salesman.department.code': '0010', 'count()': 3, 'sum(amount)': 325.5, 'avg(amount)': 108.5, 'min(orderDate)': '2024-01-01' },
        { 'salesman.department.code': '0020', 'count()': 2, 'sum(amount)': 700, 'avg(amount)': 350, 'min(orderDate)': '2024-01-08' },
      ]);
      expect(await aggregate(`groupBy=salesman.name&metrics=sum(amount)&${filterParam({ 'customer.name': { in: ['C1', 'C3'] } })}`)).toEqual([
        { 'salesman.name': 'Ann', 'sum(amount)': 325.5 },
        { 'salesman.name': 'Cy', 'sum(amount)': 50 },
      ]);
    });

    it('limit keeps the first groups in order', async () => {
      expect(await aggregate('groupBy=status&limit=2')).toEqual([
        { status: 'cancelled', 'count()': 1 },
        { status: 'open', 'count()': 3 },
      ]);
    });

    it('two terms: a bucket and a field', async () => {
      expect(await aggregate('groupBy=year(orderDate),status&metrics=count()')).toEqual([
        { 'year(orderDate)': null, status: 'open', 'count()': 1 },
        { 'year(orderDate)': '2023', status: 'cancelled', 'count()': 1 },
        { 'year(orderDate)': '2024', status: 'open', 'count()': 2 },
        { 'year(orderDate)': '2024', status: 'paid', 'count()': 3 },
      ]);
    });
  });

  describe('date buckets on a date field', () => {
    it('day', async () => {
      expect(await byBucket('day', 'orderDate')).toEqual([
        { 'day(orderDate)': null, 'count()': 1, 'sum(amount)': 25.5 },
        { 'day(orderDate)': '2023-12-31', 'count()': 1, 'sum(amount)': 1000 },
        { 'day(orderDate)': '2024-01-01', 'count()': 1, 'sum(amount)': 100 },
        { 'day(orderDate)': '2024-01-07', 'count()': 1, 'sum(amount)': 200 },
        { 'day(orderDate)': '2024-01-08', 'count()': 1, 'sum(amount)': 300 },
        { 'day(orderDate)': '2024-03-31', 'count()': 1, 'sum(amount)': 400 },
        { 'day(orderDate)': '2024-04-01', 'count()': 1, 'sum(amount)': 50 },
      ]);
    });

    it('week: named by its Monday; Sunday ends the week', async () => {
      expect(await byBucket('week', 'orderDate')).toEqual([
        { 'week(orderDate)': null, 'count()': 1, 'sum(amount)': 25.5 },
        { 'week(orderDate)': '2023-12-25', 'count()': 1, 'sum(amount)': 1000 },
        { 'week(orderDate)': '2024-01-01', 'count()': 2, 'sum(amount)': 300 },
        { 'week(orderDate)': '2024-01-08', 'count()': 1, 'sum(amount)': 300 },
        { 'week(orderDate)': '2024-03-25', 'count()': 1, 'sum(amount)': 400 },
        { 'week(orderDate)': '2024-04-01', 'count()': 1, 'sum(amount)': 50 },
      ]);
    });

    it('month', async () => {
      expect(await byBucket('month', 'orderDate')).toEqual([
        { 'month(orderDate)': null, 'count()': 1, 'sum(amount)': 25.5 },
        { 'month(orderDate)': '2023-12', 'count()': 1, 'sum(amount)': 1000 },
        { 'month(orderDate)': '2024-01', 'count()': 3, 'sum(amount)': 600 },
        { 'month(orderDate)': '2024-03', 'count()': 1, 'sum(amount)': 400 },
        { 'month(orderDate)': '2024-04', 'count()': 1, 'sum(amount)': 50 },
      ]);
    });

    it('quarter', async () => {
      expect(await byBucket('quarter', 'orderDate')).toEqual([
        { 'quarter(orderDate)': null, 'count()': 1, 'sum(amount)': 25.5 },
        { 'quarter(orderDate)': '2023-Q4', 'count()': 1, 'sum(amount)': 1000 },
        { 'quarter(orderDate)': '2024-Q1', 'count()': 4, 'sum(amount)': 1000 },
        { 'quarter(orderDate)': '2024-Q2', 'count()': 1, 'sum(amount)': 50 },
      ]);
    });

    it('year', async () => {
      expect(await byBucket('year', 'orderDate')).toEqual([
        { 'year(orderDate)': null, 'count()': 1, 'sum(amount)': 25.5 },
        { 'year(orderDate)': '2023', 'count()': 1, 'sum(amount)': 1000 },
        { 'year(orderDate)': '2024', 'count()': 5, 'sum(amount)': 1050 },
      ]);
    });
  });

  describe('date buckets on a date-time field (in UTC)', () => {
    it('day', async () => {
      expect(await byBucket('day', 'paidAt')).toEqual([
        { 'day(paidAt)': null, 'count()': 2, 'sum(amount)': 75.5 },
        { 'day(paidAt)': '2023-12-31', 'count()': 1, 'sum(amount)': 1000 },
        { 'day(paidAt)': '2024-01-01', 'count()': 1, 'sum(amount)': 100 },
        { 'day(paidAt)': '2024-01-07', 'count()': 2, 'sum(amount)': 500 },
        { 'day(paidAt)': '2024-03-31', 'count()': 1, 'sum(amount)': 400 },
      ]);
    });

    it('week', async () => {
      expect(await byBucket('week', 'paidAt')).toEqual([
        { 'week(paidAt)': null, 'count()': 2, 'sum(amount)': 75.5 },
        { 'week(paidAt)': '2023-12-25', 'count()': 1, 'sum(amount)': 1000 },
        { 'week(paidAt)': '2024-01-01', 'count()': 3, 'sum(amount)': 600 },
        { 'week(paidAt)': '2024-03-25', 'count()': 1, 'sum(amount)': 400 },
      ]);
    });

    it('month', async () => {
      expect(await byBucket('month', 'paidAt')).toEqual([
        { 'month(paidAt)': null, 'count()': 2, 'sum(amount)': 75.5 },
        { 'month(paidAt)': '2023-12', 'count()': 1, 'sum(amount)': 1000 },
        { 'month(paidAt)': '2024-01', 'count()': 3, 'sum(amount)': 600 },
        { 'month(paidAt)': '2024-03', 'count()': 1, 'sum(amount)': 400 },
      ]);
    });

    it('quarter', async () => {
      expect(await byBucket('quarter', 'paidAt')).toEqual([
        { 'quarter(paidAt)': null, 'count()': 2, 'sum(amount)': 75.5 },
        { 'quarter(paidAt)': '2023-Q4', 'count()': 1, 'sum(amount)': 1000 },
        { 'quarter(paidAt)': '2024-Q1', 'count()': 4, 'sum(amount)': 1000 },
      ]);
    });

    it('year', async () => {
      expect(await byBucket('year', 'paidAt')).toEqual([
        { 'year(paidAt)': null, 'count()': 2, 'sum(amount)': 75.5 },
        { 'year(paidAt)': '2023', 'count()': 1, 'sum(amount)': 1000 },
        { 'year(paidAt)': '2024', 'count()': 4, 'sum(amount)': 1000 },
      ]);
    });

    it('a system date-time: month(createdAt) holds every record', async () => {
      const month = new Date().toISOString().slice(0, 7);
      const rows = await aggregate('groupBy=month(createdAt)&metrics=count()');
      // a run that crosses midnight at the end of a month may split the records in two months
      expect(rows.reduce((n: number, r: { 'count()': number }) => n + r['count()'], 0)).toBe(7);
      expect(rows.map((r: { 'month(createdAt)': string }) => r['month(createdAt)'])).toContain(month);
    });
  });

  describe('refused', () => {
    const refused = async (query: string) => {
      const r = await admin.get(`/api/data/order/aggregate?${query}`);
      expect(r.status).toBe(400);
      return r.body.error;
    };

    it('every fault of groupBy and metrics at once, with pointers', async () => {
      const e = await refused('groupBy=nosuch,month(amount),decade(orderDate)&metrics=sum(status),median(amount),count(amount)');
      expect(e.code).toBe('invalid_aggregate');
      expect(e.details.map((d: { path: string }) => d.path)).toEqual(['/groupBy', '/groupBy', '/groupBy', '/metrics', '/metrics', '/metrics']);
    });

    it('a bad filter', async () => {
      const e = await refused(`groupBy=status&${filterParam({ amount: { gt: 'lots' } })}`);
      expect(e.code).toBe('invalid_filter');
      expect(e.details).toEqual([{ path: '/filter/amount/gt', message: 'must be a number' }]);
    });
  });
});
