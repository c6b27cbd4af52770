/**
 * V-6 navigation counts on the demo CRM: beside the customer list, the department tree counts
 * the customers each user may see per department (a node includes the departments under it).
 * The sales manager of 0010 and sales B of 001002 see different counts; a click on a node lists
 * exactly that many customers, also under a search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import crm from '../../modules/crm/plugin.js';
import { installDemo, type Demo } from '../crm/demo-app.js';
import { eventually, startUi, type UiHarness } from './browser.js';

describe('admin UI: V-6 navigation counts per department', () => {
  let ui: UiHarness;
  let demo: Demo;
  beforeAll(async () => {
    ui = await startUi({ plugins: [crm] });
    demo = await installDemo(ui.app.stratum, { customers: 40 });
  }, 120_000);
  afterAll(async () => ui?.close());

  /** The tree's nodes as code → count ('' for all departments). */
  const nodeCounts = async (page: Page) => new Map(await page.getByTestId('dept-tree').locator('button.dept-name').evaluateAll((buttons) =>
    buttons.map((b) => [b.getAttribute('data-code') ?? '', Number(b.querySelector('.dept-count')!.textContent)] as [string, number])));
  /** The list's total from its pager (`1–25 of 61`), 0 when the list is empty. */
  const listTotal = async (page: Page) => {
    if (await page.getByTestId('empty').count()) return 0;
    const text = await page.getByTestId('pager').locator('span').first().innerText();
    return Number(/of (\d+)$/.exec(text)?.[1] ?? NaN);
  };
  const clickNode = async (page: Page, code: string) => {
    await page.getByTestId('dept-tree').locator(`button.dept-name[data-code="${code}"]`).click();
    if (code) await page.waitForURL(new RegExp(`dept=${code}`));
    else await page.waitForURL((url) => !url.searchParams.has('dept'));
  };
  /** After each click, the list's total is the node's count. */
  const expectTotalsMatch = async (page: Page, counts: Map<string, number>) => {
    for (const [code, count] of counts) {
      await clickNode(page, code);
      await eventually(() => listTotal(page)).toBe(count);
    }
    await clickNode(page, '');
  };

  it('the manager of 0010 sees sales and its three departments, each count the list total after a click', async () => {
    const manager = await ui.loginAs('manager', demo.password);
    const aggregates: string[] = [];
    manager.on('request', (r) => {
      if (r.url().includes('/aggregate')) aggregates.push(r.url());
    });
    await manager.goto('/m/customer');
    await eventually(async () => (await nodeCounts(manager)).size).toBe(5);
    const counts = await nodeCounts(manager);
    expect([...counts.keys()]).toEqual(['', '0010', '001001', '001002', '001003']);
    expect(counts.get('0010')).toBe(counts.get('001001')! + counts.get('001002')! + counts.get('001003')!);
    expect(counts.get('')).toBe(counts.get('0010'));
    await ui.screenshot(manager, 'navigation-counts-manager');
    await expectTotalsMatch(manager, counts);
    // One aggregate for the whole tree, not one per node; choosing a node does not count again.
    expect(aggregates).toHaveLength(1);
    expect(decodeURIComponent(aggregates[0]!)).toContain('groupBy=consultant.department.code');
    await clickNode(manager, '001002');
    await ui.screenshot(manager, 'navigation-counts-manager-001002');

    const sales = await ui.loginAs('sales_b', demo.password);
    await sales.goto('/m/customer');
    await eventually(async () => (await nodeCounts(sales)).size).toBe(2);
    const own = await nodeCounts(sales);
    expect([...own.keys()]).toEqual(['', '001002']);
    // Sales B counts what sales B may see: their department's customers, not the manager's view of sales.
    expect(own.get('001002')).toBe(counts.get('001002'));
    expect(own.get('001002')).toBeLessThan(counts.get('0010')!);
    await ui.screenshot(sales, 'navigation-counts-sales-b');
    await expectTotalsMatch(sales, own);
    await sales.context().close();
    await manager.context().close();
  });

  it('the counts follow the search, and still equal the list after a click; the tree folds away', async () => {
    const manager = await ui.loginAs('manager', demo.password);
    await manager.goto('/m/customer');
    await eventually(async () => (await nodeCounts(manager)).size).toBe(5);
    const unsearched = (await nodeCounts(manager)).get('')!;
    // Phones that contain 139: some customers of each department, not all.
    await manager.goto('/m/customer?q=139');
    await eventually(async () => (await nodeCounts(manager)).get('')).toBeLessThan(unsearched);
    const all = await nodeCounts(manager);
    expect(all.get('')).toBeGreaterThan(0);
    await eventually(() => listTotal(manager)).toBe(all.get(''));
    await expectTotalsMatch(manager, all);
    await manager.getByRole('button', { name: 'Hide the departments under 销售部 Sales' }).click();
    expect([...(await nodeCounts(manager)).keys()]).toEqual(['', '0010']);
    await manager.getByTestId('toggle-tree').click();
    expect(await manager.getByTestId('dept-tree').count()).toBe(0);
    await manager.getByTestId('lang').selectOption('zh');
    await manager.getByTestId('toggle-tree').click();
    await eventually(() => manager.getByTestId('dept-tree').locator('.dept-title').innerText()).toBe('部门');
    await ui.screenshot(manager, 'navigation-counts-zh');
    await manager.getByTestId('lang').selectOption('en');
  });
});
