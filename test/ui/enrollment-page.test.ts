/**
 * E-2 / S-7 in the browser: a customer without an account opens the enrollment link sales B sent,
 * reads the class and the contract (in Chinese too), uploads an ID document, agrees and submits;
 * B then sees the submitted form through the API. Wrong input is named on its field, before the
 * form is sent (missing fields, a file that is not an image or PDF) and after (the server's own
 * refusal), and a used or unknown link says so instead of showing the form.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../crm/demo-app.js';
import type { Client } from '../support/app.js';
import { eventually, ok, type UiHarness } from './browser.js';
import { PNG, S5, startEnrollmentUi, type EnrollmentUi } from './crm-enrollment-ui.js';

describe('public enrollment page', () => {
  let ui: UiHarness;
  let demo: Demo;
  let sales: Client;
  let shared: EnrollmentUi;

  beforeAll(async () => {
    shared = await startEnrollmentUi('stratum-ui-enroll');
    ({ ui, demo, sales } = shared);
  }, 120_000);
  afterAll(async () => ui?.close());

  /** A new lead of sales B's, enrolled in Python S5, and the link B sends them. */
  async function linkFor(name: string, phone: string): Promise<{ enrollment: number; page: string }> {
    const customer = (await ok(sales.post('/api/data/customer', { name, phone, source: 'qq_group', consultant: demo.users.sales_b }))).id;
    const enrollment = (await ok(sales.post('/api/data/enrollment', { customer, class: demo.catalogue.classes[S5]!.id }))).id;
    const link = await ok(sales.post(`/api/plugins/crm/enrollments/${enrollment}/link`));
    return { enrollment, page: new URL(link.page).pathname };
  }

  const anonymous = (): Promise<Page> => shared.anonymous();
  const file = (name: string, bytes: Buffer) => shared.file(name, bytes);

  it('E-2 a customer without an account opens the link, uploads an ID document, agrees and submits; sales B sees the form (S-7)', async () => {
    const { enrollment, page: link } = await linkFor('王小红', '13800001111');
    const page = await anonymous();
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
    await page.goto(link);
    // No login redirect: the public page with the class and the contract.
    await page.getByRole('heading', { name: `Enroll in ${S5}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(link);
    await expect.poll(() => page.getByTestId('enroll-class').innerText()).toContain('Python Full Stack');
    expect(await page.getByTestId('contract').innerText()).toContain('six months');

    // The customer reads Chinese: the page follows at once.
    await page.getByTestId('lang').selectOption('zh');
    await page.getByRole('heading', { name: `报名：${S5}` }).waitFor();
    await page.getByLabel('我已阅读并同意以上合同。').waitFor();
    await ui.screenshot(page, 'enrollment-page-zh');
    await page.getByTestId('lang').selectOption('en');

    // Sent empty: every missing field is named, and nothing leaves the browser.
    await page.getByRole('button', { name: 'Send my enrollment' }).click();
    const form = page.getByTestId('enroll-form');
    await form.getByText('Tick this box to agree to the contract').waitFor();
    expect(await form.getByText('This field is required.').count()).toBe(4);
    expect(await form.getByText('Choose a file.').count()).toBe(1);
    // A script renamed to .png is refused by its content, before sending.
    await page.getByLabel('ID document (photo or scan)').setInputFiles(file('id.png', Buffer.from('#!/bin/sh\necho hi\n')));
    await page.getByRole('button', { name: 'Send my enrollment' }).click();
    await form.getByText('This file is not a JPG, PNG, PDF file').waitFor();
    expect(posts).toEqual([]);

    await page.getByLabel('Full name (as on your ID)').fill('王小红');
    await page.getByLabel('Phone').fill('+86 138 0000 1111');
    await page.getByLabel('E-mail').fill('wang.xh-at-example.com');
    await page.getByLabel('ID number').fill('110101199003071234');
    await page.getByLabel('ID document (photo or scan)').setInputFiles(file('passport.png', PNG));
    await page.getByLabel('I have read the contract above and agree to it.').check();
    // The server's own refusal (the e-mail's format) comes back on its field.
    await page.getByRole('button', { name: 'Send my enrollment' }).click();
    await eventually(() => page.locator('#f-email-error').count()).toBe(1);
    expect(await page.locator('#f-email-error').innerText()).toMatch(/email/i);
    expect(await form.locator('.field-error').count()).toBe(1);
    expect(await page.getByLabel('E-mail').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toEqual([`/api/plugins/crm/enroll/${link.split('/').pop()}`]);
    await ui.screenshot(page, 'enrollment-page-server-error');

    await page.getByLabel('E-mail').fill('wang.xh@example.com');
    await page.getByRole('button', { name: 'Send my enrollment' }).click();
    await page.getByTestId('enroll-done').waitFor();
    expect(await page.getByTestId('enroll-done').innerText()).toContain('Thank you');
    await ui.screenshot(page, 'enrollment-page-done');

    // Sales B reviews what was sent (E-3): the form and the document as uploaded.
    const submitted = await ok(sales.get(`/api/plugins/crm/enrollments/${enrollment}/form`), 200);
    expect(submitted).toMatchObject({ name: '王小红', email: 'wang.xh@example.com', idNumber: '110101199003071234', idDocument: { type: 'image/png', size: PNG.length } });
    const document = await ui.app.app.request(submitted.idDocument.url, { headers: { cookie: sales.cookie } });
    expect(Buffer.from(await document.arrayBuffer()).equals(PNG)).toBe(true);
    expect(await ok(sales.get(`/api/data/enrollment/${enrollment}?fields=status`), 200)).toMatchObject({ status: 'submitted' });

    // The link is used now: opened again, it says so.
    await page.reload();
    await page.getByTestId('enroll-closed').waitFor();
    expect(await page.getByTestId('enroll-closed').getAttribute('data-code')).toBe('link_used');
    expect(await page.getByTestId('enroll-closed').innerText()).toContain('the form is already sent');
    await page.context().close();
  });

  it('E-2 an unknown, replaced or expired link shows what to do, not a login', async () => {
    const page = await anonymous();
    await page.goto(`/enroll/${randomBytes(32).toString('base64url')}`);
    await page.getByTestId('enroll-closed').waitFor();
    expect(await page.getByTestId('enroll-closed').getAttribute('data-code')).toBe('not_found');
    expect(new URL(page.url()).pathname).toMatch(/^\/enroll\//);

    // B sends a second link for the same enrollment: the first one stops working.
    const { enrollment, page: first } = await linkFor('李小龙', '13800002222');
    const second = new URL((await ok(sales.post(`/api/plugins/crm/enrollments/${enrollment}/link`))).page).pathname;
    await page.goto(first);
    await page.getByTestId('enroll-closed').waitFor();
    expect(await page.getByTestId('enroll-closed').innerText()).toContain('A newer link replaced this one');
    await ui.screenshot(page, 'enrollment-page-replaced');
    await page.goto(second);
    await page.getByTestId('enroll-form').waitFor();
    await ui.screenshot(page, 'enrollment-page');
    // Customers open links on their phones: the page fits without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await ui.screenshot(page, 'enrollment-page-phone');
    await page.setViewportSize({ width: 1000, height: 900 });

    // A Chinese reader gets the server's refusal in Chinese, on its field.
    await page.getByTestId('lang').selectOption('zh');
    await page.getByLabel('姓名（与证件一致）').fill('李小龙');
    await page.getByLabel('电话').fill('13800002222');
    await page.getByLabel('电子邮箱').fill('li-at-example');
    await page.getByLabel('证件号码').fill('110101199003075678');
    await page.getByLabel('身份证件（照片或扫描件）').setInputFiles(file('id-li.png', PNG));
    await page.getByLabel('我已阅读并同意以上合同。').check();
    await page.getByRole('button', { name: '提交报名' }).click();
    await eventually(() => page.locator('#f-email-error').textContent()).toBe('格式不正确，请检查输入。');
    await page.getByTestId('lang').selectOption('en');

    // A link past its week: expired, with what to do.
    const late = await linkFor('赵小六', '13800003333');
    const [form] = (await ok(ui.admin.get(`/api/data/enrollment_form?filter=${encodeURIComponent(JSON.stringify({ enrollment: late.enrollment, revokedAt: { isNull: true } }))}`), 200)).data;
    await ok(ui.admin.patch(`/api/data/enrollment_form/${form.id}`, { expiresAt: new Date(Date.now() - 60_000).toISOString() }), 200);
    await page.goto(late.page);
    await page.getByTestId('enroll-closed').waitFor();
    expect(await page.getByTestId('enroll-closed').getAttribute('data-code')).toBe('link_expired');
    expect(await page.getByTestId('enroll-closed').innerText()).toContain('This link has expired. Ask your consultant for a new one.');
    await ui.screenshot(page, 'enrollment-page-expired');
    await page.context().close();
  });
});
