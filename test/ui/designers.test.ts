/**
 * The designers: an admin defines a module in the module designer and
 * creates a record in it through the generated form; an admin defines a rule in the rule designer
 * and a sales user's list (V-1, V-7) changes in that user's own browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, eventually, ok, rowIds, startUi, type UiHarness } from './browser.js';
import { buildWorld, customerDef, followupDef, PASSWORD, regionDef, tagDef, type World } from './crm-world.js';
import { definitionOf, draftOf } from '../../ui/designers/module-draft.js';
import { ticketDef } from '../support/ticket-def.js';

describe('module designer: definition ⇄ draft', () => {
  it('a module opened and applied unchanged is sent back as it was stored', () => {
    const labelledOnProperty = { $id: 'note', title: 'Note', type: 'object', properties: { body: { type: 'string', title: 'Body', 'x-i18n': { zh: '内容' } }, secret: { type: 'string', maxLength: 20, format: 'password' } } };
    for (const def of [customerDef, followupDef, regionDef, tagDef, labelledOnProperty, ticketDef]) expect(definitionOf(draftOf(def))).toEqual(def);
    // And every module the project ships: the demo CRM's and the engine's own.
    const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
    for (const dir of ['modules/crm/metadata', 'core/system-modules']) {
      const files = readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.json'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const def = JSON.parse(readFileSync(path.join(root, dir, file), 'utf8'));
        expect(definitionOf(draftOf(def)), `${dir}/${file}`).toEqual(def);
      }
    }
  });

  it('titles of choices, in English and Chinese, are typed in the choices\' order and become x-enum-titles and x-i18n.zh.enums', () => {
    const draft = draftOf(ticketDef);
    const status = draft.fields.find((f) => f.name === 'status')!;
    expect([status.options, status.optionTitles, status.optionZh]).toEqual(['open, in_progress, done', 'Open, In progress, ', '待处理, 处理中, 已完成']);
    status.options = 'open, in_progress, done, cancelled';
    status.optionTitles = 'Open, In progress, Done, cancelled';
    status.optionZh = '待处理，处理中，已完成，已取消';
    const def = definitionOf(draft);
    // A title equal to its value says nothing; a full-width comma separates as well.
    expect(def.properties.status['x-enum-titles']).toEqual({ open: 'Open', in_progress: 'In progress', done: 'Done' });
    expect(def['x-i18n'].zh.enums).toEqual({ status: { open: '待处理', in_progress: '处理中', done: '已完成', cancelled: '已取消' }, channels: { phone: '电话' } });
    status.optionTitles = '';
    status.optionZh = '';
    const bare = definitionOf(draft);
    expect(bare.properties.status['x-enum-titles']).toBeUndefined();
    expect(bare['x-i18n'].zh.enums).toEqual({ channels: { phone: '电话' } });
  });

  it('an edited Chinese label stays where it was written; a removed field leaves the list settings', () => {
    const draft = draftOf(customerDef);
    draft.fields = draft.fields.filter((f) => f.name !== 'grade').map((f) => (f.name === 'phone' ? { ...f, zh: '手机' } : f));
    const def = definitionOf(draft);
    expect(def['x-i18n'].zh.properties).toMatchObject({ phone: '手机', name: '姓名' });
    expect(def['x-i18n'].zh.properties.grade).toBeUndefined();
    expect(def['x-list']).toEqual({ columns: ['name', 'phone', 'region', 'since', 'tags'], search: ['name', 'phone'], filters: ['since'], sort: 'name' });
    const note = draftOf({ $id: 'note', type: 'object', properties: { body: { type: 'string', 'x-i18n': { zh: '内容' } } } });
    note.fields[0]!.zh = '正文';
    expect(definitionOf(note).properties.body['x-i18n']).toEqual({ zh: '正文' });
    expect(definitionOf(note)['x-i18n']).toBeUndefined();
  });
});

describe('admin UI: module and rule designers', () => {
  let ui: UiHarness;
  let w: World;
  beforeAll(async () => {
    ui = await startUi();
    w = await buildWorld(ui.admin, 6);
  });
  afterAll(async () => ui?.close());

  it('an admin defines a module with two fields, applies it, and creates a record in it through its form', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.getByTestId('menu-module-designer').click();
    await page.getByTestId('modules').locator('tr[data-module="customer"]').waitFor();
    await page.getByRole('link', { name: 'New module' }).click();
    await page.waitForURL(/\/admin\/modules\/new$/);
    await page.getByLabel('Name (for the API and the table)').fill('course');
    await page.getByLabel('Title', { exact: true }).fill('Course');
    await page.getByLabel('Chinese title').fill('课程');
    const first = page.getByTestId('field-row').nth(0);
    await first.getByLabel('Field name').fill('name');
    await first.getByLabel('Label', { exact: true }).fill('Course name');
    await first.getByLabel('Chinese label').fill('课程名称');
    await first.getByLabel('Required').check();
    await first.getByLabel('Unique').check();
    await first.getByLabel('Searchable').check();
    await page.getByRole('button', { name: '+ Add a field' }).click();
    const second = page.getByTestId('field-row').nth(1);
    await second.getByLabel('Field name').fill('level');
    await second.getByLabel('Label', { exact: true }).fill('Level');
    await second.getByLabel('Type').selectOption('enum');
    await second.getByLabel('Choices (comma separated)').fill('beginner, advanced');
    await second.getByLabel('Offered as filter').check();
    await page.getByLabel('Default sort').selectOption('name');
    // The preview is the definition that will be sent.
    const preview = JSON.parse(await page.getByTestId('definition-preview').innerText());
    expect(preview).toEqual({
      $id: 'course', title: 'Course', type: 'object',
      properties: {
        name: { type: 'string', maxLength: 200, title: 'Course name', 'x-unique': true },
        level: { type: 'string', enum: ['beginner', 'advanced'], title: 'Level' },
      },
      required: ['name'],
      'x-i18n': { zh: { title: '课程', properties: { name: '课程名称' } } },
      'x-list': { columns: ['name', 'level'], search: ['name'], filters: ['level'], sort: 'name' },
    });
    await ui.screenshot(page, 'module-designer-new');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/admin\/modules\/course$/);
    await eventually(() => page.getByTestId('flash').innerText()).toContain('Module "course" created');
    // In the menu without a reload.
    const link = page.getByTestId('menu').getByRole('link', { name: 'Course', exact: true });
    await link.waitFor();
    await link.click();
    await page.getByRole('link', { name: 'New Course' }).first().click();
    await page.waitForURL(/\/m\/course\/new$/);
    await page.getByLabel('Course name').fill('Python for beginners');
    await page.getByLabel('Level').selectOption('beginner');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/m\/course\/\d+$/);
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Python for beginners');
    expect((await ok(ui.admin.get('/api/data/course'), 200)).data).toMatchObject([{ name: 'Python for beginners', level: 'beginner' }]);
    await ui.screenshot(page, 'module-designer-record');
    await page.context().close();
  });

  it('a change whose stored values do not fit is held back on its field and in the preview; an added field is applied from the preview', async () => {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto('/admin/modules/region');
    const name = page.locator('[data-testid="field-row"][data-field="name"]');
    await name.getByLabel('Type').selectOption('integer');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    // Region names are no numbers: the dry run finds every one, and nothing is applied.
    const preview = page.getByTestId('change-preview');
    await eventually(() => preview.getByTestId('change-words').allInnerTexts()).toEqual([expect.stringMatching(/^Convert “name” from text to whole number: \d+ of \d+ values do not fit$/)]);
    expect(await preview.getByRole('button', { name: 'Apply changes' }).isDisabled()).toBe(true);
    await eventually(() => name.locator('.field-error').innerText()).toBe('Some stored values do not fit: see the preview below.');
    await ui.screenshot(page, 'module-designer-refused');
    // An added field, on the module of the test above: a reference picked from the modules.
    await page.goto('/admin/modules/course');
    await page.getByRole('button', { name: '+ Add a field' }).click();
    const added = page.getByTestId('field-row').last();
    await added.getByLabel('Field name').fill('region');
    await added.getByLabel('Type').selectOption('ref');
    await added.getByLabel('Refers to module').selectOption('region');
    await added.getByLabel('List column').uncheck();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await eventually(() => page.getByTestId('change-preview').getByTestId('change-words').allInnerTexts()).toEqual(['Add field “region” — the 1 existing record starts empty', 'Add an index on “region”']);
    await page.getByTestId('change-preview').getByTestId('change-keeps').waitFor();
    await page.getByRole('button', { name: 'Apply changes' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toContain('Module "course" updated');
    const def = (await ok(ui.admin.get('/api/modules/course'), 200)).definition;
    expect(def.properties).toMatchObject({ name: { type: 'string', maxLength: 200, 'x-unique': true }, region: { type: 'integer', 'x-ref': 'region' } });
    // What was there stays: labels, list settings.
    expect(def['x-i18n']).toEqual({ zh: { title: '课程', properties: { name: '课程名称' } } });
    expect(def['x-list']).toEqual({ columns: ['name', 'level'], search: ['name'], filters: ['level'], sort: 'name' });
    await ui.screenshot(page, 'module-designer-edit');
    // A reference that must not scope: region's manager, whose department should not decide who
    // sees the customers of the region (with it, sales would lose every customer, rule 5).
    await page.goto('/admin/modules/region');
    await page.getByRole('button', { name: '+ Add a field' }).click();
    const manager = page.getByTestId('field-row').last();
    await manager.getByLabel('Field name').fill('manager');
    await manager.getByLabel('Type').selectOption('ref');
    await manager.getByLabel('Refers to module').selectOption('user');
    await manager.getByLabel('Visibility follows it').uncheck();
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.getByRole('button', { name: 'Apply changes' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toContain('Module "region" updated');
    expect((await ok(ui.admin.get('/api/modules/region'), 200)).definition.properties.manager).toEqual({ type: 'integer', 'x-ref': 'user', 'x-scope': false });
    await page.context().close();
  });

  it('an admin defines a rule in the rule designer, and a sales user sees only the gold customers', async () => {
    const golds = (await ok(ui.admin.get(`/api/data/customer?filter=${encodeURIComponent(JSON.stringify({ grade: 'gold' }))}&sort=name`), 200)).data.map((c: { id: number }) => c.id);
    expect(golds.length).toBeGreaterThan(0);
    const sam = await ui.loginAs('sam', PASSWORD);
    await sam.goto('/m/customer?sort=name');
    await eventually(() => rowIds(sam).then((ids) => ids.length)).toBe(6);
    // Sales users get no designers.
    expect(await sam.getByTestId('menu-rule-designer').count()).toBe(0);

    const admin = await ui.loginAs(ADMIN.username, ADMIN.password);
    await admin.getByTestId('menu-rule-designer').click();
    await admin.getByRole('link', { name: 'New rule' }).click();
    await admin.waitForURL(/\/admin\/rules\/new$/);
    await admin.getByLabel('Rule name').fill('Sales see gold customers');
    await admin.getByLabel('Module *').selectOption('customer');
    await admin.getByLabel('Roles').fill('sal');
    await admin.getByRole('option', { name: /sales/ }).click();
    // The list page's filter builder: x-list.filters (grade, since) are offered first.
    const filters = admin.getByTestId('filters');
    await filters.locator('[data-field="grade"] select').selectOption('gold');
    await filters.getByRole('button', { name: 'Remove filter: First contact' }).click();
    await filters.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => JSON.parse(await admin.getByTestId('rule-filter-json').inputValue())).toEqual({ grade: 'gold' });
    await admin.getByRole('button', { name: 'Save rule' }).click();
    await admin.waitForURL(/\/admin\/rules\/\d+$/);
    await eventually(() => admin.getByTestId('flash').innerText()).toContain('Rule saved');
    const [rule] = (await ok(ui.admin.get('/api/data/rule'), 200)).data;
    expect(rule).toMatchObject({ name: 'Sales see gold customers', module: 'customer', filter: { grade: 'gold' }, actions: ['read'], users: [] });

    // The preview: what Sam would see, from the server's compiled condition for Sam.
    const preview = admin.getByTestId('rule-preview');
    await preview.getByLabel('User').fill('Sam');
    await admin.getByRole('option', { name: /Sam Sales/ }).click();
    await preview.getByRole('button', { name: 'Preview' }).click();
    await eventually(() => admin.getByTestId('preview-matches').innerText()).toBe(`This rule's filter matches ${golds.length} of 6 records.`);
    await eventually(() => admin.getByTestId('preview-user-sees').innerText()).toBe(`sam would see ${golds.length} of 6 records (with the rules as saved).`);
    await ui.screenshot(admin, 'rule-designer');

    // Sam's own list, in Sam's browser, follows on the next request.
    await sam.reload();
    await eventually(() => rowIds(sam)).toEqual(golds);
    await ui.screenshot(sam, 'rule-designer-sales-list');

    // Why Sam sees a record, and why not another, on the detail page.
    const other = (await ok(ui.admin.get(`/api/data/customer?filter=${encodeURIComponent(JSON.stringify({ grade: { ne: 'gold' } }))}`), 200)).data[0].id;
    for (const [id, expected] of [[golds[0], 'sam sees this record.'], [other, 'sam does not see this record.']] as const) {
      await admin.goto(`/m/customer/${id}`);
      const explain = admin.getByTestId('record-explain');
      await explain.locator('summary').click();
      await explain.getByLabel('User').fill('Sam');
      await admin.getByRole('option', { name: /Sam Sales/ }).click();
      await explain.getByRole('button', { name: 'Explain' }).click();
      await eventually(() => explain.getByTestId('explain-answer').locator('strong').innerText()).toBe(expected);
      expect(await explain.getByTestId('explain-answer').innerText()).toContain('Sales see gold customers');
    }
    await ui.screenshot(admin, 'record-explain');

    // Opening the saved rule shows its filter in the builder again.
    await admin.goto(`/admin/rules/${rule.id}`);
    await eventually(() => admin.getByTestId('filters').locator('[data-field="grade"] select').inputValue()).toBe('gold');
    // In Chinese too.
    await admin.getByTestId('lang').selectOption('zh');
    await eventually(() => admin.getByRole('heading', { level: 1 }).innerText()).toBe('规则：Sales see gold customers');
    expect(await admin.getByTestId('menu').locator('#menu-designers').innerText()).toBe('设计器');
    await ui.screenshot(admin, 'rule-designer-zh');
    await admin.goto('/admin/modules/course');
    await eventually(() => admin.getByRole('heading', { level: 1 }).innerText()).toBe('模块：course');
    await ui.screenshot(admin, 'module-designer-zh');
    await sam.context().close();
    await admin.context().close();
  });
});
