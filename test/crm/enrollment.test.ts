/**
 * The enrollment flow (E-1..E-4) and the scenarios it carries (S-2, S-7), on the demo CRM with
 * its plugin (modules/crm): sales B sends a link, the customer fills it in without login, B
 * approves, and the new student gets a mail and a login. Each test acts as the person of its
 * step and checks what they see and may not: another department, a colleague who does not own
 * the customer, someone with only the link. Mail goes to the outbox by default and, with
 * SMTP_URL, to a real SMTP server on this machine (smtp-server), whose mail the test reads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVICE_ACCOUNT, SERVICE_ROLE } from '../../modules/crm/enrollment/service-account.js';
import { describeEachDialect } from '../support/databases.js';
import type { Client, Reply } from '../support/app.js';
import { all, body, startDemo, type CrmApp } from './demo-app.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
const S5 = 'Python FULLSTACK S5';

describeEachDialect('CRM enrollment flow', (dialect) => {
  let crm: CrmApp;
  let dataDir: string;
  let b: Client, a: Client, b2: Client, manager: Client, teacher: Client, student: Client;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const inbox: ParsedMail[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stratum-crm-data-'));
    process.env.DATA_DIR = dataDir;
    delete process.env.SMTP_URL;
    delete process.env.PUBLIC_URL;
    crm = await startDemo(dialect, 20);
    await createServiceAccount(crm);
    // A second salesperson of sales 2: sees B's customers, may not change them (C-5).
    const sales = body(await crm.admin.get(`/api/data/role?filter=${encodeURIComponent(JSON.stringify({ name: 'sales' }))}`)).data[0].id;
    body(await crm.admin.post('/api/data/user', { username: 'sales_b2', password: crm.demo.password, name: 'Sales B2', department: crm.demo.departments['001002'], roles: [sales] }), 201);
    [b, a, manager, teacher, student] = await Promise.all([crm.as('sales_b'), crm.as('sales_a'), crm.as('manager'), crm.as('teacher'), crm.as('student')]);
    b2 = await crm.app.client().login('sales_b2', crm.demo.password);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(address, _session, cb) {
        cb(address.address.includes('bounce') ? Object.assign(new Error('No such mailbox'), { responseCode: 550 }) : undefined);
      },
      onData(stream, _session, cb) {
        simpleParser(stream).then((mail) => (inbox.push(mail), cb()), cb);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await crm?.close();
  });

  const users = () => crm.demo.users;
  const s5 = () => crm.demo.catalogue.classes[S5]!.id;
  const count = async (module: string, filter?: unknown) => (await all(crm.admin, module, filter)).length;
  let phones = 0;

  /** A new lead of sales B's and an enrollment of theirs in Python S5, as B. */
  async function enrollment(name: string, client = b, consultant = users().sales_b): Promise<{ customer: number; enrollment: number }> {
    const customer = body(await client.post('/api/data/customer', {
      name, phone: `1370000${String(++phones).padStart(4, '0')}`, source: 'qq_group', consultant, intendedCourse: crm.demo.catalogue.courses.python,
    }), 201).id;
    const created = body(await client.post('/api/data/enrollment', { customer, class: s5() }), 201);
    expect(created).toMatchObject({ status: 'sent', customer, class: s5() });
    return { customer, enrollment: created.id };
  }

  async function link(client: Client, enrollment: number): Promise<{ url: string; token: string }> {
    const r = body(await client.post(`/api/plugins/crm/enrollments/${enrollment}/link`), 201);
    return { url: r.url, token: r.url.split('/').pop() };
  }

  /** POSTs a multipart form, anonymously or as `client`. */
  async function postForm(url: string, form: FormData, client?: Client, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await crm.app.app.request(url, { method: 'POST', body: form, headers: { ...(client?.cookie ? { cookie: client.cookie } : {}), ...headers } });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  function filledIn(fields: Record<string, string>, file: Blob | null = new Blob([PNG], { type: 'image/png' }), fileName = 'id.png'): FormData {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file) form.set('idDocument', file, fileName);
    return form;
  }

  const customerForm = (name: string, email: string) => ({ name, phone: '+86 139 0000 1234', email, idNumber: '110101199003071234', agree: 'on' });
  const submit = (token: string, form: FormData) => postForm(`/api/plugins/crm/enroll/${token}`, form);
  const storedDocuments = () => readdirSync(path.join(dataDir, 'uploads', 'id-documents'));

  it('E-1 sales B starts the enrollment of their customer and gets an expiring, single-use link; only its hash is kept', async () => {
    const { enrollment: id } = await enrollment('链接测试');
    const r = body(await b.post(`/api/plugins/crm/enrollments/${id}/link`), 201);
    expect(r.url).toMatch(/^http:\/\/localhost\/api\/plugins\/crm\/enroll\/[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(r.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const token = r.url.split('/').pop();
    // The database keeps the SHA-256 of the token, never the token.
    const [kept] = await all(crm.admin, 'enrollment_form', { enrollment: id });
    expect(kept.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(kept)).not.toContain(token);
    // The link fixed the tuition and the contract the form shows: the course's price, the Python agreement.
    expect(body(await b.get(`/api/data/enrollment/${id}`))).toMatchObject({ price: 19800, contractTemplate: crm.demo.catalogue.contractTemplates.python, updatedBy: users().sales_b });

    // Who else may send it: another department does not see the enrollment; a colleague sees it but
    // does not own the customer; a teacher has no such permission; nobody without login.
    expect((await a.post(`/api/plugins/crm/enrollments/${id}/link`)).status).toBe(404);
    const colleague = await b2.post(`/api/plugins/crm/enrollments/${id}/link`);
    expect(colleague.status).toBe(403);
    expect(colleague.body.error.code).toBe('forbidden');
    expect((await teacher.post(`/api/plugins/crm/enrollments/${id}/link`)).status).toBe(403);
    expect((await crm.app.client().post(`/api/plugins/crm/enrollments/${id}/link`)).status).toBe(401);
    expect(await count('enrollment_form', { enrollment: id })).toBe(1);
    // Their manager may (the department's data).
    const fromManager = await link(manager, id);
    // A newer link replaces the older one.
    expect(body(await crm.app.client().get(`/api/plugins/crm/enroll/${token}`), 410).error.code).toBe('link_revoked');
    expect(body(await crm.app.client().get(`/api/plugins/crm/enroll/${fromManager.token}`))).toMatchObject({ class: { name: S5 } });
  });

  it('E-2 the customer opens the link without login, sees only their own enrollment, uploads the ID document and agrees to the contract', async () => {
    const { enrollment: id } = await enrollment('表单测试');
    const { token } = await link(b, id);
    const anonymous = crm.app.client();
    const shown = body(await anonymous.get(`/api/plugins/crm/enroll/${token}`));
    expect(shown).toMatchObject({
      class: { name: S5, semester: 5, campus: expect.any(String) },
      course: { name: 'Python Full Stack', outline: expect.stringContaining('Django') },
      price: 19800,
      contract: { name: 'Python Full Stack agreement', text: expect.stringContaining('six months') },
      form: { method: 'POST', encoding: 'multipart/form-data', fields: ['name', 'phone', 'email', 'idNumber', 'agree'] },
    });
    // Nothing but what the form needs: no ids, no customer, no consultant.
    expect(Object.keys(shown).sort()).toEqual(['class', 'contract', 'course', 'expiresAt', 'form', 'price']);
    expect(JSON.stringify(shown)).not.toMatch(/"id"|表单测试|consultant|customer/);
    // A token that is not one, or not any more: clear answers.
    expect(body(await anonymous.get(`/api/plugins/crm/enroll/${randomBytes(32).toString('base64url')}`), 404).error.code).toBe('not_found');
    expect((await anonymous.get('/api/plugins/crm/enroll/not-a-token')).status).toBe(404);
    // The link opens the form, nothing else.
    expect((await anonymous.get(`/api/data/enrollment/${id}`)).status).toBe(401);

    // Refused submissions: each field is named; nothing is kept.
    expect((await anonymous.post(`/api/plugins/crm/enroll/${token}`, customerForm('张三', 'zs@example.com'))).status).toBe(415);
    const text = new Blob(['#!/bin/sh\nrm -rf /\n'], { type: 'image/jpeg' });
    const refused = body(await submit(token, filledIn({ name: ' ', phone: '13900001234', email: 'not-an-email', idNumber: 'X1' }, text, 'photo.jpg')), 400);
    expect(refused.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/agree', '/idDocument', '/name']);
    const badEmail = body(await submit(token, filledIn({ ...customerForm('张三', 'not-an-email') })), 400);
    expect(badEmail.error.details.map((d: { path: string }) => d.path)).toEqual(['/email']);
    const big = Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]);
    expect(body(await submit(token, filledIn(customerForm('张三', 'zs@example.com'), new Blob([big]))), 413).error.code).toBe('too_large');
    expect(body(await b.get(`/api/data/enrollment/${id}`))).toMatchObject({ status: 'sent', agreedAt: null });
    const documentsBefore = safeList(storedDocuments);

    const ok = body(await submit(token, filledIn(customerForm('张三', 'ZhangSan@Example.com'))), 201);
    expect(ok.status).toBe('submitted');
    const enrollmentNow = body(await b.get(`/api/data/enrollment/${id}`));
    expect(enrollmentNow).toMatchObject({ status: 'submitted' });
    expect(Date.now() - Date.parse(enrollmentNow.agreedAt)).toBeLessThan(60_000);
    // The document is under DATA_DIR with a random name, byte for byte.
    const added = safeList(storedDocuments).filter((f) => !documentsBefore.includes(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(readFileSync(path.join(dataDir, 'uploads', 'id-documents', added[0]!)).equals(PNG)).toBe(true);

    // Single use: the link is spent.
    expect(body(await anonymous.get(`/api/plugins/crm/enroll/${token}`), 410).error.code).toBe('link_used');
    expect(body(await submit(token, filledIn(customerForm('李四', 'ls@example.com'))), 410).error.code).toBe('link_used');

    // Sales B reviews the form and the document; it is never served to anyone who may not change the enrollment.
    const form = body(await b.get(`/api/plugins/crm/enrollments/${id}/form`));
    expect(form).toMatchObject({ name: '张三', email: 'ZhangSan@Example.com', idNumber: '110101199003071234', idDocument: { type: 'image/png', size: PNG.length } });
    const document = await crm.app.app.request(form.idDocument.url, { headers: { cookie: b.cookie } });
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await document.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await a.get(form.idDocument.url)).status).toBe(404);
    expect((await b2.get(form.idDocument.url)).status).toBe(403);
    expect((await b2.get(`/api/plugins/crm/enrollments/${id}/form`)).status).toBe(403);
    expect((await student.get(form.idDocument.url)).status).toBe(403);
    expect((await anonymous.get(form.idDocument.url)).status).toBe(401);
    expect((await b.get('/api/data/enrollment_form')).status).toBe(403);
  });

  it('E-2 an expired link and one that refused too many submissions say so', async () => {
    const { enrollment: id } = await enrollment('过期测试');
    const { token } = await link(b, id);
    const [kept] = await all(crm.admin, 'enrollment_form', { enrollment: id });
    body(await crm.admin.patch(`/api/data/enrollment_form/${kept.id}`, { expiresAt: new Date(Date.now() - 1000).toISOString() }));
    expect(body(await crm.app.client().get(`/api/plugins/crm/enroll/${token}`), 410).error.code).toBe('link_expired');
    expect(body(await submit(token, filledIn(customerForm('王五', 'ww@example.com'))), 410).error.code).toBe('link_expired');

    const second = await enrollment('滥用测试');
    const { token: abused } = await link(b, second.enrollment);
    for (let i = 0; i < 10; i++) expect((await submit(abused, filledIn({ name: '王五' }))).status).toBe(400);
    expect(body(await submit(abused, filledIn(customerForm('王五', 'ww@example.com'))), 429).error.code).toBe('too_many_attempts');
    expect(body(await b.get(`/api/data/enrollment/${second.enrollment}`)).status).toBe('sent');
  });

  it('E-3 sales B approves: the payment, the student with a login and the class membership are created together', async () => {
    const { customer, enrollment: id } = await enrollment('审核测试');
    const { token } = await link(b, id);
    body(await submit(token, filledIn(customerForm('审核测试', 'shenhe@example.com'))), 201);
    // Not before the form is in; not by a colleague, another department or a teacher.
    expect((await b2.post(`/api/plugins/crm/enrollments/${id}/approve`)).status).toBe(403);
    expect((await a.post(`/api/plugins/crm/enrollments/${id}/approve`)).status).toBe(404);
    expect((await teacher.post(`/api/plugins/crm/enrollments/${id}/approve`)).status).toBe(403);
    expect(await count('payment', { enrollment: id })).toBe(0);

    const approved = body(await b.post(`/api/plugins/crm/enrollments/${id}/approve`, { method: 'wechat' }));
    expect(approved).toMatchObject({ enrollment: id, status: 'approved', login: 'shenhe@example.com', mail: 'kept' });
    // What B sees now: the payment of the tuition, the student, their place in Python S5.
    expect(body(await b.get(`/api/data/payment/${approved.payment}`))).toMatchObject({ customer, enrollment: id, amount: 19800, method: 'wechat', kind: 'tuition', createdBy: users().sales_b });
    expect(body(await b.get(`/api/data/student/${approved.student}`))).toMatchObject({ name: '审核测试', customer, email: 'shenhe@example.com', idNumber: '110101199003071234' });
    expect(body(await b.get(`/api/data/class_member/${approved.membership}?fields=class.name,student,status`))).toMatchObject({ class: { name: S5 }, student: approved.student, status: 'studying' });
    expect(body(await b.get(`/api/data/enrollment/${id}`))).toMatchObject({ status: 'approved', student: approved.student, approvedAt: new Date().toISOString().slice(0, 10) });
    expect(body(await b.get(`/api/data/customer/${customer}`)).status).toBe('enrolled');
    // Another department sees none of it.
    expect((await a.get(`/api/data/payment/${approved.payment}`)).status).toBe(404);
    expect((await a.get(`/api/data/student/${approved.student}`)).status).toBe(404);
    // Once only.
    expect(body(await b.post(`/api/plugins/crm/enrollments/${id}/approve`), 409).error.code).toBe('enrollment_not_submitted');
    expect(await count('payment', { enrollment: id })).toBe(1);

    // The login is a student account, in the student role, whose first password only the mail carries (the outbox, without SMTP).
    const [mail] = await all(crm.admin, 'outbox', { recipient: 'shenhe@example.com' });
    expect(mail).toMatchObject({ status: 'kept', subject: expect.stringContaining(S5) });
    const password = /Password[^:]*: (\S+)/.exec(mail.text)![1]!;
    const newStudent = await crm.app.client().login('shenhe@example.com', password);
    expect((await all(newStudent, 'class')).map((c) => c.name)).toEqual([S5]);
    expect((await all(newStudent, 'enrollment')).map((e) => [e.id, e.status])).toEqual([[id, 'approved']]);
    expect((await all(newStudent, 'payment')).map((p) => p.amount)).toEqual([19800]);
    // Only admins read the outbox.
    expect((await b.get('/api/data/outbox')).status).toBe(403);
  });

  it('E-3 all or nothing: when one part is refused (the login is taken), nothing of the approval is written', async () => {
    const { customer, enrollment: id } = await enrollment('回滚测试');
    const { token } = await link(b, id);
    body(await submit(token, filledIn(customerForm('回滚测试', 'taken@example.com'))), 201);
    body(await crm.admin.post('/api/data/user', { username: 'taken@example.com', name: 'Someone else' }), 201);
    const before = await Promise.all(['payment', 'student', 'class_member', 'user', 'outbox'].map((m) => count(m)));

    const refused = body(await b.post(`/api/plugins/crm/enrollments/${id}/approve`), 409);
    expect(refused.error).toMatchObject({ code: 'login_taken', message: expect.stringContaining('nothing was written') });
    // The payment and the student were written before the login was refused: both are gone, as is the rest.
    expect(await Promise.all(['payment', 'student', 'class_member', 'user', 'outbox'].map((m) => count(m)))).toEqual(before);
    expect(await count('student', { customer })).toBe(0);
    expect(body(await b.get(`/api/data/enrollment/${id}`))).toMatchObject({ status: 'submitted', student: null, approvedAt: null });
    expect(body(await b.get(`/api/data/customer/${customer}`)).status).toBe('new');
  });

  it('E-4 with SMTP_URL the mail goes to the SMTP server; one it refuses is kept in the outbox', async () => {
    process.env.SMTP_URL = smtpUrl;
    try {
      const { enrollment: id } = await enrollment('邮件测试');
      const { token } = await link(b, id);
      body(await submit(token, filledIn(customerForm('邮件测试', 'mail.test@example.com'))), 201);
      const outboxBefore = await count('outbox');
      const sent = inbox.length;
      expect(body(await b.post(`/api/plugins/crm/enrollments/${id}/approve`)).mail).toBe('sent');
      expect(inbox.length).toBe(sent + 1);
      const mail = inbox.at(-1)!;
      expect(mail.to).toMatchObject({ text: 'mail.test@example.com' });
      expect(mail.subject).toBe(`Enrollment confirmed: ${S5} (报名成功)`);
      expect(mail.text).toContain(S5);
      expect(mail.text).toContain('Login (用户名): mail.test@example.com');
      expect(await count('outbox')).toBe(outboxBefore);

      const bounced = await enrollment('退信测试');
      const { token: t2 } = await link(b, bounced.enrollment);
      body(await submit(t2, filledIn(customerForm('退信测试', 'bounce@example.com'))), 201);
      // The approval stands; the mail is kept with the server's answer.
      expect(body(await b.post(`/api/plugins/crm/enrollments/${bounced.enrollment}/approve`))).toMatchObject({ status: 'approved', mail: 'failed' });
      const [kept] = await all(crm.admin, 'outbox', { recipient: 'bounce@example.com' });
      expect(kept).toMatchObject({ status: 'failed', error: expect.stringContaining('No such mailbox') });
    } finally {
      delete process.env.SMTP_URL;
    }
  });

  it('S-2 sales B enrolls a lead from a QQ group in Python full stack S5: link, form, then the class', async () => {
    const { customer, enrollment: id } = await enrollment('QQ群学员');
    const { token } = await link(b, id);
    body(await submit(token, filledIn(customerForm('QQ群学员', 'qq.lead@example.com'))), 201);
    expect(body(await b.get(`/api/data/enrollment/${id}`)).status).toBe('submitted');
    const approved = body(await b.post(`/api/plugins/crm/enrollments/${id}/approve`));
    const members = await all(b, 'class_member', { 'student.customer': customer }, '&fields=class.name,status');
    expect(members.map((m) => [m.class.name, m.status])).toEqual([[S5, 'studying']]);
    expect(members[0].id).toBe(approved.membership);
    // The class's member list, as B sees it, now has them; sales 1 sees no member of B's customer.
    expect((await all(b, 'class_member', { class: s5() })).map((m) => m.student)).toContain(approved.student);
    expect((await all(a, 'class_member', { 'student.customer': customer }))).toEqual([]);
  });

  it('S-7 customer A fills in the link, uploads the ID, submits, and shortly gets the mail: enrolled in Python S5, with a student account', async () => {
    process.env.SMTP_URL = smtpUrl;
    try {
      const { enrollment: id } = await enrollment('客户甲');
      const { url } = await link(b, id);
      const pathname = new URL(url).pathname;
      // The customer has only the link.
      expect(body(await crm.app.client().get(pathname)).class.name).toBe(S5);
      const pdf = new Blob([Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(100)])], { type: 'application/pdf' });
      body(await postForm(pathname, filledIn(customerForm('客户甲', 'customer.a@example.com'), pdf, 'scan.pdf')), 201);
      const sent = inbox.length;
      body(await b.post(`/api/plugins/crm/enrollments/${id}/approve`));
      const mail = inbox.slice(sent).find((m) => m.to && !Array.isArray(m.to) && m.to.text === 'customer.a@example.com')!;
      expect(mail.subject).toContain(S5);
      expect(mail.text).toContain('customer.a@example.com');
      const password = /Password[^:]*: (\S+)/.exec(mail.text ?? '')![1]!;
      // With that account they see their class and their contract, and nobody else's.
      const me = await crm.app.client().login('customer.a@example.com', password);
      expect((await all(me, 'class')).map((c) => c.name)).toEqual([S5]);
      const contracts = await all(me, 'enrollment', undefined, '&fields=status,class.name,contractTemplate.name');
      expect(contracts).toEqual([{ id, status: 'approved', class: { id: s5(), name: S5 }, contractTemplate: { id: crm.demo.catalogue.contractTemplates.python, name: 'Python Full Stack agreement' } }]);
      expect((await all(me, 'student')).map((s) => s.name)).toEqual(['客户甲']);
    } finally {
      delete process.env.SMTP_URL;
    }
  });
});

/** The account the flow acts as, as an admin sets it up (README "Enrollment flow"): in 学员 Students, which sees all records. */
async function createServiceAccount(crm: CrmApp): Promise<void> {
  const roles = body(await crm.admin.get(`/api/data/role?filter=${encodeURIComponent(JSON.stringify({ name: SERVICE_ROLE }))}`)).data;
  expect(roles).toHaveLength(1);
  const existing = body(await crm.admin.get(`/api/data/user?filter=${encodeURIComponent(JSON.stringify({ username: SERVICE_ACCOUNT }))}`)).data;
  if (existing.length > 0) return;
  body(await crm.admin.post('/api/data/user', { username: SERVICE_ACCOUNT, name: 'Enrollment links', department: crm.demo.departments['0030'], roles: [roles[0].id] }), 201);
}

function safeList(list: () => string[]): string[] {
  try {
    return list();
  } catch {
    return [];
  }
}
