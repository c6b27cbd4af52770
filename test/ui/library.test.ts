/**
 * The lending library of docs/PLUGINS.md in a browser: the overdue page in the menu of those who
 * may read loans, and listing only the loans the rule lets them see; "Mark returned" on an open
 * loan for a librarian, done from the loan's page; the ISBN widget in the book form; and all of
 * it gone once an admin disables the plugin.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN, eventually, ok, startUi, type UiHarness } from './browser.js';
import library from '../../examples/library/plugin.js';
import { PASSWORD, user } from '../plugins/helpers.js';
import { filterParam } from '../support/app.js';

let ui: UiHarness;
let loans: { annOverdue: number; annFuture: number; bobOverdue: number };
let book: number;

const today = () => new Date().toISOString().slice(0, 10);
const overdueLink = (page: Page) => page.getByTestId('menu').getByRole('link', { name: 'Overdue loans' });

beforeAll(async () => {
  ui = await startUi({ plugins: [library] });
  const roleId = async (name: string): Promise<number> => (await ok(ui.admin.get(`/api/data/role?${filterParam({ name })}`), 200)).data[0].id;
  const desk = (await ok(ui.admin.post('/api/data/department', { code: '0090', name: 'Library desk', seeAll: true }))).id;
  await user(ui.app, ui.admin, 'lena', [await roleId('librarian')], { department: desk });
  const ann = await user(ui.app, ui.admin, 'ann', [await roleId('library member')]);
  const bob = await user(ui.app, ui.admin, 'bob', [await roleId('library member')]);
  await user(ui.app, ui.admin, 'outsider', []);
  book = (await ok(ui.admin.post('/api/data/book', { title: 'Dune', author: 'Frank Herbert', isbn: '9780441013593' }))).id;
  const loan = (borrower: number, dueOn: string) => ok(ui.admin.post('/api/data/loan', { book, borrower, borrowedOn: '2025-01-02', dueOn })).then((l) => l.id as number);
  loans = { annOverdue: await loan(ann.id, '2025-01-30'), annFuture: await loan(ann.id, '2999-12-31'), bobOverdue: await loan(bob.id, '2025-02-15') };
}, 120_000);
afterAll(async () => ui?.close());

/** The ids of the loans the overdue page lists. */
async function overdueIds(page: Page): Promise<number[]> {
  await page.getByTestId('overdue').waitFor();
  return page.getByTestId('overdue').locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));
}

it('the overdue page is in the menu of those who may read loans, and lists only the loans each may see', async () => {
  const ann = await ui.loginAs('ann', PASSWORD);
  await overdueLink(ann).click();
  expect(await overdueIds(ann)).toEqual([loans.annOverdue]);
  expect(await ann.getByRole('heading', { name: 'Overdue loans' }).count()).toBe(1);
  // Her own loans only, so no borrower column: she may not read users, and the page does not ask.
  expect(await ann.getByTestId('overdue').locator('th').allInnerTexts()).toEqual(['Book', 'Due on']);
  await ui.screenshot(ann, 'library-overdue-member');

  const lena = await ui.loginAs('lena', PASSWORD);
  await overdueLink(lena).click();
  expect(await overdueIds(lena)).toEqual([loans.annOverdue, loans.bobOverdue]);
  expect(await lena.getByTestId('overdue').locator('td').allInnerTexts()).toEqual(['Dune', 'ann', '2025-01-30', 'Dune', 'bob', '2025-02-15']);
  await ui.screenshot(lena, 'library-overdue-librarian');

  const outsider = await ui.loginAs('outsider', PASSWORD);
  await outsider.getByTestId('menu').waitFor();
  expect(await overdueLink(outsider).count()).toBe(0);
});

it('a librarian marks an open loan returned from its page; the loan shows the return and the action is gone', async () => {
  // The borrower may read the loan but not update it: nothing is offered.
  const ann = await ui.loginAs('ann', PASSWORD);
  await ann.goto(`/m/loan/${loans.annOverdue}`);
  await ann.locator('[data-field="dueOn"]').waitFor();
  await eventually(() => ann.getByRole('link', { name: 'Edit' }).count()).toBe(0);
  expect(await ann.getByTestId('mark-returned').count()).toBe(0);

  const lena = await ui.loginAs('lena', PASSWORD);
  await lena.goto(`/m/loan/${loans.annOverdue}`);
  const button = lena.getByTestId('mark-returned');
  await button.waitFor();
  expect(await button.textContent()).toBe('Mark returned');
  await ui.screenshot(lena, 'library-loan-open');
  await button.click();
  await eventually(async () => (await ok(ui.admin.get(`/api/data/loan/${loans.annOverdue}`), 200)).returnedOn).toBe(today());
  await eventually(() => lena.getByTestId('mark-returned').count()).toBe(0);
  await eventually(async () => (await lena.locator('[data-field="returnedOn"] dd').textContent())?.trim()).not.toMatch(/^(—)?$/);
  await ui.screenshot(lena, 'library-loan-returned');
  // And it has left the overdue page.
  await overdueLink(lena).click();
  expect(await overdueIds(lena)).toEqual([loans.bobOverdue]);
});

it('the book form edits the ISBN with the plugin\'s widget: printed form in, compact form stored, the check digit checked as typed', async () => {
  const lena = await ui.loginAs('lena', PASSWORD);
  await lena.goto('/m/book/new');
  const input = lena.getByTestId('isbn-input');
  await input.waitFor();
  await lena.getByLabel('Title').fill('Emma');
  await input.fill('0-441-01359-8');
  await eventually(() => lena.getByTestId('isbn-check').textContent()).toBe('Not an ISBN yet: 10 or 13 digits with a valid check digit');
  await input.fill('0-441-01359-7');
  await eventually(() => lena.getByTestId('isbn-check').textContent()).toBe('Check digit OK');
  await ui.screenshot(lena, 'library-isbn-widget');
  await lena.getByRole('button', { name: 'Create' }).click();
  await eventually(async () => (await ok(ui.admin.get(`/api/data/book?${filterParam({ title: 'Emma' })}`), 200)).data.map((b: { isbn: string }) => b.isbn)).toEqual(['0441013597']);
});

it('disabled, the library leaves nothing in the UI: no menu entry, no action, no widget', async () => {
  await ok(ui.admin.post('/api/plugins/library/disable', {}), 200);
  try {
    const page = await ui.loginAs(ADMIN.username, ADMIN.password);
    await page.goto(`/m/loan/${loans.bobOverdue}`);
    await eventually(() => page.getByRole('link', { name: 'Edit' }).count()).toBe(1);
    expect(await overdueLink(page).count()).toBe(0);
    expect(await page.getByTestId('mark-returned').count()).toBe(0);
    await page.goto(`/m/book/${book}/edit`);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    expect(await page.getByTestId('isbn-input').count()).toBe(0);
    expect((await page.goto('/library/overdue'))?.status()).toBe(404);
  } finally {
    await ok(ui.admin.post('/api/plugins/library/enable', {}), 200);
  }
  const page = await ui.loginAs(ADMIN.username, ADMIN.password);
  await page.goto(`/m/loan/${loans.bobOverdue}`);
  await eventually(() => page.getByTestId('mark-returned').count()).toBe(1);
});
