/**
 * The generated list: pages with a total, sorting by a header, search (q), the filter builder
 * (an enum and a "more than N days ago" date, S-5's shape), bulk delete and CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { eventually, columnTexts, ok, rowIds, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD } from './crm-world.js';

describe('admin UI: generated list', () => {
  let ui: UiHarness;
  let page: Page;
  beforeAll(async () => {
    ui = await startUi();
    await buildWorld(ui.admin, 30);
    page = await ui.loginAs('admin', 'admin-test-password');
  });
  afterAll(async () => ui?.close());

  const apiIds = async (query: string) => (await ok(ui.admin.get(`/api/data/customer?pageSize=100&${query}`), 200)).data.map((r: { id: number }) => r.id);
  const pager = () => page.getByTestId('pager').locator('span').first().innerText();

  it('shows the x-list columns, 25 rows a page and the total; Next shows the rest', async () => {
    await page.goto('/m/customer');
    await eventually(pager).toBe('1–25 of 30');
    expect(await columnTexts(page, 'name')).toEqual(Array.from({ length: 25 }, (_, i) => `Customer ${String(i + 1).padStart(2, '0')}`));
    // A reference shows its target's label and links to it.
    expect((await columnTexts(page, 'region')).slice(0, 2)).toEqual(['South', 'North']);
    // A many-to-many column names the linked records.
    expect((await columnTexts(page, 'tags')).slice(3, 6)).toEqual(['', 'vip, python', '']);
    await ui.screenshot(page, 'list');
    await page.getByRole('link', { name: 'Next' }).click();
    await eventually(pager).toBe('26–30 of 30');
    expect(await rowIds(page)).toHaveLength(5);
  });

  it('sorts by a column when its header is clicked, descending on the second click', async () => {
    await page.goto('/m/customer');
    await page.getByRole('button', { name: 'First contact' }).click();
    await page.waitForURL(/sort=since$/);
    await eventually(() => rowIds(page)).toEqual((await apiIds('sort=since,id')).slice(0, 25));
    expect(await page.locator('th[data-column="since"]').getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('button', { name: 'First contact' }).click();
    await page.waitForURL(/sort=-since$/);
    await eventually(() => rowIds(page)).toEqual((await apiIds('sort=-since,id')).slice(0, 25));
    expect(await page.locator('th[data-column="since"]').getAttribute('aria-sort')).toBe('descending');
    const since = await columnTexts(page, 'since');
    expect(since).toEqual([...since].sort().reverse());
  });

  it('searches as you type', async () => {
    await page.goto('/m/customer');
    await page.getByTestId('search').fill('customer 1');
    await page.waitForURL(/q=customer/);
    await eventually(() => columnTexts(page, 'name')).toEqual(Array.from({ length: 10 }, (_, i) => `Customer ${10 + i}`));
    await eventually(pager).toBe('1–10 of 10');
    await page.getByTestId('search').fill('nobody at all');
    await page.getByTestId('empty').waitFor();
    expect(await page.getByTestId('empty').innerText()).toContain('No records match the search or filters.');
  });

  it('filters by an enum and by "more than 30 days ago" (S-5), kept in the URL', async () => {
    await page.goto('/m/customer');
    await page.getByTestId('toggle-filters').click();
    const filters = page.getByTestId('filters');
    // x-list.filters are offered first: grade and since.
    expect(await filters.locator('.filter-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual(['grade', 'since']);
    await filters.getByLabel('Grade', { exact: true }).selectOption('gold');
    await filters.getByLabel('First contact: operator').selectOption('olderThan');
    await filters.getByLabel('First contact days').fill('30');
    await ui.screenshot(page, 'list-filters');
    await filters.getByRole('button', { name: 'Apply' }).click();
    const expected = await apiIds(`sort=name&filter=${encodeURIComponent(JSON.stringify({ grade: 'gold', since: { lt: '$now-30d' } }))}`);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(10);
    await eventually(() => rowIds(page)).toEqual(expected);
    expect(new Set(await columnTexts(page, 'grade'))).toEqual(new Set(['gold']));
    expect(await page.getByTestId('toggle-filters').innerText()).toBe('Filters (2)');
    await page.reload();
    await eventually(() => rowIds(page)).toEqual(expected);
    // The export carries the same filter.
    const href = (await page.getByTestId('export').getAttribute('href'))!;
    const csv = await (await page.request.get(href)).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/);
    expect(lines[0]).toBe('id,name,phone,grade,region.name,region.id,since,tags');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(expected);
    // A reference filter with its lookup.
    await page.goto('/m/customer');
    await page.getByTestId('toggle-filters').click();
    await page.getByTestId('add-filter').selectOption('region');
    await page.getByTestId('filters').locator('[data-field="region"] input').fill('Nor');
    await page.getByRole('option', { name: /North/ }).click();
    await page.getByTestId('filters').getByRole('button', { name: 'Apply' }).click();
    await eventually(pager).toBe('1–15 of 15');
    expect(new Set(await columnTexts(page, 'region'))).toEqual(new Set(['North']));
  });

  it('S-5: customers with no follow-up in the last 30 days, through the one-to-many relation', async () => {
    const ids = await apiIds('sort=name');
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const made: number[] = [];
    for (const [i, days] of [[0, 3], [1, 10], [2, 29], [3, 45], [3, 2], [4, 90]] as const) {
      made.push((await ok(ui.admin.post('/api/data/followup', { customer: ids[i], date: daysAgo(days) }))).id);
    }
    await page.goto('/m/customer');
    await page.getByTestId('toggle-filters').click();
    const filters = page.getByTestId('filters');
    await filters.getByRole('button', { name: 'Remove all' }).click();
    await page.getByTestId('add-filter').selectOption('followups');
    expect(await filters.getByLabel('Follow-ups: operator').inputValue()).toBe('noneWithin');
    await filters.getByLabel('Follow-ups days').fill('30');
    await ui.screenshot(page, 'list-filter-s05');
    await filters.getByRole('button', { name: 'Apply' }).click();
    // Customers 1–4 were followed up within 30 days (4 also 45 days ago); 5 only 90 days ago.
    const expected = ids.filter((id: number) => !ids.slice(0, 4).includes(id));
    await eventually(pager).toBe(`1–25 of ${expected.length}`);
    expect(await rowIds(page)).toEqual(expected.slice(0, 25));
    expect(await apiIds(`sort=name&filter=${encodeURIComponent(JSON.stringify({ followups: { none: { date: { gte: '$now-30d' } } } }))}`)).toEqual(expected);
    for (const id of made) await ok(ui.admin.delete(`/api/data/followup/${id}`), 204);
  });

  it('deletes the selected records in one bulk request, after a confirmation', async () => {
    await page.goto('/m/customer?sort=name');
    await eventually(pager).toBe('1–25 of 30');
    const [first, second] = await rowIds(page);
    await page.getByLabel(`Select record ${first}`, { exact: true }).check();
    await page.getByLabel(`Select record ${second}`, { exact: true }).check();
    const bar = page.getByTestId('bulk-bar');
    expect(await bar.innerText()).toContain('2 selected');
    await bar.getByRole('button', { name: 'Delete selected' }).click();
    expect(await bar.innerText()).toContain('Delete 2 records? This cannot be undone.');
    await ui.screenshot(page, 'list-bulk-delete');
    await bar.getByRole('button', { name: 'Delete', exact: true }).click();
    await eventually(pager).toBe('1–25 of 28');
    expect(await page.getByRole('status').first().innerText()).toBe('2 records deleted');
    expect(await rowIds(page)).not.toContain(first);
    expect((await ui.admin.get(`/api/data/customer/${first}`)).status).toBe(404);
    expect((await ui.admin.get(`/api/data/customer/${second}`)).status).toBe(404);
  });

  it('a user without delete permission gets no checkboxes; an empty module invites the first record', async () => {
    const sam = await ui.loginAs('sam', PASSWORD);
    await sam.goto('/m/customer');
    await eventually(() => rowIds(sam)).toHaveLength(25);
    expect(await sam.locator('input[type="checkbox"]').count()).toBe(0);
    await sam.goto('/m/followup');
    await sam.getByTestId('empty').waitFor();
    expect(await sam.getByTestId('empty').innerText()).toContain('No Follow-up records yet.');
    await sam.getByTestId('empty').getByRole('link', { name: 'New Follow-up' }).click();
    await sam.waitForURL(/\/m\/followup\/new$/);
    await sam.context().close();
  });
});
