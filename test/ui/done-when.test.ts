/**
 * From the browser alone: an admin adds a module and then a field to it in
 * the module designer, lets the sales role read it (a permission record through the generated
 * form), creates records through the generated form, and defines a rule in the rule designer;
 * a sales user, in their own browser, watches their list, its count, the department counts
 * (V-6) and the chart change (V-10: rules take effect at once). Only the users, the sales role
 * and the department exist before (as after S-20 and S-21).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, rowIds, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD, type World } from './crm-world.js';

const DEALS = [
  { title: 'Python course for ACME', stage: 'won', amount: '12000', owner: 'Sam Sales' },
  { title: 'Linux course for Initech', stage: 'open', amount: '8000', owner: 'Dana Sales' },
  { title: 'Python course for Hooli', stage: 'won', amount: '5000', owner: 'Dana Sales' },
  { title: 'Java course for Globex', stage: 'lost', amount: '3000', owner: 'Sam Sales' },
  // Owned by a user of no department: no sales user sees it (the module's visibility follows its owner).
  { title: 'Go course for Umbrella', stage: 'won', amount: '9000', owner: 'Vic Viewer' },
];

describe('a module, records and a rule made in the browser change what a sales user sees', () => {
  let ui: UiHarness;
  let w: World;
  beforeAll(async () => {
    ui = await startUi();
    w = await buildWorld(ui.admin);
    // As S-22 left the sales role: it may see which department a colleague is in, so that the
    // lists of modules whose visibility follows a user show counts per department (V-6).
    const sales = (await ok(ui.admin.get(`/api/data/role?filter=${encodeURIComponent(JSON.stringify({ name: 'sales' }))}`), 200)).data[0].id;
    const [userGrant] = (await ok(ui.admin.get(`/api/data/permission?filter=${encodeURIComponent(JSON.stringify({ role: sales, module: 'user' }))}`), 200)).data;
    await ok(ui.admin.patch(`/api/data/permission/${userGrant.id}`, { readFields: ['username', 'name', 'department'] }), 200);
    await ok(ui.admin.post('/api/data/permission', { role: sales, module: 'department', actions: ['read'] }));
  });
  afterAll(async () => ui?.close());

  /** The sales user's list total, department counts and chart numbers, as their browser shows them. */
  async function whatSamSees(sam: Page) {
    await sam.goto('/m/deal?sort=title');
    await sam.getByTestId('pager').waitFor();
    const total = Number(/of (\d+)/.exec(await sam.getByTestId('pager').innerText())?.[1]);
    const ids = await rowIds(sam);
    // Shown beside the list by default (the toggle hides it).
    const tree = sam.getByTestId('dept-tree');
    await eventually(() => tree.getByTestId('dept-count').count()).toBeGreaterThan(0);
    const all = Number(await tree.getByTestId('dept-count').first().innerText());
    await sam.goto('/m/deal/chart?by=stage');
    const table = sam.getByTestId('chart-table');
    await table.waitFor();
    await sam.getByTestId('chart').waitFor();
    const chart: Record<string, number> = {};
    for (const row of await table.locator('tbody tr').all()) chart[(await row.getAttribute('data-key'))!] = Number(await row.locator('[data-column="value"]').innerText());
    return { total, ids, all, chart };
  }

  it('module → field → permission → records → rule, each in the browser, and the sales user follows', async () => {
    const admin = await ui.loginAs(ADMIN.username, ADMIN.password);

    // 1. A module with one field, in the module designer.
    await admin.getByTestId('menu-module-designer').click();
    await admin.getByRole('link', { name: 'New module' }).click();
    await admin.waitForURL(/\/admin\/modules\/new$/);
    await admin.getByLabel('Name (for the API and the table)').fill('deal');
    await admin.getByLabel('Title', { exact: true }).fill('Deal');
    await admin.getByLabel('Chinese title').fill('商机');
    const title = admin.getByTestId('field-row').nth(0);
    await title.getByLabel('Field name').fill('title');
    await title.getByLabel('Label', { exact: true }).fill('Title');
    await title.getByLabel('Required').check();
    await title.getByLabel('Searchable').check();
    await admin.getByRole('button', { name: '+ Add a field' }).click();
    const owner = admin.getByTestId('field-row').nth(1);
    await owner.getByLabel('Field name').fill('owner');
    await owner.getByLabel('Label', { exact: true }).fill('Owner');
    await owner.getByLabel('Type').selectOption('ref');
    await owner.getByLabel('Refers to module').selectOption('user');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await eventually(() => admin.getByTestId('flash').innerText()).toContain('Module "deal" created');

    // 2. Then fields added to it: a stage to filter and chart by, and an amount.
    await admin.getByRole('button', { name: '+ Add a field' }).click();
    const stage = admin.getByTestId('field-row').last();
    await stage.getByLabel('Field name').fill('stage');
    await stage.getByLabel('Label', { exact: true }).fill('Stage');
    await stage.getByLabel('Type').selectOption('enum');
    await stage.getByLabel('Choices (comma separated)').fill('open, won, lost');
    await stage.getByLabel('How the choices read (same order; empty: as typed)').fill('Open, Won, Lost');
    await stage.getByLabel('Chinese for the choices (same order)').fill('跟进中, 赢单, 输单');
    await stage.getByLabel('Offered as filter').check();
    await admin.getByRole('button', { name: '+ Add a field' }).click();
    const amount = admin.getByTestId('field-row').last();
    await amount.getByLabel('Field name').fill('amount');
    await amount.getByLabel('Label', { exact: true }).fill('Amount');
    await amount.getByLabel('Type').selectOption('number');
    // A module that exists changes through its dry run: the preview first, then its Apply.
    await admin.getByRole('button', { name: 'Apply', exact: true }).click();
    await admin.getByTestId('change-preview').getByRole('button', { name: 'Apply changes' }).click();
    await eventually(() => admin.getByTestId('flash').innerText()).toContain('Module "deal" updated');

    // 3. The sales role may read deals: a permission record, through the generated form.
    await admin.goto('/m/permission/new');
    await admin.getByLabel('Role').fill('sal');
    await admin.getByRole('option', { name: /sales/ }).click();
    // The module is chosen from the modules, by title: the one just made is among them.
    await admin.getByRole('combobox', { name: 'Module' }).selectOption({ label: 'Deal (deal)' });
    await admin.getByRole('checkbox', { name: 'read' }).check();
    await admin.getByRole('button', { name: 'Create' }).click();
    await admin.waitForURL(/\/m\/permission\/\d+$/);

    // 4. Records, through the generated form.
    for (const deal of DEALS) {
      await admin.goto('/m/deal/new');
      await admin.getByLabel('Title').fill(deal.title);
      await admin.getByLabel('Stage').selectOption(deal.stage);
      await admin.getByLabel('Amount').fill(deal.amount);
      await admin.getByLabel('Owner').fill(deal.owner.split(' ')[0]!);
      await admin.getByRole('option', { name: new RegExp(deal.owner) }).click();
      await admin.getByRole('button', { name: 'Create' }).click();
      await admin.waitForURL(/\/m\/deal\/\d+$/);
    }
    const stored = (await ok(ui.admin.get('/api/data/deal?sort=title&pageSize=50'), 200)).data;
    expect(stored.map((d: { title: string; stage: string; amount: number; owner: number }) => [d.title, d.stage, d.amount, d.owner])).toEqual(
      [...DEALS].sort((a, b) => a.title.localeCompare(b.title)).map((d) => [d.title, d.stage, Number(d.amount), d.owner === 'Sam Sales' ? w.users.sam : d.owner === 'Dana Sales' ? w.users.dana : w.users.viewer]),
    );
    const idOf = (t: string) => stored.find((d: { title: string }) => d.title === t).id as number;

    // The sales user sees the deals of their department's people: 4 of 5.
    const sam = await ui.loginAs('sam', PASSWORD);
    const before = await whatSamSees(sam);
    const visible = DEALS.filter((d) => d.owner !== 'Vic Viewer');
    expect(before.total).toBe(4);
    expect(before.ids).toEqual(visible.map((d) => d.title).sort().map(idOf));
    expect(before.all).toBe(4);
    expect(before.chart).toEqual({ won: 2, open: 1, lost: 1 });
    await ui.screenshot(sam, 'done-when-sales-chart-before');

    // 5. A rule in the rule designer: the sales role sees won deals only.
    await admin.getByTestId('menu-rule-designer').click();
    await admin.getByRole('link', { name: 'New rule' }).click();
    await admin.waitForURL(/\/admin\/rules\/new$/);
    await admin.getByLabel('Rule name').fill('Sales see won deals');
    await admin.getByLabel('Module *').selectOption('deal');
    await admin.getByLabel('Roles').fill('sal');
    await admin.getByRole('option', { name: /sales/ }).click();
    await admin.getByTestId('filters').locator('[data-field="stage"] select').selectOption('won');
    await admin.getByTestId('filters').getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => JSON.parse(await admin.getByTestId('rule-filter-json').inputValue())).toEqual({ stage: 'won' });
    await admin.getByRole('button', { name: 'Save rule' }).click();
    await eventually(() => admin.getByTestId('flash').innerText()).toContain('Rule saved');

    // At once, on the sales user's next page: list, count, department counts and chart.
    const after = await whatSamSees(sam);
    expect(after.total).toBe(2);
    expect(after.ids).toEqual(['Python course for ACME', 'Python course for Hooli'].map(idOf));
    expect(after.all).toBe(2);
    expect(after.chart).toEqual({ won: 2 });
    // The choice reads as the admin titled it, in each language.
    expect(await sam.getByTestId('chart-table').locator('tbody td').first().innerText()).toBe('Won');
    await sam.getByTestId('lang').selectOption('zh');
    await eventually(() => sam.getByTestId('chart-table').locator('tbody td').first().innerText()).toBe('赢单');
    await sam.getByTestId('lang').selectOption('en');
    await ui.screenshot(sam, 'done-when-sales-chart-after');
    await sam.goto('/m/deal?sort=title');
    await eventually(() => rowIds(sam).then((ids) => ids.length)).toBe(2);
    await ui.screenshot(sam, 'done-when-sales-list-after');
    await sam.context().close();
    await admin.context().close();
  });
});
