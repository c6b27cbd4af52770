/**
 * CSV import from the list: rows checked with the form's rules, created one by one with the
 * caller's permissions, a progress bar, and a report of every refused row with its field and
 * reason (a duplicate names its owner, S-4). Export's own format (`region.id`, `a;b` lists,
 * `'+86…` neutralised cells) reads back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ok, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD, type World } from './crm-world.js';

describe('admin UI: CSV import', () => {
  let ui: UiHarness;
  let w: World;
  beforeAll(async () => {
    ui = await startUi();
    w = await buildWorld(ui.admin);
    await ok(ui.admin.post('/api/data/customer', { name: 'Dana’s lead', phone: '555-1234', owner: w.users.dana }));
  });
  afterAll(async () => ui?.close());

  it('creates the good rows (owned by the importer), refuses the others each with its reason, and shows the progress', async () => {
    const csv = [
      'id,name,phone,grade,region.id,since,tags,email,createdAt',
      `,Import One,555-9001,gold,${w.regions.North},2026-01-02,${w.tags.vip};${w.tags.linux},,`,
      `,Import Two,'+86 555 9002,silver,,,,,`,
      ',Bad Mail,555-9003,,,,,not-an-email,',
      ',Dup,555-1234,,,,,,',
      ',,555-9005,,,,,,',
      ',"Quoted, Name",555-9006,bronze,,,,,2020-01-01T00:00:00Z',
    ].join('\r\n');
    const page = await ui.loginAs('sam', PASSWORD);
    await page.goto('/m/customer');
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.waitForURL(/\/m\/customer\/import$/);
    await page.getByTestId('import-file').setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from('\uFEFF' + csv) });
    await page.getByText('6 rows in leads.csv.').waitFor();
    expect(await page.getByTestId('import-ignored').innerText()).toBe('These columns will be ignored: id, createdAt');
    await page.getByRole('button', { name: 'Import 6 rows' }).click();
    await eventually(() => page.getByTestId('import-summary').innerText().catch(() => '')).toBe('Done: 3 records created, 3 rows refused.');
    expect(await page.getByTestId('import-progress').innerText()).toContain('6 of 6 rows: 3 created, 3 refused');
    expect(await page.getByTestId('import-progress').locator('progress').evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([6, 6]);
    const report = await page.getByTestId('import-report').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(report).toEqual([
      ['4', 'E-mail', 'must be an e-mail address like name@example.com'],
      ['5', 'Phone', expect.stringContaining('it belongs to Dana Sales')],
      ['6', 'Name', 'is required'],
    ]);
    await ui.screenshot(page, 'import-report');
    const imported = (await ok(ui.admin.get(`/api/data/customer?sort=id&filter=${encodeURIComponent(JSON.stringify({ createdBy: w.users.sam }))}`), 200)).data;
    expect(imported.map((r: any) => [r.name, r.phone, r.grade, r.region, r.since, r.tags, r.owner])).toEqual([
      ['Import One', '555-9001', 'gold', w.regions.North, '2026-01-02', [w.tags.vip, w.tags.linux].sort((a, b) => a! - b!), w.users.sam],
      ['Import Two', '+86 555 9002', 'silver', null, null, [], w.users.sam],
      ['Quoted, Name', '555-9006', 'bronze', null, null, [], w.users.sam],
    ]);
    await page.context().close();
  });

  it('a file whose header names no field it may fill is refused before anything is sent', async () => {
    const page = await ui.loginAs('sam', PASSWORD);
    await page.goto('/m/customer/import');
    await page.getByTestId('import-file').setInputFiles({ name: 'other.csv', mimeType: 'text/csv', buffer: Buffer.from('colour,size\nred,9\n') });
    await eventually(() => page.getByRole('alert').innerText()).toBe('No column of the header names a field you may fill.');
    expect(await page.getByRole('button', { name: /^Import/ }).count()).toBe(0);
    await page.context().close();
  });
});
