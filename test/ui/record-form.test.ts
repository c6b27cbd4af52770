/**
 * Generated forms: S-1 (sales enters a new lead), checks before submit, S-4 (a duplicate refused
 * with its owner named, on the field that clashes), and a stale edit explained with what changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ok, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD, type World } from './crm-world.js';

describe('admin UI: generated forms', () => {
  let ui: UiHarness;
  let w: World;
  beforeAll(async () => {
    ui = await startUi();
    w = await buildWorld(ui.admin);
  });
  afterAll(async () => ui?.close());

  const customers = async (filter: object) => (await ok(ui.admin.get(`/api/data/customer?filter=${encodeURIComponent(JSON.stringify(filter))}`), 200)).data;

  it('S-1: a salesman creates a customer through the form, picking the region by typing', async () => {
    const page = await ui.loginAs('sam', PASSWORD);
    await page.getByTestId('menu').getByRole('link', { name: 'Customer' }).click();
    // The header's link; an empty list shows a second one to the same page.
    await page.getByRole('link', { name: 'New Customer' }).first().click();
    await page.waitForURL(/\/m\/customer\/new$/);
    // The default is preselected, and the person entering the record is its owner (x-owner).
    expect(await page.getByLabel('Grade').inputValue()).toBe('bronze');
    await eventually(() => page.getByLabel('Owner').inputValue()).toBe('Sam Sales');
    await page.getByLabel('Name').fill('Li Lei');
    await page.getByLabel('Phone').fill('138 0000 0001');
    await page.getByLabel('Grade').selectOption('silver');
    await page.getByLabel('First contact').fill('2026-11-20');
    await page.getByLabel('Region').fill('nor');
    await page.getByRole('option', { name: /North/ }).waitFor();
    await page.getByLabel('Region').press('Enter');
    await eventually(() => page.getByLabel('Region').inputValue()).toBe('North');
    // Many-to-many: each pick adds a chip.
    for (const tag of ['vip', 'linux']) {
      await page.getByLabel('Tags').fill(tag);
      await page.getByRole('option', { name: new RegExp(tag) }).click();
    }
    await eventually(() => page.locator('[data-field="tags"] .chip').allInnerTexts()).toEqual(['vip\n×', 'linux\n×']);
    await ui.screenshot(page, 'form-create');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/m\/customer\/\d+$/);
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Li Lei');
    expect(await page.locator('[data-field="region"] dd').innerText()).toBe('North');
    await eventually(() => page.locator('[data-field="tags"] dd').innerText()).toBe('vip, linux');
    const [saved] = await customers({ phone: '138 0000 0001' });
    expect(saved).toMatchObject({ name: 'Li Lei', grade: 'silver', since: '2026-11-20', region: w.regions.North, tags: [w.tags.vip, w.tags.linux].sort((a, b) => a! - b!), owner: w.users.sam, createdBy: w.users.sam });
    await ui.screenshot(page, 'detail-after-create');
    await page.context().close();
  });

  it('mistakes are shown on their fields before anything is sent', async () => {
    const page = await ui.loginAs('sam', PASSWORD);
    const requests: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && requests.push(r.url()));
    await page.goto('/m/customer/new');
    await page.getByLabel('Phone').fill('call me');
    await page.getByLabel('E-mail').fill('not-an-address');
    await page.getByLabel('Visits').fill('5000');
    await page.getByRole('button', { name: 'Create' }).click();
    const error = (field: string) => page.locator(`[data-field="${field}"] .field-error`).innerText();
    await eventually(() => error('name')).toBe('Name is required');
    expect(await error('phone')).toBe('Phone does not have the expected form (^[0-9+ -]+$)');
    expect(await error('email')).toBe('E-mail must be an e-mail address like name@example.com');
    expect(await error('visits')).toBe('Visits must be at most 1000');
    expect(await page.getByTestId('form-error').innerText()).toBe('Please correct the marked fields.');
    // Focus goes to the first faulty field, so the keyboard user can fix it at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-name');
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await ui.screenshot(page, 'form-invalid');
    expect(requests).toEqual([]);
    // Fixing a field clears its message.
    await page.getByLabel('Name').fill('Han Meimei');
    await eventually(() => page.locator('[data-field="name"] .field-error').count()).toBe(0);
    await page.context().close();
  });

  it('S-4: a duplicate phone is refused with the owner named, on the phone field', async () => {
    const sam = await ui.loginAs('sam', PASSWORD);
    await sam.goto('/m/customer/new');
    await sam.getByLabel('Name').fill('Zhang Wei');
    await sam.getByLabel('Phone').fill('139-1111-2222');
    await sam.getByRole('button', { name: 'Create' }).click();
    await sam.waitForURL(/\/m\/customer\/\d+$/);
    const [existing] = await customers({ phone: '139-1111-2222' });

    const dana = await ui.loginAs('dana', PASSWORD);
    await dana.goto('/m/customer/new');
    await dana.getByLabel('Name').fill('W. Zhang');
    await dana.getByLabel('Phone').fill('139-1111-2222');
    await dana.getByRole('button', { name: 'Create' }).click();
    const banner = dana.getByTestId('form-error');
    await eventually(() => banner.innerText()).toContain(`This customer already exists (id ${existing.id}, same phone); it belongs to Sam Sales: contact them instead of entering it again`);
    expect(await banner.getByRole('link').getAttribute('href')).toBe(`/m/customer/${existing.id}`);
    expect(await dana.locator('[data-field="phone"] .field-error').innerText()).toBe('Phone already exists');
    await ui.screenshot(dana, 'form-duplicate');
    expect(await customers({ phone: '139-1111-2222' })).toHaveLength(1);
    await sam.context().close();
    await dana.context().close();
  });

  it('a stale edit is explained with the fields that changed, and saved again on the new version', async () => {
    const record = await ok(ui.admin.post('/api/data/customer', { name: 'Stale Sun', phone: '555-7000', grade: 'bronze' }));
    const page = await ui.loginAs('sam', PASSWORD);
    await page.goto(`/m/customer/${record.id}/edit`);
    await eventually(() => page.getByLabel('Name').inputValue()).toBe('Stale Sun');
    // Meanwhile someone else changes the phone.
    await ok(ui.admin.patch(`/api/data/customer/${record.id}`, { phone: '555-7001' }), 200);
    await page.getByLabel('Grade').selectOption('gold');
    await page.getByRole('button', { name: 'Save' }).click();
    const stale = page.getByTestId('stale');
    await eventually(() => stale.innerText()).toContain('Someone else changed this record while you were editing it');
    expect(await stale.locator('tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual(['phone']);
    expect(await stale.locator('tr[data-field="phone"]').innerText()).toMatch(/now:\s*555-7001\s+you did not change it: theirs is kept/);
    await ui.screenshot(page, 'form-stale');
    expect((await ok(ui.admin.get(`/api/data/customer/${record.id}`), 200)).grade).toBe('bronze');
    await stale.getByRole('button', { name: 'Discard my changes and load theirs' }).click();
    await eventually(() => page.getByLabel('Phone').inputValue()).toBe('555-7001');
    expect(await page.getByLabel('Grade').inputValue()).toBe('bronze');
    await page.getByLabel('Grade').selectOption('gold');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${record.id}$`));
    expect(await ok(ui.admin.get(`/api/data/customer/${record.id}`), 200)).toMatchObject({ phone: '555-7001', grade: 'gold', version: 3 });
    await page.context().close();
  });

  it('after a stale edit, "apply my changes" writes only what this user changed onto the new version', async () => {
    const record = await ok(ui.admin.post('/api/data/customer', { name: 'Mine Ma', phone: '555-7100', grade: 'bronze', visits: 1 }));
    const page = await ui.loginAs('sam', PASSWORD);
    await page.goto(`/m/customer/${record.id}/edit`);
    await eventually(() => page.getByLabel('Name').inputValue()).toBe('Mine Ma');
    await ok(ui.admin.patch(`/api/data/customer/${record.id}`, { visits: 9, notes: 'called by admin' }), 200);
    await page.getByLabel('Visits').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    const stale = page.getByTestId('stale');
    await eventually(() => stale.locator('tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')))).toEqual(['visits', 'notes']);
    expect(await stale.locator('tr[data-field="visits"]').innerText()).toMatch(/now:\s*9\s+yours:\s*2/);
    expect(await stale.locator('tr[data-field="notes"]').innerText()).toMatch(/now:\s*called by admin\s+you did not change it: theirs is kept/);
    await stale.getByRole('button', { name: 'Apply my changes to the new version' }).click();
    await page.waitForURL(new RegExp(`/m/customer/${record.id}$`));
    // Both edited visits: this user's value wins. Only the admin edited the notes: theirs stay.
    expect(await ok(ui.admin.get(`/api/data/customer/${record.id}`), 200)).toMatchObject({ visits: 2, notes: 'called by admin', version: 3 });
    await page.context().close();
  });
});
