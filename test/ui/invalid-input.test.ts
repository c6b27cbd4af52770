/**
 * Nothing typed is silently dropped: a date input holding 31 February, or a number input holding
 * text, reports its value as '' — which a form would otherwise save as "cleared". The form
 * refuses to send instead, says so on the field (in English and Chinese), and the stored value
 * stays as it was.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, startUi, type UiHarness } from './browser.js';
import { buildWorld } from './crm-world.js';

describe('admin UI: input the browser cannot read blocks the save', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
    await buildWorld(ui.admin);
  });
  afterAll(async () => ui?.close());

  const stored = async (id: number) => ok(ui.admin.get(`/api/data/customer/${id}`), 200);
  const fieldError = (page: Page, field: string) => page.locator(`[data-field="${field}"] .field-error`);
  /** Every write the page sends to the data API. */
  const writesOf = (page: Page) => {
    const writes: string[] = [];
    page.on('request', (r) => r.method() !== 'GET' && r.url().includes('/api/data/') && writes.push(`${r.method()} ${r.url()}`));
    return writes;
  };
  /** Types into a control from the keyboard, as a person would (fill() would refuse or set a valid value). */
  const typeInto = async (page: Page, label: string, keys: string) => {
    await page.getByLabel(label, { exact: true }).focus();
    await page.keyboard.type(keys);
  };
  const validity = (page: Page, label: string) =>
    page.getByLabel(label, { exact: true }).evaluate((el: HTMLInputElement) => ({ value: el.value, valid: el.validity.valid, badInput: el.validity.badInput }));

  it('31 February typed over a stored date is refused on the field; the stored date is kept and "saved" is not said', async () => {
    const record = await ok(ui.admin.post('/api/data/customer', { name: 'Date Deng', phone: '555-8000', since: '2026-01-15', visits: 3 }));
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    const writes = writesOf(page);
    await page.goto(`/m/customer/${record.id}/edit`);
    await eventually(() => page.getByLabel('First contact').inputValue()).toBe('2026-01-15');

    // en-US segments: month, day, year. 02/31 is no day, so the input reads as empty and bad.
    await typeInto(page, 'First contact', '02312026');
    expect(await validity(page, 'First contact')).toEqual({ value: '', valid: false, badInput: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => fieldError(page, 'since').innerText()).toBe('First contact is not a date the calendar has: check the day and the month');
    expect(await page.getByTestId('form-error').innerText()).toBe('Please correct the marked fields.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-since');
    await ui.screenshot(page, 'form-impossible-date');
    expect(page.url()).toMatch(new RegExp(`/m/customer/${record.id}/edit$`));
    expect(await page.getByText('Changes saved').count()).toBe(0);
    expect(writes).toEqual([]);
    expect(await stored(record.id)).toMatchObject({ since: '2026-01-15', version: record.version });

    // The same in Chinese.
    await page.getByTestId('lang').selectOption('zh');
    await page.getByRole('button', { name: '保存' }).click();
    await eventually(() => fieldError(page, 'since').innerText()).toBe('首次咨询 不是日历上存在的日期：请检查日和月');
    expect(writes).toEqual([]);

    // A real day is saved: the block was the bad input, not the form.
    await page.getByTestId('lang').selectOption('en');
    await typeInto(page, 'First contact', '02282026');
    expect(await validity(page, 'First contact')).toEqual({ value: '2026-02-28', valid: true, badInput: false });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${record.id}$`));
    await eventually(() => page.getByText('Changes saved').count()).toBe(1);
    expect(await stored(record.id)).toMatchObject({ since: '2026-02-28', visits: 3 });
    await page.context().close();
  });

  it('a date left half typed on an empty field is refused too, not saved as "no date"', async () => {
    const record = await ok(ui.admin.post('/api/data/customer', { name: 'Half Hu', phone: '555-8001' }));
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    const writes = writesOf(page);
    await page.goto(`/m/customer/${record.id}/edit`);
    await eventually(() => page.getByLabel('Name').inputValue()).toBe('Half Hu');
    // Month and day but no year: the value stays '' as it was, so nothing looks changed.
    await typeInto(page, 'First contact', '0315');
    expect(await validity(page, 'First contact')).toMatchObject({ value: '', valid: false });
    await page.getByLabel('Name').fill('Half Hu Jr');
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => fieldError(page, 'since').innerText()).toBe('First contact is not a date the calendar has: check the day and the month');
    expect(writes).toEqual([]);
    expect(await stored(record.id)).toMatchObject({ name: 'Half Hu', since: null, version: record.version });
    await page.context().close();
  });

  it('text typed into a number field is refused on the field, on an edit and on a create', async () => {
    const record = await ok(ui.admin.post('/api/data/customer', { name: 'Number Niu', phone: '555-8002', visits: 7 }));
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    const writes = writesOf(page);
    await page.goto(`/m/customer/${record.id}/edit`);
    await eventually(() => page.getByLabel('Visits').inputValue()).toBe('7');
    await page.getByLabel('Visits').selectText();
    // Chromium lets a number input take "e" and signs: "1e-" is no number, so it reads as ''.
    await typeInto(page, 'Visits', '1e-');
    expect(await validity(page, 'Visits')).toEqual({ value: '', valid: false, badInput: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await eventually(() => fieldError(page, 'visits').innerText()).toBe('Visits must be a number: what was typed cannot be read as one');
    await ui.screenshot(page, 'form-number-text');
    expect(writes).toEqual([]);
    expect(await stored(record.id)).toMatchObject({ visits: 7, version: record.version });

    // On a create, an unreadable optional field would otherwise just be left out.
    await page.goto('/m/customer/new');
    await page.getByLabel('Name').fill('Never Created');
    await typeInto(page, 'Visits', '2e+');
    await typeInto(page, 'First contact', '04312026');
    await page.getByRole('button', { name: 'Create' }).click();
    await eventually(() => fieldError(page, 'visits').innerText()).toBe('Visits must be a number: what was typed cannot be read as one');
    expect(await fieldError(page, 'since').innerText()).toBe('First contact is not a date the calendar has: check the day and the month');
    expect(writes).toEqual([]);
    expect((await ok(ui.admin.get(`/api/data/customer?filter=${encodeURIComponent(JSON.stringify({ name: 'Never Created' }))}`), 200)).data).toEqual([]);
    await page.context().close();
  });
});
