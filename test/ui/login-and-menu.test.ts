/**
 * Login, the menu built from the user's permissions (P-3), breadcrumbs and the language switch.
 */
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { eventually, ADMIN, headers, startUi, type UiHarness } from './browser.js';
import { buildWorld, PASSWORD } from './crm-world.js';

describe('admin UI: login, menu and language', () => {
  let ui: UiHarness;
  beforeAll(async () => {
    ui = await startUi();
    await buildWorld(ui.admin);
  });
  afterAll(async () => ui?.close());

  it('a wrong password is refused on the login page; the right one opens the app with a menu of every module', async () => {
    const context = await ui.browser.newContext({ baseURL: ui.baseUrl, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto('/m/customer');
    // A deep link without a session leads to the login, and back to the link after it.
    await page.waitForURL(/\/login\?next=%2Fm%2Fcustomer/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await eventually(() => page.getByRole('alert').innerText()).toBe('Wrong username or password');
    await ui.screenshot(page, 'login-failed');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/m\/customer$/);
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Customer');
    const menu = page.getByTestId('menu');
    expect(await menu.locator('a').allInnerTexts()).toEqual(['Customer', 'Follow-up', 'Region', 'Tag', 'Department', 'Permission', 'Role', 'User', 'Visibility rule', 'Module designer', 'Rule designer']);
    expect(await menu.getByRole('link', { name: 'Customer' }).getAttribute('aria-current')).toBe('page');
    await context.close();
  });

  it('P-3: a user sees in the menu only the modules they may read, and is told when a deep link is not theirs', async () => {
    const page = await ui.loginAs('viewer', PASSWORD);
    expect(await page.getByTestId('menu').locator('a').allInnerTexts()).toEqual(['Region']);
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Welcome, Vic Viewer');
    await ui.screenshot(page, 'home-restricted');
    await page.goto('/m/customer');
    await eventually(() => page.getByRole('alert').innerText()).toContain('There is no module "customer", or you may not read it.');
    const sam = await ui.loginAs('sam', PASSWORD);
    expect(await sam.getByTestId('menu').locator('a').allInnerTexts()).toEqual(['Customer', 'Follow-up', 'Region', 'Tag', 'User']);
    await sam.context().close();
    await page.context().close();
  });

  it('a session that ends while the app is open leads to the login, and back to the page after it', async () => {
    const page = await ui.loginAs('sam', PASSWORD);
    await page.goto('/m/region');
    await page.getByTestId('records').waitFor();
    // The session ends elsewhere (a logout in another tab, an expiry).
    expect((await page.request.post('/api/auth/logout')).status()).toBe(204);
    await page.getByTestId('menu').getByRole('link', { name: 'Customer' }).click();
    await page.waitForURL(/\/login\?next=%2Fm%2Fcustomer$/);
    await page.getByLabel('Username').fill('sam');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/m\/customer$/);
    await page.getByTestId('empty').waitFor();
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Customer');
    await page.context().close();
  });

  it('breadcrumbs lead back from a record to its list and home', async () => {
    const id = (await ui.admin.post('/api/data/customer', { name: 'Ada Crumb', phone: '555-0001' })).body.id;
    const page = await ui.loginAs('admin', ADMIN.password);
    await page.goto(`/m/customer/${id}`);
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    await eventually(() => crumbs.locator('li').allInnerTexts()).toEqual(['Home', 'Customer', 'Ada Crumb']);
    await crumbs.getByRole('link', { name: 'Customer' }).click();
    await page.waitForURL(/\/m\/customer$/);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Home' }).click();
    await page.waitForURL(`${ui.baseUrl}/`);
    await page.context().close();
  });

  it('the language switch shows x-i18n labels in Chinese, and the browser remembers it', async () => {
    const page = await ui.loginAs('sam', PASSWORD);
    await page.getByTestId('lang').selectOption('zh');
    const menu = page.getByTestId('menu');
    // Tag has no Chinese title: it keeps its own.
    await eventually(() => menu.locator('a').allInnerTexts()).toEqual(['跟进', '客户', '区域', 'Tag', '用户']);
    await menu.getByRole('link', { name: '客户' }).click();
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('客户');
    // Field titles from the module's x-i18n; a field without a translation keeps its title.
    await eventually(() => headers(page)).toEqual(['姓名', '电话', '等级', '区域', '首次咨询', 'Tags']);
    await page.reload();
    await page.getByRole('link', { name: '新建客户' }).waitFor();
    await ui.screenshot(page, 'list-chinese');
    await page.getByTestId('lang').selectOption('en');
    await eventually(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Customer');
    await page.context().close();
  });
});
