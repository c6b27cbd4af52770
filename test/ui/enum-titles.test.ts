/**
 * Enum values on screen by their titles (x-enum-titles, x-i18n.<lang>.enums), in English and
 * Chinese: the list, the form's select and checkboxes, the filter builder and the chart. The API
 * still stores and answers the values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, columnTexts, eventually, ok, startUi, type UiHarness } from './browser.js';
import { ticketDef } from '../support/ticket-def.js';

describe('enum titles in the admin UI', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
    await ok(ui.admin.post('/api/modules', { ...ticketDef, 'x-list': { columns: ['subject', 'status', 'channels'], filters: ['status'], sort: 'subject' } }));
    await ok(ui.admin.post('/api/data/ticket', { subject: 'Printer', status: 'in_progress', channels: ['mail', 'phone'] }));
    await ok(ui.admin.post('/api/data/ticket', { subject: 'Scanner', status: 'done' }));
  });
  afterAll(async () => ui?.close());

  it('lists, forms, filters and charts show titles; a value without one shows as stored', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/m/ticket');
    await eventually(() => columnTexts(page, 'status')).toEqual(['In progress', 'done']);
    expect(await columnTexts(page, 'channels')).toEqual(['E-mail, phone', '']);

    await page.getByTestId('lang').selectOption('zh');
    await eventually(() => columnTexts(page, 'status')).toEqual(['处理中', '已完成']);
    // zh has no title for `mail`: the default language's title stands in.
    expect(await columnTexts(page, 'channels')).toEqual(['E-mail, 电话', '']);
    await page.getByTestId('toggle-filters').click();
    // Read once they are drawn: allInnerTexts does not wait for them (it read [] under load in CI).
    await eventually(() => page.getByTestId('filters').locator('[data-field="status"] select option').allInnerTexts())
      .toEqual(expect.arrayContaining(['待处理', '处理中', '已完成']));
    await ui.screenshot(page, 'enum-titles-list-zh');

    await page.goto('/m/ticket/new');
    const select = page.getByLabel('状态');
    await eventually(() => select.locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['待处理', '处理中', '已完成']));
    await page.getByLabel('Subject').fill('Router');
    await select.selectOption({ label: '待处理' });
    await page.getByRole('checkbox', { name: '电话' }).check();
    await page.getByRole('button', { name: /创建|Create/ }).click();
    await page.waitForURL(/\/m\/ticket\/\d+$/);
    const stored = (await ok(ui.admin.get(`/api/data/ticket?filter=${encodeURIComponent(JSON.stringify({ subject: 'Router' }))}`), 200)).data[0];
    expect(stored).toMatchObject({ status: 'open', channels: ['phone'] });

    await page.goto('/m/ticket/chart?by=status');
    await page.getByTestId('chart-table').waitFor();
    expect(await page.getByTestId('chart-table').locator('tbody td:first-child').allInnerTexts()).toEqual(expect.arrayContaining(['待处理', '处理中', '已完成']));
    await page.context().close();
  });
});
