/**
 * The detail page: a record's fields, its one-to-many relation as a related list (customer →
 * follow-ups, filtered by the reference), "Add" from the related list with the reference filled
 * in, edit, and delete with a confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, columnTexts, headers, ok, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD, type World } from './crm-world.js';

describe('admin UI: detail page with related lists', () => {
  let ui: UiHarness;
  let w: World;
  let ada: { id: number };
  beforeAll(async () => {
    ui = await startUi();
    w = await buildWorld(ui.admin);
    ada = await ok(ui.admin.post('/api/data/customer', { name: 'Ada Wang', phone: '555-2000', grade: 'gold', region: w.regions.South }));
    const bob = await ok(ui.admin.post('/api/data/customer', { name: 'Bob Li', phone: '555-2001' }));
    for (const [date, method, notes] of [['2026-09-01', 'phone', 'first call'], ['2026-10-15', 'qq', 'sent the outline'], ['2026-11-02', 'visit', 'came to the campus']]) {
      await ok(ui.admin.post('/api/data/followup', { customer: ada.id, date, method, notes }));
    }
    await ok(ui.admin.post('/api/data/followup', { customer: bob.id, date: '2026-11-03', method: 'phone', notes: 'not Ada' }));
  });
  afterAll(async () => ui?.close());

  it("shows the record's fields and its follow-ups, newest first, without the customer column", async () => {
    const page = await ui.loginAs('sam', PASSWORD);
    await page.goto('/m/customer');
    await page.getByRole('link', { name: 'Ada Wang' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${ada.id}$`));
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Ada Wang');
    expect(await page.locator('[data-field="grade"] dd').innerText()).toBe('gold');
    expect(await page.locator('[data-field="region"] dd').innerText()).toBe('South');
    const related = page.getByTestId('related-followups');
    await eventually(() => related.locator('h2').innerText()).toMatch(/^Follow-ups\s*3$/);
    await eventually(() => columnTexts(page, 'notes')).toEqual(['came to the campus', 'sent the outline', 'first call']);
    expect(await headers(page)).toEqual(['Date', 'Method', 'Notes']);
    // Sam may not delete customers: no delete button.
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await ui.screenshot(page, 'detail-related');
    await page.context().close();
  });

  it('"Add" in the related list opens a follow-up form with the customer filled in; times are the reader\'s own', async () => {
    const page = await ui.loginAs('sam', PASSWORD, { timezoneId: 'Asia/Shanghai' });
    await page.goto(`/m/customer/${ada.id}`);
    await page.getByTestId('related-followups').getByRole('link', { name: 'Add' }).click();
    await page.waitForURL(new RegExp(`/m/followup/new\\?customer=${ada.id}$`));
    await eventually(() => page.getByLabel('Customer').inputValue()).toBe('Ada Wang');
    await page.getByLabel('Date').fill('2026-11-21');
    await page.getByLabel('Method').selectOption('phone');
    await page.getByLabel('Notes').fill('agreed to a trial lesson');
    await page.getByLabel('Next call').fill('2026-12-01T09:30');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/m\/followup\/\d+$/);
    expect(await page.getByTestId('flash').innerText()).toBe('Follow-up created.');
    // 09:30 in Shanghai is 01:30 UTC; the page shows it back in the reader's zone.
    const id = Number(/\/(\d+)$/.exec(page.url())![1]);
    expect((await ok(ui.admin.get(`/api/data/followup/${id}`), 200)).nextCallAt).toBe('2026-12-01T01:30:00.000Z');
    expect(await page.locator('[data-field="nextCallAt"] dd').innerText()).toBe('2026-12-01 09:30');
    await page.locator('[data-field="customer"] dd').getByRole('link', { name: 'Ada Wang' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${ada.id}$`));
    await eventually(() => columnTexts(page, 'notes')).toEqual(['agreed to a trial lesson', 'came to the campus', 'sent the outline', 'first call']);
    await page.context().close();
  });

  it('edits a record from its page and deletes one after a confirmation', async () => {
    const page = await ui.loginAs('admin', 'admin-test-password');
    await page.goto(`/m/customer/${ada.id}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${ada.id}/edit$`));
    await eventually(() => page.getByLabel('Name').inputValue()).toBe('Ada Wang');
    await page.getByLabel('Visits').fill('7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${ada.id}$`));
    expect(await page.getByTestId('flash').innerText()).toBe('Changes saved.');
    expect(await page.locator('[data-field="visits"] dd').innerText()).toBe('7');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Delete this record? This cannot be undone.').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.waitForURL(/\/m\/customer$/);
    expect((await ui.admin.get(`/api/data/customer/${ada.id}`)).status).toBe(404);
    // Follow-ups cascade with their customer.
    expect((await ok(ui.admin.get('/api/data/followup'), 200)).meta.total).toBe(1);
    await page.context().close();
  });
});
