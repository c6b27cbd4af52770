/**
 * Charts and the S-6 sales report in the browser, as the logged-in user: every number is an
 * aggregate under the user's visibility (V-6), so two users see different charts of the same
 * records, and a rule added through the API changes a chart on reload (V-10).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crm from '../../modules/crm/plugin.js';
import { monthOverMonth, monthsUntil, sumsByKey } from '../../ui/reports/period-change.js';
import type { Client } from '../support/app.js';
import type { Demo } from '../crm/demo-app.js';
import { installKnownSales } from '../reports/known-sales.js';
import { eventually, ok, startUi, type UiHarness } from './browser.js';

/** The rows of a report table: the row's key and its cells by `data-column`. */
async function tableRows(page: Page, section: string): Promise<Record<string, Record<string, string>>> {
  return page.getByTestId(section).locator('tbody tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [
    r.getAttribute('data-key'),
    Object.fromEntries([...r.querySelectorAll('td[data-column]')].map((td) => [td.getAttribute('data-column'), (td as HTMLElement).innerText.trim()])),
  ])));
}

/** Errors the page logged, CSP violations included: a chart must need nothing the CSP forbids. */
function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('S-6 sales report and module charts (browser)', () => {
  let ui: UiHarness;
  let demo: Demo;
  let manager: Client, salesB: Client;

  // The known dataset of test/reports/known-sales.ts: a report up to 2022-06 shows it alone.
  beforeAll(async () => {
    ui = await startUi({ plugins: [crm] });
    demo = await installKnownSales(ui.app.stratum, ui.admin);
    [manager, salesB] = await Promise.all([ui.app.client().login('manager', demo.password), ui.app.client().login('sales_b', demo.password)]);
  }, 120_000);
  afterAll(async () => ui?.close());

  it('S-6 the sales manager\'s report shows the aggregates the API gives them, with month-over-month and year-over-year change', async () => {
    const page = await ui.loginAs('manager', demo.password);
    const errors = consoleErrors(page);
    await page.getByTestId('menu-sales-report').click();
    await page.getByTestId('report-sales').waitFor();
    await page.goto('/reports/sales?until=2022-06&months=12');
    await eventually(async () => Object.keys(await tableRows(page, 'report-sales')).length).toBe(12);

    // The known dataset, by hand: 2022-03 has 3000 (Sales 1) + 4000 (Sales 2); 2022-04 nothing; 2022-05 a refund nets 1000.
    const sales = await tableRows(page, 'report-sales');
    expect(sales['2022-02']).toEqual({ amount: '2,000.00', mom: '—', yoy: '—' });
    expect(sales['2022-03']).toEqual({ amount: '7,000.00', mom: '+250.0%', yoy: '+600.0%' });
    expect(sales['2022-04']).toEqual({ amount: '0.00', mom: '−100.0%', yoy: '—' });
    expect(sales['2022-05']).toEqual({ amount: '1,000.00', mom: '—', yoy: '—' });
    expect(sales['2022-06']).toEqual({ amount: '0.00', mom: '−100.0%', yoy: '—' });

    // And the same as the API's aggregate for this user, month by month.
    const q = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;
    const monthly = (await ok(manager.get(`/api/data/payment/aggregate?groupBy=month(paidOn)&metrics=sum(amount)&${q({ paidOn: { between: ['2020-07-01', '2022-06-30'] } })}`), 200)).data;
    const expected = monthOverMonth(sumsByKey(monthly, 'month(paidOn)', 'sum(amount)'), monthsUntil('2022-06', 12));
    for (const row of expected) expect(sales[row.month]!.amount, row.month).toBe(money(row.amount));

    const sources = await tableRows(page, 'report-sources');
    const bySource = (await ok(manager.get(`/api/data/customer/aggregate?groupBy=source&metrics=count()&${q({ enquiryDate: { between: ['2021-07-01', '2022-06-30'] } })}`), 200)).data;
    expect(Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, Number(v.count)]))).toEqual(Object.fromEntries(bySource.map((r: any) => [r.source, r['count()']])));
    // Conversion by source: of the two Baidu leads one enrolled; the referral did.
    expect(sources.baidu).toEqual({ count: '2', share: '50.0%', enrolled: '1', rate: '50.0%' });
    expect(sources.referral).toEqual({ count: '1', share: '25.0%', enrolled: '1', rate: '100.0%' });
    expect(sources.website).toEqual({ count: '1', share: '25.0%', enrolled: '0', rate: '0.0%' });

    const conversion = await tableRows(page, 'report-conversion');
    expect(conversion['2022-03']).toEqual({ customers: '3', enrolled: '1', rate: '33.3%' });
    expect(conversion['2022-05']).toEqual({ customers: '1', enrolled: '1', rate: '100.0%' });
    expect(conversion['2022-04']).toEqual({ customers: '0', enrolled: '0', rate: '—' });

    const classes = await tableRows(page, 'report-classes');
    expect(Object.values(classes).map((c) => Number(c.count)).reduce((s, n) => s + n, 0)).toBe(2);

    // Charts drew on their canvases, and nothing was refused by the CSP.
    expect(await page.locator('.chart-box canvas').count()).toBe(4);
    expect(await page.locator('.chart-box canvas').first().evaluate((c: HTMLCanvasElement) => c.width > 0 && c.height > 0)).toBe(true);
    expect(errors).toEqual([]);
    await ui.screenshot(page, 'report-sales');

    // Narrowed to Sales 2 (V-6, the department picker): only Known B1's payment is left.
    await page.getByTestId('report-department').selectOption('001002');
    await eventually(async () => (await tableRows(page, 'report-sales'))['2022-03']?.amount).toBe('4,000.00');
    expect(new URL(page.url()).searchParams.get('dept')).toBe('001002');
    await page.context().close();
  });

  it('S-6 V-6 a salesperson of Sales 2 sees the same report over their department only', async () => {
    const page = await ui.loginAs('sales_b', demo.password);
    await page.goto('/reports/sales?until=2022-06&months=12');
    await eventually(async () => (await tableRows(page, 'report-sales'))['2022-03']?.amount).toBe('4,000.00');
    const sales = await tableRows(page, 'report-sales');
    expect(sales['2022-02']).toEqual({ amount: '0.00', mom: '—', yoy: '—' });
    expect(sales['2022-04']).toEqual({ amount: '0.00', mom: '−100.0%', yoy: '—' });
    const mine = (await ok(salesB.get('/api/data/payment/aggregate?groupBy=month(paidOn)&metrics=sum(amount)'), 200)).data;
    expect(sumsByKey(mine, 'month(paidOn)', 'sum(amount)').get('2022-03')).toBe(4000);
    expect(await tableRows(page, 'report-sources')).toEqual({ website: { count: '1', share: '100.0%', enrolled: '0', rate: '0.0%' } });
    // The same report in Chinese: 环比 and 同比.
    await page.getByTestId('lang').selectOption('zh');
    await page.getByRole('heading', { name: '销售报表' }).waitFor();
    expect(await page.getByTestId('report-sales').locator('thead th').allInnerTexts()).toEqual(['月份', '金额', '环比', '同比']);
    await ui.screenshot(page, 'report-sales-zh');
    await page.context().close();
  });

  it('V-6 a CRM module charted by a reference shows each record by its name, counted as the API counts for the manager', async () => {
    const page = await ui.loginAs('manager', demo.password);
    await page.goto('/m/customer/chart?by=consultant');
    const counts = (await ok(manager.get('/api/data/customer/aggregate?groupBy=consultant&metrics=count()'), 200)).data;
    const users = (await ok(manager.get('/api/data/user?fields=name&pageSize=100'), 200)).data;
    const nameOf = new Map(users.map((u: any) => [String(u.id), u.name]));
    await eventually(async () => Object.keys(await tableRows(page, 'chart-table')).length).toBe(counts.length);
    const labels = await page.getByTestId('chart-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-key'), (r.querySelector('td') as HTMLElement).innerText, (r.querySelector('td[data-column]') as HTMLElement).innerText]));
    expect(new Map(labels.map(([key, , n]) => [key, Number(n)]))).toEqual(new Map(counts.map((r: any) => [String(r.consultant), r['count()']])));
    for (const [key, label] of labels) expect(label).toBe(nameOf.get(key!));
    await page.context().close();
  });

  it('S-6 the report is not offered to those who may not read what it counts', async () => {
    const page = await ui.loginAs('teacher', demo.password);
    expect(await page.getByTestId('menu-sales-report').count()).toBe(0);
    await page.goto('/reports/sales');
    await page.getByText('No page at /reports/sales').waitFor();
    await page.context().close();
  });

  describe('a module an admin creates at runtime', () => {
    let clerk: Client;
    const clerkPassword = 'password-for-chart-tests';
    beforeAll(async () => {
      const { admin } = ui;
      await ok(admin.post('/api/modules', {
        $id: 'expense', title: 'Expense', 'x-i18n': { zh: { title: '费用', properties: { category: '类别', amount: '金额', spentOn: '日期' } } }, type: 'object',
        properties: {
          category: { type: 'string', enum: ['travel', 'office', 'meals'], title: 'Category' },
          amount: { type: 'number', 'x-precision': 10, 'x-scale': 2, title: 'Amount' },
          spentOn: { type: 'string', format: 'date', title: 'Spent on' },
          refunded: { type: 'boolean', title: 'Refunded' },
        },
        required: ['category', 'amount', 'spentOn'],
        'x-list': { columns: ['category', 'amount', 'spentOn'], filters: ['category', 'spentOn'], sort: '-spentOn' },
      }));
      const rows: [string, number, string][] = [['travel', 120, '2024-01-05'], ['travel', 80, '2024-02-11'], ['office', 40.5, '2024-02-12'], ['meals', 30, '2024-02-20'], ['office', 10, '2024-03-01'], ['travel', 200, '2024-03-15']];
      for (const [category, amount, spentOn] of rows) await ok(admin.post('/api/data/expense', { category, amount, spentOn, refunded: false }));
      const role = (await ok(admin.post('/api/data/role', { name: 'clerk' }))).id;
      await ok(admin.post('/api/data/permission', { role, module: 'expense', actions: ['read'] }));
      await ok(admin.post('/api/data/user', { username: 'clerk', name: 'Clara Clerk', password: clerkPassword, roles: [role], department: demo.departments['0001'] }));
      clerk = await ui.app.client().login('clerk', clerkPassword);
    });

    it('V-6 its generic chart shows what the aggregate gives, from the list\'s "Chart" link, with the list\'s filter', async () => {
      const page = await ui.loginAs('clerk', clerkPassword);
      const errors = consoleErrors(page);
      await page.goto('/m/expense');
      await page.getByTestId('chart-link').click();
      await page.waitForURL(/\/m\/expense\/chart/);
      // Grouped by the first choice field by default: category, counted.
      await eventually(async () => tableRows(page, 'chart-table').then((r) => Object.keys(r).sort())).toEqual(['meals', 'office', 'travel']);
      await page.getByTestId('chart-metric').selectOption('sum:amount');
      await eventually(() => new URL(page.url()).searchParams.get('metric')).toBe('sum:amount');
      const sums = (await ok(clerk.get('/api/data/expense/aggregate?groupBy=category&metrics=sum(amount)'), 200)).data;
      await eventually(async () => Object.fromEntries(Object.entries(await tableRows(page, 'chart-table')).map(([k, v]) => [k, Number(v.value!.replace(/,/g, ''))])))
        .toEqual(Object.fromEntries(sums.map((r: any) => [r.category, Number(r['sum(amount)'])])));
      expect((await tableRows(page, 'chart-table')).travel).toEqual({ value: '400' });
      await ui.screenshot(page, 'chart-expense-by-category');

      // By month of a date, as a line: in time order.
      await page.getByTestId('chart-by').selectOption('spentOn');
      await eventually(async () => Object.keys(await tableRows(page, 'chart-table'))).toEqual(['2024-01', '2024-02', '2024-03']);
      expect(await page.getByTestId('chart-kind').inputValue()).toBe('line');
      expect(Object.values(await tableRows(page, 'chart-table')).map((r) => r.value)).toEqual(['120', '150.5', '210']);

      // From a filtered list, the chart counts the filtered records only.
      await page.goto(`/m/expense?f=${encodeURIComponent(JSON.stringify([{ field: 'category', op: 'eq', a: 'travel' }]))}`);
      await page.getByTestId('chart-link').click();
      await eventually(async () => tableRows(page, 'chart-table')).toEqual({ travel: { value: '3' } });
      expect(errors).toEqual([]);
      await page.context().close();
    });

    it('V-10 after an admin adds a rule through the API, the restricted user\'s chart changes on reload', async () => {
      const page = await ui.loginAs('clerk', clerkPassword);
      await page.goto('/m/expense/chart?by=category');
      await eventually(async () => Object.keys(await tableRows(page, 'chart-table')).length).toBe(3);
      await ok(ui.admin.post('/api/data/rule', { name: 'Clerks see office expenses', module: 'expense', filter: { category: 'office' }, actions: ['read'], users: [(await ok(clerk.get('/api/auth/me'), 200)).user.id] }));
      await page.reload();
      await eventually(async () => tableRows(page, 'chart-table')).toEqual({ office: { value: '2' } });
      const after = (await ok(clerk.get('/api/data/expense/aggregate?groupBy=category&metrics=count()'), 200)).data;
      expect(after).toEqual([{ category: 'office', 'count()': 2 }]);
      await page.context().close();
    });
  });
});
