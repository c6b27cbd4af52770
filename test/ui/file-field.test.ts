/**
 * File fields in the browser: an admin adds a File field in the module designer,
 * creates a record with a file through the generated form, and the detail page's link downloads
 * the same bytes; a file over the limit is refused on the field before anything is sent.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, startUi, type UiHarness } from './browser.js';
import { MAX_FILE_BYTES } from '../../core/files/limits.js';

/** Every byte value, NUL included: a text path anywhere on the way would change them. */
const BYTES = Buffer.from(Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));

describe('admin UI: file fields', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
  });
  afterAll(async () => ui?.close());

  it('an admin adds a File field in the module designer, uploads a file through the form, and downloads the same bytes from the record', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/admin/modules/new');
    await page.getByLabel('Name (for the API and the table)').fill('contract');
    await page.getByLabel('Title', { exact: true }).fill('Contract');
    const first = page.getByTestId('field-row').nth(0);
    await first.getByLabel('Field name').fill('title');
    await first.getByLabel('Label', { exact: true }).fill('Title');
    await first.getByLabel('Required').check();
    await page.getByRole('button', { name: '+ Add a field' }).click();
    const second = page.getByTestId('field-row').nth(1);
    await second.getByLabel('Field name').fill('scan');
    await second.getByLabel('Label', { exact: true }).fill('Signed scan');
    await second.getByLabel('Chinese label').fill('签字扫描件');
    await second.getByLabel('Type').selectOption('file');
    expect(await second.getByLabel('Unique').isDisabled()).toBe(true);
    const preview = JSON.parse(await page.getByTestId('definition-preview').innerText());
    expect(preview.properties.scan).toEqual({ 'x-type': 'file', title: 'Signed scan' });
    await ui.screenshot(page, 'file-field-designer');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toContain('Module "contract" created');

    await page.goto('/m/contract/new');
    await page.getByLabel('Title').fill('Lease 2025');
    const uploads: string[] = [];
    page.on('request', (r) => r.url().endsWith('/api/files') && uploads.push(r.method()));
    // Over the limit: refused on the field, and nothing is sent.
    await page.getByTestId('file-picker').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(MAX_FILE_BYTES + 1) });
    await eventually(() => page.locator('[data-field="scan"] .field-error').innerText()).toContain('a file may be at most 2 MB');
    expect(uploads).toEqual([]);
    await page.getByTestId('file-picker').setInputFiles({ name: 'lease 2025.pdf', mimeType: 'application/pdf', buffer: BYTES });
    await eventually(() => page.getByTestId('file-name').innerText()).toBe('lease 2025.pdf');
    expect(uploads).toEqual(['POST']);
    await expect(page.locator('[data-field="scan"] .field-error').count()).resolves.toBe(0);
    await ui.screenshot(page, 'file-field-form');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/m\/contract\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());

    const link = page.locator('[data-field="scan"] a.file-link');
    await eventually(() => link.innerText()).toBe('lease 2025.pdf');
    expect(await link.getAttribute('download')).toBe('lease 2025.pdf');
    expect(await link.getAttribute('href')).toBe(`/api/data/contract/${id}/files/scan`);
    await ui.screenshot(page, 'file-field-detail');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('lease 2025.pdf');
    expect(Buffer.compare(await readFile((await download.path())!), BYTES)).toBe(0);

    // The record holds the handle; the list names the file with a link too.
    const record = await ok(ui.admin.get(`/api/data/contract/${id}`), 200);
    expect(record.scan).toMatchObject({ name: 'lease 2025.pdf', type: 'application/pdf', size: BYTES.length });
    await page.goto('/m/contract');
    await eventually(() => page.locator(`tr[data-id="${id}"] td[data-column="scan"] a.file-link`).getAttribute('download')).toBe('lease 2025.pdf');
    await ui.screenshot(page, 'file-field-list');

    // Editing keeps the file unless it is removed; removing it clears the field.
    await page.goto(`/m/contract/${id}/edit`);
    await eventually(() => page.getByTestId('file-name').innerText()).toBe('lease 2025.pdf');
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/m/contract/${id}$`));
    await eventually(async () => (await ok(ui.admin.get(`/api/data/contract/${id}`), 200)).scan).toBeNull();
    await page.context().close();
  });
});
