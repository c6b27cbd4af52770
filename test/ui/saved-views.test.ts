/**
 * Saved views on the generated list: Sam filters and sorts the customers, saves that as a view,
 * and after a reload opens it from its tab to the same rows; he renames it, is told when a name is
 * taken, and deletes it; page size and chosen columns are kept too. Dana, in the same role and department, never sees Sam's views.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventually, headers, ok, rowIds, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD } from './crm-world.js';

describe('admin UI: saved views per user', () => {
  let ui: UiHarness;
  let sam: Page;
  let expected: number[];
  beforeAll(async () => {
    ui = await startUi();
    await buildWorld(ui.admin, 30);
    sam = await ui.loginAs('sam', PASSWORD);
    const filter = encodeURIComponent(JSON.stringify({ grade: 'gold' }));
    expected = (await ok(ui.admin.get(`/api/data/customer?pageSize=100&sort=-since,-id&filter=${filter}`), 200)).data.map((r: { id: number }) => r.id);
  });
  afterAll(async () => ui?.close());

  const tabs = (page: Page) => page.getByTestId('saved-views').locator('.view-tab').allInnerTexts();
  const activeTab = (page: Page) => page.getByTestId('saved-views').locator('.view-tab.active').innerText();

  it('saves the filtered, sorted list as a view; after a reload its tab opens the same rows', async () => {
    await sam.goto('/m/customer');
    await eventually(() => tabs(sam)).toEqual(['All records']);
    expect(await sam.getByTestId('save-view').count()).toBe(0);
    await sam.getByTestId('toggle-filters').click();
    await sam.getByTestId('filters').getByLabel('Grade', { exact: true }).selectOption('gold');
    await sam.getByTestId('filters').getByRole('button', { name: 'Apply' }).click();
    await sam.getByTestId('records').getByRole('button', { name: 'First contact' }).click();
    await sam.waitForURL(/sort=since/);
    await sam.getByTestId('records').getByRole('button', { name: 'First contact' }).click();
    await sam.waitForURL(/sort=-since/);
    await eventually(() => rowIds(sam)).toEqual(expected);
    const filters = await sam.getByTestId('toggle-filters').innerText();

    await sam.getByTestId('save-view').click();
    await sam.getByTestId('view-name').fill('Gold, newest first');
    await sam.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => tabs(sam)).toEqual(['All records', 'Gold, newest first']);
    expect(await activeTab(sam)).toBe('Gold, newest first');
    await ui.screenshot(sam, 'saved-views-saved');

    await sam.reload();
    await sam.goto('/m/customer');
    await eventually(() => rowIds(sam)).toHaveLength(25);
    expect(await activeTab(sam)).toBe('All records');
    await sam.getByRole('link', { name: 'Gold, newest first' }).click();
    await sam.waitForURL(/sort=-since/);
    await eventually(() => rowIds(sam)).toEqual(expected);
    expect(await sam.getByTestId('toggle-filters').innerText()).toBe(filters);
    expect(await activeTab(sam)).toBe('Gold, newest first');
  });

  it('keeps the page size in the view too', async () => {
    await sam.goto('/m/customer');
    await sam.getByTestId('page-size').selectOption('10');
    await sam.waitForURL(/pageSize=10/);
    await eventually(() => rowIds(sam)).toHaveLength(10);
    await sam.getByTestId('save-view').click();
    await sam.getByTestId('view-name').fill('Ten a page');
    await sam.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => tabs(sam)).toEqual(['All records', 'Gold, newest first', 'Ten a page']);
    await sam.getByRole('link', { name: 'All records' }).click();
    await eventually(() => rowIds(sam)).toHaveLength(25);
    await sam.getByRole('link', { name: 'Ten a page' }).click();
    await eventually(() => rowIds(sam)).toHaveLength(10);
  });

  it('another user of the same role and department sees none of them, in the page or the API', async () => {
    const dana = await ui.loginAs('dana', PASSWORD);
    await dana.goto('/m/customer');
    await eventually(() => rowIds(dana)).toHaveLength(25);
    expect(await tabs(dana)).toEqual(['All records']);
    const views = await dana.evaluate(async () => (await fetch('/api/data/saved_view')).json());
    expect(views.data).toEqual([]);
    await ui.screenshot(dana, 'saved-views-other-user');
    await dana.context().close();
  });

  it('renames the open view, says so when the name is taken, and deletes it', async () => {
    await sam.goto('/m/customer');
    await sam.getByRole('link', { name: 'Gold, newest first' }).click();
    await sam.waitForURL(/sort=-since/);
    await sam.getByRole('button', { name: 'Rename' }).click();
    await sam.getByTestId('view-name').fill('Ten a page');
    await sam.getByRole('button', { name: 'Rename' }).click();
    await eventually(() => sam.getByRole('alert').innerText()).toBe('You already have a view named "Ten a page" here. Choose another name.');
    await ui.screenshot(sam, 'saved-views-duplicate');
    await sam.getByTestId('view-name').fill('Gold customers');
    await sam.getByRole('button', { name: 'Rename' }).click();
    await eventually(() => tabs(sam)).toEqual(['All records', 'Gold customers', 'Ten a page']);
    expect(await activeTab(sam)).toBe('Gold customers');

    await sam.getByRole('button', { name: 'Delete view' }).click();
    await sam.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(() => tabs(sam)).toEqual(['All records', 'Ten a page']);
    expect(new URL(sam.url()).search).toBe('');
    await eventually(() => rowIds(sam)).toHaveLength(25);
  });

  it('speaks Chinese', async () => {
    await sam.goto('/m/customer?sort=name');
    await sam.getByTestId('lang').selectOption('zh');
    await eventually(() => tabs(sam)).toEqual(['全部记录', 'Ten a page']);
    expect(await sam.getByTestId('save-view').innerText()).toBe('保存视图');
    await ui.screenshot(sam, 'saved-views-zh');
    await sam.getByTestId('lang').selectOption('en');
  });

  it('keeps the chosen columns in the view', async () => {
    await sam.goto('/m/customer');
    await eventually(() => headers(sam)).toEqual(['Name', 'Phone', 'Grade', 'Region', 'First contact', 'Tags']);
    const chooser = sam.getByTestId('columns');
    await chooser.locator('summary').click();
    await chooser.getByLabel('Phone').uncheck();
    await chooser.getByLabel('Visits').check();
    await eventually(() => headers(sam)).toEqual(['Name', 'Grade', 'Region', 'First contact', 'Tags', 'Visits']);
    await ui.screenshot(sam, 'saved-views-columns');
    await chooser.locator('summary').click();
    await sam.getByTestId('save-view').click();
    await sam.getByTestId('view-name').fill('With visits');
    await sam.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => tabs(sam)).toEqual(['All records', 'Ten a page', 'With visits']);
    await sam.getByRole('link', { name: 'All records' }).click();
    await eventually(() => headers(sam)).toEqual(['Name', 'Phone', 'Grade', 'Region', 'First contact', 'Tags']);
    await sam.getByRole('link', { name: 'With visits' }).click();
    await eventually(() => headers(sam)).toEqual(['Name', 'Grade', 'Region', 'First contact', 'Tags', 'Visits']);
    await eventually(() => sam.getByTestId('records').locator('tbody td[data-column="visits"]').first().innerText()).toMatch(/^\d+$/);
  });
});
