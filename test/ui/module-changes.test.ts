/**
 * Changing a module that holds records, from the module designer: fields renamed and converted,
 * the dry run's preview (its steps in words, the values that do not fit with links to their
 * records, what to do with them), applying it, in English and in Chinese; a module renamed; a
 * field removed and restored from the trash; a module deleted and purged; and the designer at
 * a phone's width.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN, eventually, ok, startUi, type UiHarness } from './browser.js';
import { customerDef } from './crm-world.js';
import { definitionOf, draftOf, moved, withField, type ModuleDraft } from '../../ui/designers/module-draft.js';
import { migrationOf, removedChoices, requestOf } from '../../ui/designers/module-migration.js';

const field = (d: ModuleDraft, name: string) => d.fields.find((f) => f.name === name)!;

describe('module designer: a draft becomes a change request', () => {
  it('a renamed field is sent as a rename, and the definition names it by its new name everywhere', () => {
    let d = draftOf(customerDef);
    d = withField(d, field(d, 'name').key, { name: 'fullName' });
    expect(d.sort).toBe('fullName');
    d = withField(d, field(d, 'phone').key, { name: 'mobile' });
    const body = requestOf(d);
    expect(body['x-migration']).toEqual({ renames: { name: 'fullName', phone: 'mobile' } });
    expect(Object.keys(body.properties)).toEqual(['fullName', 'mobile', 'email', 'grade', 'visits', 'since', 'region', 'notes', 'tags', 'owner', 'followups']);
    expect(body.properties.mobile).toEqual(customerDef.properties.phone);
    expect(body.required).toEqual(['fullName', 'mobile']);
    expect(body['x-list']).toEqual({ columns: ['fullName', 'mobile', 'grade', 'region', 'since', 'tags'], search: ['fullName', 'mobile'], filters: ['grade', 'since'], sort: 'fullName' });
    expect(body['x-i18n'].zh.properties).toMatchObject({ fullName: '姓名', mobile: '电话' });
    expect(body['x-i18n'].zh.properties.phone).toBeUndefined();
    // The stored $id stays; a new module name travels in x-migration.
    d = { ...d, name: 'client' };
    expect(requestOf(d).$id).toBe('customer');
    expect(migrationOf(d)).toMatchObject({ moduleRename: 'client' });
    // An unchanged draft says nothing more than its definition.
    expect(requestOf(draftOf(customerDef))).toEqual(customerDef);
  });

  it('a choice replaced in place maps its stored values; answers other than refuse are sent per field', () => {
    let d = draftOf(customerDef);
    const grade = field(d, 'grade');
    d = withField(d, grade.key, { options: 'gold, silver, copper' });
    expect(removedChoices(field(d, 'grade'))).toEqual([{ value: 'bronze', to: 'copper' }]);
    expect(migrationOf(d, { grade: 'null', visits: 'refuse' })).toEqual({ valueMap: { grade: { bronze: 'copper' } }, onMisfit: { grade: 'null' } });
    // "No choice" overrides the suggestion: those values are then the misfits of the plan.
    d = withField(d, grade.key, { valueMap: { bronze: '' } });
    expect(migrationOf(d)).toBeUndefined();
  });

  it('type, default, limits, format and help text are written per field, and reordering orders the properties', () => {
    let d = draftOf(customerDef);
    d = withField(d, field(d, 'notes').key, { type: 'integer', default: '3', minimum: '0', maximum: '10', description: 'Marks out of ten' });
    d = withField(d, field(d, 'email').key, { format: '', maxLength: '120', minLength: '5', pattern: '^.+@.+$' });
    d = moved(d, field(d, 'notes').key, -1);
    const def = definitionOf(d);
    expect(def.properties.notes).toEqual({ type: 'integer', title: 'Notes', description: 'Marks out of ten', default: 3, minimum: 0, maximum: 10 });
    expect(def.properties.email).toEqual({ type: 'string', maxLength: 120, minLength: 5, pattern: '^.+@.+$', title: 'E-mail' });
    expect(Object.keys(def.properties).slice(5, 8)).toEqual(['since', 'notes', 'region']);
    // Text that is no number is sent as typed, for the server to say so on the field.
    d = withField(d, field(d, 'visits').key, { maximum: 'lots' });
    expect(definitionOf(d).properties.visits.maximum).toBe('lots');
    // A text field's search index stays with it; a number does not take it along.
    const indexed = draftOf({ $id: 'note', type: 'object', properties: { body: { type: 'string', 'x-search-index': 'trigram' } } });
    expect(definitionOf(withField(indexed, indexed.fields[0]!.key, { type: 'string' })).properties.body).toEqual({ type: 'string', maxLength: 200, 'x-search-index': 'trigram' });
    expect(definitionOf(withField(indexed, indexed.fields[0]!.key, { type: 'integer' })).properties.body).toEqual({ type: 'integer' });
  });
});

const contactDef = {
  $id: 'contact', title: 'Contact', type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100, title: 'Name' },
    phone: { type: 'string', maxLength: 30, title: 'Phone' },
    rating: { type: 'string', maxLength: 10, title: 'Rating' },
    level: { type: 'string', enum: ['low', 'mid', 'high'], title: 'Level' },
  },
  required: ['name'],
  'x-list': { columns: ['name', 'phone', 'rating', 'level'], search: ['name', 'phone'], sort: 'name' },
};
const PEOPLE = [
  { name: 'Ada', phone: '555-0101', rating: '5', level: 'high' },
  { name: 'Ben', phone: '555-0102', rating: '3', level: 'mid' },
  { name: 'Cy', phone: '555-0103', rating: 'five', level: 'mid' },
  { name: 'Di', phone: '555-0104', rating: '4', level: 'low' },
  { name: 'Ed', phone: '555-0105', rating: '2', level: 'high' },
];

describe('admin UI: changing a module that holds records', () => {
  let ui: UiHarness;
  let ids: number[];
  beforeAll(async () => {
    ui = await startUi();
    await ok(ui.admin.post('/api/modules', contactDef));
    ids = [];
    for (const p of PEOPLE) ids.push((await ok(ui.admin.post('/api/data/contact', p))).id);
  });
  afterAll(async () => ui?.close());

  const rowOf = (page: Page, name: string) => page.locator(`[data-testid="field-row"][data-field="${name}"]`);
  const records = async (module: string) => (await ok(ui.admin.get(`/api/data/${module}?sort=id`), 200)).data as Record<string, unknown>[];

  it('a field renamed and another converted: the preview shows each step, the value that does not fit and its record; left empty, it applies', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/admin/modules/contact');
    await rowOf(page, 'phone').getByLabel('Field name').fill('mobile');
    await eventually(() => rowOf(page, 'mobile').getByTestId('renamed-from').innerText()).toBe('Renamed from “phone”; its values move with it.');
    await rowOf(page, 'rating').getByLabel('Type').selectOption('integer');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const preview = page.getByTestId('change-preview');
    await eventually(() => preview.getByTestId('change-words').allInnerTexts()).toEqual([
      'Rename field “phone” to “mobile” — keeps all 5 values',
      'Convert “rating” from text to whole number: 1 of 5 values do not fit',
    ]);
    const convert = preview.locator('[data-testid="change-step"][data-kind="convert"]');
    expect(await convert.getByTestId('misfit-examples').innerText()).toContain('#' + ids[2]);
    expect(await convert.getByTestId('misfit-link').getAttribute('href')).toBe(`/m/contact/${ids[2]}`);
    expect(await convert.getByTestId('misfit-reason').innerText()).toBe('— not a number');
    // The same reason in Chinese, worded from its code.
    await page.getByTestId('lang').selectOption('zh');
    await eventually(() => convert.getByTestId('misfit-reason').innerText()).toBe('— 不是数字');
    await page.getByTestId('lang').selectOption('en');
    await eventually(() => convert.getByTestId('misfit-reason').innerText()).toBe('— not a number');
    // Refused as long as nobody says what the value becomes.
    const apply = preview.getByRole('button', { name: 'Apply changes' });
    expect(await apply.isDisabled()).toBe(true);
    await preview.getByTestId('change-refused').waitFor();
    await ui.screenshot(page, 'module-changes-preview-refused');
    await convert.getByLabel('What to do with values that do not fit').selectOption('null');
    await eventually(() => apply.isDisabled()).toBe(false);
    await preview.getByTestId('change-loses').waitFor();
    expect(await convert.locator('.badge-danger').innerText()).toBe('loses data');
    await ui.screenshot(page, 'module-changes-preview');
    await apply.click();
    await eventually(() => page.getByTestId('flash').innerText()).toBe('Module "contact" updated.');
    expect(await page.getByTestId('change-preview').count()).toBe(0);
    // The designer shows the module as stored now.
    await rowOf(page, 'mobile').waitFor();
    expect(await rowOf(page, 'rating').getByLabel('Type').inputValue()).toBe('integer');

    expect((await records('contact')).map((r) => [r.name, r.mobile, r.rating, r.phone])).toEqual(
      PEOPLE.map((p) => [p.name, p.phone, p.rating === 'five' ? null : Number(p.rating), undefined]));
    const stored = (await ok(ui.admin.get('/api/modules/contact'), 200)).definition;
    expect(Object.keys(stored.properties)).toEqual(['name', 'mobile', 'rating', 'level']);
    expect(stored.properties.rating).toMatchObject({ type: 'integer' });
    expect(stored['x-list'].columns).toEqual(['name', 'mobile', 'rating', 'level']);
    await page.context().close();
  });

  it('in Chinese: the module renamed and a choice replaced in place, previewed in Chinese; the designer moves to the new name', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/admin/modules/contact');
    await page.getByTestId('lang').selectOption('zh');
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('模块：contact');
    await page.getByLabel('名称（用于 API 和数据表）').fill('client');
    const level = rowOf(page, 'level');
    await level.getByLabel('选项（逗号分隔）').fill('low, medium, high');
    // The choice typed in the removed one's place is offered as what its records become.
    expect(await level.getByLabel('原为“mid”的记录改为').inputValue()).toBe('medium');
    await page.getByRole('button', { name: '应用', exact: true }).click();
    const preview = page.getByTestId('change-preview');
    await eventually(() => preview.getByTestId('change-words').allInnerTexts()).toEqual(expect.arrayContaining([
      '将模块“contact”改名为“client”——保留全部 5 条记录',
      '将“level”的已存值从选项 (low, mid, high)改为选项 (low, medium, high)——保留全部 5 个值',
    ]));
    expect(await preview.getByRole('heading').innerText()).toBe('“应用”将进行的修改');
    await ui.screenshot(page, 'module-changes-preview-zh');
    await preview.getByRole('button', { name: '应用修改' }).click();
    await page.waitForURL(/\/admin\/modules\/client$/);
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('模块：client');
    await eventually(() => page.getByTestId('flash').innerText()).toBe('模块“client”已更新。');
    // The menu follows without a reload.
    await page.getByTestId('menu').locator('a[data-module="client"]').waitFor();
    expect(await page.getByTestId('menu').locator('a[data-module="contact"]').count()).toBe(0);
    expect((await records('client')).map((r) => r.level)).toEqual(PEOPLE.map((p) => (p.level === 'mid' ? 'medium' : p.level)));
    await page.context().close();
  });

  it('a removed field goes to the trash with its values, and comes back from the trash page', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/admin/modules/client');
    await rowOf(page, 'mobile').getByRole('button', { name: 'Remove field' }).click();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const preview = page.getByTestId('change-preview');
    const drop = preview.locator('[data-testid="change-step"][data-kind="drop-field"]');
    await eventually(() => drop.getByTestId('change-words').innerText()).toBe('Remove field “mobile” — its 5 values go to the trash');
    expect(await drop.locator('.badge-danger').innerText()).toBe('loses data');
    await preview.getByTestId('change-loses').waitFor();
    await preview.getByRole('button', { name: 'Apply changes' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toBe('Module "client" updated.');
    expect((await records('client')).every((r) => !('mobile' in r))).toBe(true);

    await page.goto('/admin/modules');
    await page.getByTestId('trash-link').click();
    await page.waitForURL(/\/admin\/modules\/trash$/);
    const entry = page.getByTestId('trash').locator('tr[data-kind="field"][data-module="client"][data-field="mobile"]');
    await eventually(() => entry.locator('td').first().innerText()).toBe('Field “mobile” of “client”');
    expect(await entry.locator('td').nth(1).innerText()).toBe('5');
    await ui.screenshot(page, 'module-trash');
    await entry.getByRole('button', { name: 'Restore' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toBe('Field “mobile” of “client” restored.');
    await eventually(() => entry.count()).toBe(0);
    expect((await records('client')).map((r) => r.mobile)).toEqual(PEOPLE.map((p) => p.phone));
    await page.context().close();
  });

  it('a module deleted goes to the trash with its records, and is purged from there after a confirmation', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/admin/modules/client');
    await page.getByRole('button', { name: 'Delete module…' }).click();
    const preview = page.getByTestId('delete-preview');
    await eventually(() => preview.getByTestId('change-words').allInnerTexts()).toEqual(expect.arrayContaining(['Remove the module “client” — its 5 records go to the trash']));
    await ui.screenshot(page, 'module-delete-preview');
    await preview.getByRole('button', { name: 'Delete the module' }).click();
    await page.waitForURL(/\/admin\/modules$/);
    await eventually(() => page.getByTestId('flash').innerText()).toBe('Module “client” moved to the trash.');
    expect(await page.getByTestId('modules').locator('tr[data-module="client"]').count()).toBe(0);
    await eventually(() => page.getByTestId('menu').locator('a[data-module="client"]').count()).toBe(0);
    expect((await ui.admin.get('/api/data/client')).status).toBe(404);

    await page.getByTestId('trash-link').click();
    const entry = page.getByTestId('trash').locator('tr[data-kind="module"][data-module="client"]');
    await eventually(() => entry.locator('td').first().innerText()).toBe('Module “client”');
    await entry.getByRole('button', { name: 'Purge' }).click();
    await eventually(() => entry.locator('.confirm').innerText()).toContain('Purge for good? It cannot be restored afterwards.');
    await entry.getByRole('button', { name: 'Purge' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toBe('Purged for good.');
    await eventually(() => entry.count()).toBe(0);
    const trash = (await ok(ui.admin.get('/api/modules/trash'), 200)).data as { module: string; kind: string }[];
    expect(trash.some((e) => e.module === 'client' && e.kind === 'module')).toBe(false);
    await page.context().close();
  });

  it('at a phone\'s width the designer, its preview and the trash page fit without sideways scrolling', async () => {
    await ok(ui.admin.post('/api/modules', { ...contactDef, $id: 'gadget', title: 'Gadget' }));
    for (const p of PEOPLE) await ok(ui.admin.post('/api/data/gadget', p));
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.setViewportSize({ width: 390, height: 844 });
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await page.goto('/admin/modules/gadget');
    await rowOf(page, 'rating').getByLabel('Type').selectOption('integer');
    await rowOf(page, 'phone').getByText('Default, limits and help text').click();
    await rowOf(page, 'phone').getByLabel('Help text').fill('With the country code');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByTestId('change-preview').getByTestId('misfit-examples').waitFor();
    expect(await fits()).toBe(true);
    await ui.screenshot(page, 'module-changes-390');
    await page.goto('/admin/modules/trash');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await fits()).toBe(true);
    await page.context().close();
  });
});
