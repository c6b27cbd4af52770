/**
 * S-6: the sales manager's monthly report, through the aggregate endpoint and scoped by the
 * viewer's rules: leads by source, conversion by source and by salesperson, enrollments per
 * class, and sales by month with month-over-month (环比) and year-over-year (同比) change. The
 * changes are not an engine feature: they are computed here from the monthly sums, as a
 * dashboard would. Every figure is checked against the records the viewer may list.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { aggregate, all, day, startDemo, type CrmApp } from './demo-app.js';

/** Counts of `rows` by a key, as an aggregate returns them. */
function countBy<T>(rows: readonly T[], key: (row: T) => string | number | null): Map<string | number | null, number> {
  const out = new Map<string | number | null, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}

const asMap = (rows: Record<string, any>[], key: string, metric: string) => new Map(rows.map((r) => [r[key], Number(r[metric])]));
const month = (offset: number) => {
  const d = new Date(`${day()}T00:00:00Z`);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + offset);
  return d.toISOString().slice(0, 7);
};

describeEachDialect('CRM S-6 reports', (dialect) => {
  let crm: CrmApp;
  let manager: Client, b: Client;

  // The demo's full size: 14 months with sales in every one.
  beforeAll(async () => {
    crm = await startDemo(dialect, 300);
    [manager, b] = await Promise.all([crm.as('manager'), crm.as('sales_b')]);
  }, 120_000);
  afterAll(async () => crm?.close());

  it('S-6 the sales manager views the department\'s report: sources, conversion, enrollments per class, sales month-over-month and year-over-year', async () => {
    const customers = await all(manager, 'customer', undefined, '&fields=source,status,consultant');
    // The manager of 0010 sees all of sales; sales B only sales 2: the report is scoped the same way.
    const adminTotal = (await all(crm.admin, 'customer', { 'consultant.department.code': { startsWith: '0010' } }, '&fields=id')).length;
    expect(customers.length).toBe(adminTotal);

    // Leads by source.
    const bySource = await aggregate(manager, 'customer', 'source', 'count()');
    expect(asMap(bySource, 'source', 'count()')).toEqual(countBy(customers, (c) => c.source));
    expect(bySource.length).toBeGreaterThanOrEqual(6);

    // Conversion rate (成单率) by source and by salesperson: enrolled / all, from two aggregates.
    const enrolledBySource = asMap(await aggregate(manager, 'customer', 'source', 'count()', { status: 'enrolled' }), 'source', 'count()');
    const rate = (enrolled: Map<any, number>, total: Map<any, number>) => new Map([...total].map(([k, n]) => [k, (enrolled.get(k) ?? 0) / n]));
    const bySourceRate = rate(enrolledBySource, asMap(bySource, 'source', 'count()'));
    expect(bySourceRate).toEqual(rate(countBy(customers.filter((c) => c.status === 'enrolled'), (c) => c.source), countBy(customers, (c) => c.source)));
    // The demo's referrals convert better than its Baidu leads: the report tells them apart.
    expect(bySourceRate.get('referral')!).toBeGreaterThan(bySourceRate.get('baidu')!);
    const bySales = asMap(await aggregate(manager, 'customer', 'consultant.username', 'count()'), 'consultant.username', 'count()');
    const enrolledBySales = asMap(await aggregate(manager, 'customer', 'consultant.username', 'count()', { status: 'enrolled' }), 'consultant.username', 'count()');
    expect([...bySales.keys()].sort()).toEqual(['sales_a', 'sales_b', 'sales_c', 'sales_d']);
    for (const [username, n] of bySales) {
      const id = crm.demo.users[username as 'sales_a'];
      expect(n).toBe(customers.filter((c) => c.consultant === id).length);
      expect(enrolledBySales.get(username) ?? 0).toBe(customers.filter((c) => c.consultant === id && c.status === 'enrolled').length);
    }

    // Enrollments per class (approved ones).
    const perClass = await aggregate(manager, 'enrollment', 'class.name', 'count()', { status: 'approved' });
    const enrollments = await all(manager, 'enrollment', { status: 'approved' }, '&fields=class.name');
    expect(asMap(perClass, 'class.name', 'count()')).toEqual(countBy(enrollments, (e) => e.class.name));
    expect(perClass.find((r) => r['class.name'] === 'Python FULLSTACK S5')!['count()']).toBeGreaterThanOrEqual(6);

    // Sales by month over the 14 months of history; the last complete month against the one
    // before (环比) and the same month a year earlier (同比): the current month may have just begun.
    const monthly = await aggregate(manager, 'payment', 'month(paidOn)', 'sum(amount),count()');
    const payments = await all(manager, 'payment', undefined, '&fields=paidOn,amount');
    const sums = new Map<string, number>();
    for (const p of payments) sums.set(p.paidOn.slice(0, 7), (sums.get(p.paidOn.slice(0, 7)) ?? 0) + p.amount);
    expect(asMap(monthly, 'month(paidOn)', 'sum(amount)')).toEqual(sums);
    expect(monthly.length).toBeGreaterThanOrEqual(14);
    for (let i = -13; i <= -1; i++) expect(sums.get(month(i)) ?? 0, `sales in ${month(i)}`).toBeGreaterThan(0);
    const change = (now: number, before: number) => (now - before) / before;
    const mom = change(sums.get(month(-1))!, sums.get(month(-2))!);
    const yoy = change(sums.get(month(-1))!, sums.get(month(-13))!);
    expect(Number.isFinite(mom) && Number.isFinite(yoy)).toBe(true);
    expect(mom).toBeGreaterThan(-1);
    expect(yoy).toBeGreaterThan(-1);
  });

  it('S-6 the same reports for sales B cover sales 2 only', async () => {
    const ofB = await all(crm.admin, 'customer', { 'consultant.department.code': '001002' }, '&fields=source');
    const bySource = await aggregate(b, 'customer', 'source', 'count()');
    expect(asMap(bySource, 'source', 'count()')).toEqual(countBy(ofB, (c) => c.source));
    const managerSum = Number((await aggregate(manager, 'payment', 'kind', 'sum(amount)')).reduce((s, r) => s + Number(r['sum(amount)']), 0));
    const adminPayments = await all(crm.admin, 'payment', { 'customer.consultant.department.code': '001002' }, '&fields=amount');
    const bSum = (await aggregate(b, 'payment', 'kind', 'sum(amount)')).reduce((s, r) => s + Number(r['sum(amount)']), 0);
    expect(bSum).toBe(adminPayments.reduce((s, p) => s + p.amount, 0));
    expect(bSum).toBeGreaterThan(0);
    expect(bSum).toBeLessThan(managerSum);
    // A report of a department B does not belong to shows nothing.
    expect(await aggregate(b, 'customer', 'source', 'count()', { 'consultant.department.code': '001001' })).toEqual([]);
  });
});
