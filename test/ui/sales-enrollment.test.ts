/**
 * S-2 / E-1 / E-3 in browsers, the sales side: sales B opens a customer, starts their enrollment in
 * Python S5 and creates the link (a newer link replaces the older one); the customer, in a second
 * browser without login, fills in the form with an ID document; B reloads the enrollment, reads
 * the form and the document, and approves with a payment method. The payment, the student, the
 * class membership and the student's mail are then checked through the API. People who may not
 * work on the enrollment are not offered the actions: another department does not even see it,
 * a colleague of B's sees it and is told who works on it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../crm/demo-app.js';
import { filterParam, type Client } from '../support/app.js';
import { eventually, ok, type UiHarness } from './browser.js';
import { PNG, S5, startEnrollmentUi, type EnrollmentUi } from './crm-enrollment-ui.js';

describe('sales enrollment pages', () => {
  let ui: UiHarness;
  let demo: Demo;
  let sales: Client;
  let shared: EnrollmentUi;
  const s5 = () => demo.catalogue.classes[S5]!.id;
  const all = async (module: string, filter: unknown) => (await ok(ui.admin.get(`/api/data/${module}?pageSize=500&${filterParam(filter)}`), 200)).data as any[];

  beforeAll(async () => {
    // Without SMTP_URL the student's mail is kept in the outbox, where the test reads it.
    delete process.env.SMTP_URL;
    shared = await startEnrollmentUi('stratum-ui-sales-enroll');
    ({ ui, demo, sales } = shared);
  }, 120_000);
  afterAll(async () => ui?.close());

  const lead = async (name: string, phone: string) =>
    (await ok(sales.post('/api/data/customer', { name, phone, source: 'qq_group', consultant: demo.users.sales_b }))).id as number;

  const anonymous = (): Promise<Page> => shared.anonymous();

  it('S-2 sales B starts an enrollment in Python S5 from the customer, sends the link, and approves what the customer sent (E-1, E-3)', async () => {
    const customer = await lead('钱多多', '13800005555');
    const page = await ui.loginAs('sales_b', demo.password);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);

    // E-1 on the customer's page: choose the class, start.
    await page.goto(`/m/customer/${customer}`);
    const start = page.getByTestId('start-enrollment');
    await start.getByRole('heading', { name: 'Enroll in a class' }).waitFor();
    await eventually(() => page.getByLabel('Class', { exact: true }).isEnabled()).toBe(true);
    // Sent without a class: named on the field, nothing created.
    await start.getByRole('button', { name: 'Start enrollment' }).click();
    await start.getByText('Choose a class.').waitFor();
    expect(await all('enrollment', { customer })).toEqual([]);
    await page.getByLabel('Class', { exact: true }).selectOption(String(s5()));
    await ui.screenshot(page, 'sales-enrollment-start');
    await start.getByRole('button', { name: 'Start enrollment' }).click();
    await page.waitForURL(/\/m\/enrollment\/\d+$/);
    const enrollment = Number(new URL(page.url()).pathname.split('/').pop());
    expect(await ok(sales.get(`/api/data/enrollment/${enrollment}?fields=customer,class,status`), 200)).toMatchObject({ customer, class: s5(), status: 'sent' });
    await page.getByTestId('flash').getByText('Enrollment started').waitFor();

    // The link: shown with its expiry and a copy button.
    const actions = page.getByTestId('enrollment-actions');
    expect(await actions.getAttribute('data-status')).toBe('sent');
    await actions.getByText('A new link replaces the earlier one').waitFor();
    await actions.getByRole('button', { name: 'Create enrollment link' }).click();
    const linkInput = page.getByLabel('Link for the customer');
    await linkInput.waitFor();
    const first = await linkInput.inputValue();
    expect(first).toMatch(new RegExp(`^http://[^/]+/enroll/[A-Za-z0-9_-]{43}$`));
    expect(await page.getByTestId('link-expiry').innerText()).toMatch(/^Valid until \d{4}-\d\d-\d\d \d\d:\d\d \(7 days\)\.$/);
    await actions.getByRole('button', { name: 'Copy' }).click();
    await actions.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
    // A second link replaces the first, and the page says so.
    await actions.getByRole('button', { name: 'Create a new link' }).click();
    await actions.getByText('The earlier link no longer works').waitFor();
    const link = await linkInput.inputValue();
    expect(link).not.toBe(first);
    await ui.screenshot(page, 'sales-enrollment-link');

    // The customer, without login: the older link is dead, the newer one opens the form.
    const phone = await anonymous();
    await phone.goto(new URL(first).pathname);
    await phone.getByTestId('enroll-closed').getByText('A newer link replaced this one').waitFor();
    await phone.goto(new URL(link).pathname);
    await phone.getByTestId('enroll-form').waitFor();
    await phone.getByLabel('Full name (as on your ID)').fill('钱多多');
    await phone.getByLabel('Phone').fill('13800005555');
    await phone.getByLabel('E-mail').fill('qian.duoduo@example.com');
    await phone.getByLabel('ID number').fill('110101199501011234');
    const idFile = shared.file('id-card.png', PNG);
    await phone.getByLabel('ID document (photo or scan)').setInputFiles(idFile);
    await phone.getByLabel('I have read the contract above and agree to it.').check();
    await phone.getByRole('button', { name: 'Send my enrollment' }).click();
    await phone.getByTestId('enroll-done').waitFor();
    await phone.context().close();

    // E-3: B reloads the enrollment and reads what was sent.
    await page.reload();
    await eventually(() => page.getByTestId('enrollment-actions').getAttribute('data-status')).toBe('submitted');
    const form = page.getByTestId('submitted-form');
    await form.waitFor();
    const shown = (field: string) => form.locator(`[data-field="${field}"] dd`).innerText();
    expect(await shown('name')).toBe('钱多多');
    expect(await shown('phone')).toBe('13800005555');
    expect(await shown('email')).toBe('qian.duoduo@example.com');
    expect(await shown('idNumber')).toBe('110101199501011234');
    expect(await shown('agreedAt')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    const documentLink = form.getByTestId('id-document');
    expect(await documentLink.innerText()).toBe('Download (PNG, 1 KB)');
    const download = await page.request.get(await documentLink.getAttribute('href') as string);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(PNG)).toBe(true);

    // Approval: the method is asked for before anything is sent; the server's refusal lands on its field.
    const approvals: string[] = [];
    page.on('request', (r) => r.url().endsWith(`/enrollments/${enrollment}/approve`) && approvals.push(r.method()));
    const approveForm = page.getByTestId('approve-form');
    expect(await page.getByLabel('Amount paid').inputValue()).toBe('19800');
    await approveForm.getByRole('button', { name: 'Approve enrollment' }).click();
    await approveForm.getByText('Choose how the tuition was paid.').waitFor();
    expect(approvals).toEqual([]);
    const methods = await page.getByLabel('Payment method').locator('option').allInnerTexts();
    expect(methods).toEqual(['— choose —', 'Cash', 'Bank card', 'Alipay', 'WeChat Pay', 'Bank transfer']);
    await page.getByLabel('Payment method').selectOption('wechat');
    await page.getByLabel('Amount paid').fill('100000000');
    await approveForm.getByRole('button', { name: 'Approve enrollment' }).click();
    await eventually(() => page.locator('#approve-amount-error').count()).toBe(1);
    expect(await page.locator('#approve-amount-error').innerText()).toMatch(/^Amount paid must be less than 100000000/);
    expect(await page.getByLabel('Amount paid').getAttribute('aria-invalid')).toBe('true');
    expect(await all('payment', { enrollment })).toEqual([]);
    await ui.screenshot(page, 'sales-enrollment-review');

    await page.getByLabel('Amount paid').fill('19800');
    await approveForm.getByRole('button', { name: 'Approve enrollment' }).click();
    const outcome = page.getByTestId('approval-outcome');
    await outcome.getByText('Approved. The student, the payment and the class membership were created.').waitFor();
    await eventually(() => outcome.locator('[data-created]').count()).toBe(3);
    expect(approvals).toEqual(['POST', 'POST']);
    expect(await page.getByTestId('student-login').innerText()).toBe('The student logs in as qian.duoduo@example.com. The mail with their first password is kept in the outbox for an admin to send.');
    // The record above follows: approved (its status by its title), with its student.
    await eventually(() => page.getByTestId('fields').locator('[data-field="status"] dd').innerText()).toBe('Approved');
    expect(await page.getByTestId('enrollment-actions').getAttribute('data-status')).toBe('approved');
    await ui.screenshot(page, 'sales-enrollment-approved');

    // Through the API: what the links point to exists, and the mail waits in the outbox.
    const [payment] = await all('payment', { enrollment });
    expect(payment).toMatchObject({ customer, amount: 19800, method: 'wechat', kind: 'tuition', createdBy: demo.users.sales_b });
    const [student] = await all('student', { customer });
    expect(student).toMatchObject({ name: '钱多多', email: 'qian.duoduo@example.com', idNumber: '110101199501011234' });
    const [member] = await all('class_member', { class: s5(), student: student.id });
    expect(member).toMatchObject({ status: 'studying' });
    const hrefs = await outcome.locator('[data-created] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([`/m/student/${student.id}`, `/m/payment/${payment.id}`, `/m/class_member/${member.id}`]);
    expect(await outcome.locator('[data-created="membership"] a').innerText()).toBe(S5);
    const [mail] = await all('outbox', { recipient: 'qian.duoduo@example.com' });
    expect(mail).toMatchObject({ status: 'kept', subject: expect.stringContaining(S5) });
    expect(await ok(sales.get(`/api/data/enrollment/${enrollment}?fields=status,student`), 200)).toMatchObject({ status: 'approved', student: student.id });

    // Opened later, the enrollment shows what its approval created; the links lead there.
    await page.reload();
    await page.getByTestId('approval-outcome').getByText('Approved on').waitFor();
    await eventually(() => page.getByTestId('approval-outcome').locator('[data-created]').count()).toBe(3);
    expect(await page.getByTestId('approve-form').count()).toBe(0);
    await page.getByTestId('approval-outcome').locator('[data-created="student"] a').click();
    await page.waitForURL(`**/m/student/${student.id}`);
    await page.getByRole('heading', { name: '钱多多' }).waitFor();

    // The customer's page no longer offers S5: they have an enrollment in it.
    await page.goto(`/m/customer/${customer}`);
    const option = page.getByLabel('Class', { exact: true }).locator(`option[value="${s5()}"]`);
    await eventually(() => option.count()).toBe(1);
    expect(await option.isDisabled()).toBe(true);
    expect(await option.innerText()).toContain('has an enrollment');
    await page.context().close();
  });

  it('E-1/E-3 in Chinese: the link and the review read in Chinese', async () => {
    const customer = await lead('孙中文', '13800006666');
    const enrollment = (await ok(sales.post('/api/data/enrollment', { customer, class: s5() }))).id;
    const page = await ui.loginAs('sales_b', demo.password);
    await page.goto(`/m/enrollment/${enrollment}`);
    await page.getByTestId('lang').selectOption('zh');
    const actions = page.getByTestId('enrollment-actions');
    await actions.getByRole('heading', { name: '报名链接' }).waitFor();
    await actions.getByRole('button', { name: '生成报名链接' }).click();
    await page.getByTestId('link-expiry').getByText('有效期至').waitFor();
    expect(await page.getByTestId('link-expiry').innerText()).toContain('（7 天）');
    await ui.screenshot(page, 'sales-enrollment-link-zh');
    await page.context().close();
  });

  it('E-3 a refused approval (the login is taken) shows the server\'s reason, and nothing is created', async () => {
    const customer = await lead('吴重名', '13800008888');
    const enrollment = (await ok(sales.post('/api/data/enrollment', { customer, class: s5() }))).id;
    const token = new URL((await ok(sales.post(`/api/plugins/crm/enrollments/${enrollment}/link`))).url).pathname.split('/').pop();
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: '吴重名', phone: '13800008888', email: 'taken@example.com', idNumber: '110101199001011234', agree: 'on' })) form.set(k, v);
    form.set('idDocument', new Blob([PNG], { type: 'image/png' }), 'id.png');
    expect((await ui.app.app.request(`/api/plugins/crm/enroll/${token}`, { method: 'POST', body: form })).status).toBe(201);
    await ok(ui.admin.post('/api/data/user', { username: 'taken@example.com', name: 'Someone else' }));

    const page = await ui.loginAs('sales_b', demo.password);
    await page.goto(`/m/enrollment/${enrollment}`);
    await page.getByLabel('Payment method').selectOption('cash');
    await page.getByRole('button', { name: 'Approve enrollment' }).click();
    await page.getByTestId('approve-error').waitFor();
    expect(await page.getByTestId('approve-error').innerText()).toContain('Another account already has the login taken@example.com');
    expect(await page.getByTestId('approval-outcome').count()).toBe(0);
    expect(await page.getByTestId('enrollment-actions').getAttribute('data-status')).toBe('submitted');
    expect(await all('payment', { enrollment })).toEqual([]);
    expect(await all('student', { customer })).toEqual([]);
    await ui.screenshot(page, 'sales-enrollment-refused');
    await page.context().close();
  });

  it('E-1/E-3 people who may not work on the enrollment are not offered the actions', async () => {
    const customer = await lead('周不给', '13800007777');
    const enrollment = (await ok(sales.post('/api/data/enrollment', { customer, class: s5() }))).id;

    // Sales A (another department) does not see B's customer or enrollment at all: no actions, a clear "not found".
    const a = await ui.loginAs('sales_a', demo.password);
    await a.goto(`/m/enrollment/${enrollment}`);
    await a.getByText('This record does not exist, or you may not see it.').waitFor();
    expect(await a.getByTestId('enrollment-actions').count()).toBe(0);
    expect(await a.getByRole('button', { name: 'Create enrollment link' }).count()).toBe(0);
    await a.goto(`/m/customer/${customer}`);
    await a.getByText('This record does not exist, or you may not see it.').waitFor();
    expect(await a.getByTestId('start-enrollment').count()).toBe(0);
    await ui.screenshot(a, 'sales-enrollment-other-department');
    await a.context().close();

    // A colleague of B's in sales 2 sees the enrollment but may not change it (C-5): told so, nothing offered.
    const role = (await all('role', { name: 'sales' }))[0].id;
    await ok(ui.admin.post('/api/data/user', { username: 'sales_b2', password: demo.password, name: 'Sales B2', department: demo.departments['001002'], roles: [role] }));
    const b2 = await ui.loginAs('sales_b2', demo.password);
    await b2.goto(`/m/enrollment/${enrollment}`);
    await b2.getByTestId('enrollment-not-yours').waitFor();
    expect(await b2.getByTestId('enrollment-not-yours').innerText()).toContain('its consultant, their manager or an admin');
    expect(await b2.getByRole('button', { name: 'Create enrollment link' }).count()).toBe(0);
    expect(await b2.getByTestId('approve-form').count()).toBe(0);
    await ui.screenshot(b2, 'sales-enrollment-colleague');
    await b2.context().close();
    // And the API refuses them anyway.
    const colleague = await ui.app.client().login('sales_b2', demo.password);
    expect((await colleague.post(`/api/plugins/crm/enrollments/${enrollment}/link`)).status).toBe(403);
  });
});
