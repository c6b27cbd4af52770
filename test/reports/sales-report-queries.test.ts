/**
 * S-6 / V-6: the sales report's own aggregates, run through the API on SQLite and MariaDB as the
 * manager and as a salesperson, give the same report (MariaDB sends sums as decimal text; months
 * are `YYYY-MM` on both). The browser test (test/ui/reports.test.ts) shows the page on SQLite.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ModuleMeta } from '../../core/api/meta-modules.js';
import type { Rec } from '../../ui/api.js';
import { assembleSalesReport, salesReportRequests, type ReportParams, type ReportQuery } from '../../modules/crm/ui/reports/sales-report-data.js';
import type { AggregateRequest } from '../../ui/reports/fetch-aggregate.js';
import { startCrm } from '../crm/demo-app.js';
import type { Client, TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { installKnownSales } from './known-sales.js';

async function report(client: Client, params: ReportParams) {
  const meta = new Map<string, ModuleMeta>((await client.get('/api/meta/modules')).body.data.map((m: ModuleMeta) => [m.name, m]));
  const { months, requests } = salesReportRequests(params, meta);
  const run = async ({ module, groupBy, metrics, filter }: AggregateRequest): Promise<Rec[]> => {
    const q = new URLSearchParams({ groupBy: groupBy.join(','), metrics: metrics.join(','), ...(filter ? { filter: JSON.stringify(filter) } : {}) });
    const r = await client.get(`/api/data/${module}/aggregate?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.data;
  };
  const rows = Object.fromEntries(await Promise.all(Object.entries(requests).map(async ([name, req]) => [name, await run(req)] as const)));
  return assembleSalesReport(months, rows as Record<ReportQuery, Rec[]>);
}

const byMonth = <T extends { month: string }>(rows: T[], months: string[]) => rows.filter((r) => months.includes(r.month));

describeEachDialect('S-6 sales report queries', (dialect) => {
  let app: TestApp;
  let manager: Client, salesB: Client;
  beforeAll(async () => {
    app = await startCrm(dialect);
    const demo = await installKnownSales(app.stratum, await app.admin());
    [manager, salesB] = await Promise.all([app.client().login('manager', demo.password), app.client().login('sales_b', demo.password)]);
  }, 120_000);
  afterAll(async () => app?.close());

  it('S-6 the manager\'s report: sales with month-over-month and year-over-year, sources with conversion, conversion by month, classes', async () => {
    const r = await report(manager, { until: '2022-06', months: 12 });
    expect(r.months).toHaveLength(12);
    expect(byMonth(r.sales, ['2022-02', '2022-03', '2022-04', '2022-05'])).toEqual([
      { month: '2022-02', amount: 2000, previous: 0, lastYear: 0, mom: null, yoy: null },
      { month: '2022-03', amount: 7000, previous: 2000, lastYear: 1000, mom: 2.5, yoy: 6 },
      { month: '2022-04', amount: 0, previous: 7000, lastYear: 0, mom: -1, yoy: null },
      { month: '2022-05', amount: 1000, previous: 0, lastYear: 0, mom: null, yoy: null },
    ]);
    expect(r.sources).toEqual([
      { source: 'baidu', count: 2, share: 0.5, enrolled: 1, rate: 0.5 },
      expect.objectContaining({ count: 1, share: 0.25 }),
      expect.objectContaining({ count: 1, share: 0.25 }),
    ]);
    expect(r.sources.find((s) => s.source === 'referral')).toMatchObject({ enrolled: 1, rate: 1 });
    expect(byMonth(r.conversion, ['2022-03', '2022-04', '2022-05'])).toEqual([
      { month: '2022-03', customers: 3, enrolled: 1, rate: 1 / 3 },
      { month: '2022-04', customers: 0, enrolled: 0, rate: null },
      { month: '2022-05', customers: 1, enrolled: 1, rate: 1 },
    ]);
    expect(r.classes.map((c) => c.count)).toEqual([2]);
    expect(typeof r.classes[0]!.name).toBe('string');
  });

  it('V-6 the same report for sales B counts Sales 2 only; the manager narrowed to 001002 gets the same', async () => {
    const mine = await report(salesB, { until: '2022-06', months: 12 });
    const narrowed = await report(manager, { until: '2022-06', months: 12, department: '001002' });
    for (const r of [mine, narrowed]) {
      expect(byMonth(r.sales, ['2022-02', '2022-03', '2022-04']).map((s) => [s.amount, s.mom])).toEqual([[0, null], [4000, null], [0, -1]]);
      expect(r.sources).toEqual([{ source: 'website', count: 1, share: 1, enrolled: 0, rate: 0 }]);
      expect(r.classes).toEqual([]);
    }
  });
});
