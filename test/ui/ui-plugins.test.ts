/**
 * A plugin's client part in the browser: its page in the menu and its public page without login,
 * its record actions offered per record as the server says, its panel on the record page, its
 * widget in the form; the plugin's script loaded only once one of its pieces shows; and all of it
 * gone once an admin disables the plugin.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN, eventually, ok, startUi, type UiHarness } from './browser.js';
import shelf from '../plugins/shelf/plugin.js';
import { PASSWORD, role, user } from '../plugins/helpers.js';

let ui: UiHarness;
let books: { free: number; lent: number };

beforeAll(async () => {
  ui = await startUi({ plugins: [shelf] });
  const readers = await role(ui.admin, 'shelf_reader', { shelf_book: ['read'] });
  await user(ui.app, ui.admin, 'reader', [readers]);
  await user(ui.app, ui.admin, 'outsider', []);
  books = {
    free: (await ok(ui.admin.post('/api/data/shelf_book', { title: 'Dune', isbn: '9780441013593' }))).id,
    lent: (await ok(ui.admin.post('/api/data/shelf_book', { title: 'Emma', lent: true }))).id,
  };
}, 120_000);
afterAll(async () => ui?.close());

/** The plugin scripts the page has fetched so far. */
function pluginScripts(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/ui/plugins/')) seen.push(r.url());
  });
  return seen;
}

it('the plugin page is in the menu of those who may read what it shows, and its script loads only when it is opened', async () => {
  const page = await ui.loginAs(ADMIN.username, ADMIN.password);
  const scripts = pluginScripts(page);
  const entry = page.getByTestId('menu').getByRole('link', { name: 'Shelf' });
  await entry.waitFor();
  expect(scripts).toEqual([]);
  await entry.click();
  await expect.poll(() => page.getByTestId('shelf-page').textContent()).toBe('Shelf of admin');
  expect(scripts).toHaveLength(1);
  await ui.screenshot(page, 'plugin-page');

  const outsider = await ui.loginAs('outsider', PASSWORD);
  await outsider.getByTestId('menu').waitFor();
  expect(await outsider.getByTestId('menu').getByRole('link', { name: 'Shelf' }).count()).toBe(0);
  await outsider.goto('/shelf');
  await eventually(() => outsider.getByText('No page at /shelf').count()).toBe(1);
});

it('a record page offers the actions the server allows on that record, and shows the plugin\'s panel', async () => {
  const admin = await ui.loginAs(ADMIN.username, ADMIN.password);
  await admin.goto(`/m/shelf_book/${books.free}`);
  await eventually(() => admin.getByTestId('lend').textContent()).toBe('Lend Dune');
  await eventually(() => admin.getByTestId('book-panel').textContent()).toBe('Panel of Dune');
  expect(await admin.getByTestId('note').count()).toBe(1);
  await ui.screenshot(admin, 'plugin-record-actions');
  // A lent book: the plugin says no to lending it again.
  await admin.goto(`/m/shelf_book/${books.lent}`);
  await eventually(() => admin.getByTestId('note').count()).toBe(1);
  expect(await admin.getByTestId('lend').count()).toBe(0);

  // A reader may lend (the plugin says so) but neither edit, delete nor take a note (those follow update).
  const reader = await ui.loginAs('reader', PASSWORD);
  await reader.goto(`/m/shelf_book/${books.free}`);
  await eventually(() => reader.getByTestId('lend').count()).toBe(1);
  expect(await reader.getByTestId('note').count()).toBe(0);
  expect(await reader.getByRole('link', { name: 'Edit' }).count()).toBe(0);
  expect(await reader.getByRole('button', { name: 'Delete' }).count()).toBe(0);
});

it('a field of the plugin\'s type is edited with its widget', async () => {
  const page = await ui.loginAs(ADMIN.username, ADMIN.password);
  await page.goto(`/m/shelf_book/${books.free}/edit`);
  const widget = page.getByTestId('isbn-widget');
  await widget.waitFor();
  await widget.fill('978-0-441-01359-3');
  await page.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => (await ok(ui.admin.get(`/api/data/shelf_book/${books.free}`), 200)).isbn).toBe('9780441013593');
});

it('a public page opens without login', async () => {
  const context = await ui.browser.newContext({ baseURL: ui.baseUrl });
  const page = await context.newPage();
  await page.goto('/shelf/open/abc');
  await eventually(() => page.getByTestId('open-page').textContent()).toBe('Open shelf abc');
  expect(new URL(page.url()).pathname).toBe('/shelf/open/abc');
  await context.close();
});

it('disabled, the plugin leaves nothing: no menu entry, no action, no panel, no widget', async () => {
  await ok(ui.admin.post('/api/plugins/shelf/disable', {}), 200);
  try {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    const scripts = pluginScripts(page);
    await page.goto(`/m/shelf_book/${books.free}`);
    await eventually(() => page.getByRole('link', { name: 'Edit' }).count()).toBe(1);
    expect(await page.getByTestId('menu').getByRole('link', { name: 'Shelf' }).count()).toBe(0);
    expect(await page.getByTestId('lend').count()).toBe(0);
    expect(await page.getByTestId('book-panel').count()).toBe(0);
    await page.goto(`/m/shelf_book/${books.free}/edit`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    expect(await page.getByTestId('isbn-widget').count()).toBe(0);
    expect(scripts).toEqual([]);
  } finally {
    await ok(ui.admin.post('/api/plugins/shelf/enable', {}), 200);
  }
});
