/**
 * The student portal (S-8..S-12) in the browser, as student A (周小明, login `student`) of the
 * demo: their contract, classes and course outline; homework handed in as a file; their grade and
 * rank without anyone else's; a referral; the knowledge base and a question. Each step is checked
 * against the API as admin (what was stored, by whom), and the pages never show a classmate.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crmPlugin from '../../modules/crm/plugin.js';
import { installDemo, type Demo } from '../crm/demo-app.js';
import { filterParam } from '../support/app.js';
import { ADMIN, eventually, ok, startUi, type UiHarness } from './browser.js';

const S5 = 'Python FULLSTACK S5';
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(400)]);

describe('student portal', () => {
  let ui: UiHarness;
  let demo: Demo;
  let dataDir: string;
  let files: string;
  let page: Page;
  let lesson3: number;
  const studentA = () => demo.history.students.studentA!;
  const s5 = () => demo.catalogue.classes[S5]!.id;
  const all = async (module: string, filter?: unknown, extra = '') =>
    (await ok(ui.admin.get(`/api/data/${module}?pageSize=500${filter === undefined ? '' : `&${filterParam(filter)}`}${extra}`), 200)).data as any[];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stratum-ui-portal-'));
    process.env.DATA_DIR = dataDir;
    files = mkdtempSync(path.join(os.tmpdir(), 'stratum-ui-files-'));
    ui = await startUi({ plugins: [crmPlugin] });
    demo = await installDemo(ui.app.stratum, { customers: 5 });
    // S-14: the teacher has recorded lesson 3 and its homework.
    lesson3 = (await ok(ui.admin.post('/api/data/lesson', {
      class: s5(), number: 3, date: new Date().toISOString().slice(0, 10), title: 'Object-oriented Python', homework: 'A bank account class with tests', teacher: demo.users.teacher,
    }))).id;
    page = await ui.loginAs('student', demo.password);
  }, 120_000);
  afterAll(async () => ui?.close());

  /** Names of S5's other students, which no portal page may show. */
  const classmates = async () => (await all('class_member', { class: s5(), student: { ne: studentA() } }, '&fields=student.name')).map((m) => m.student.name as string);
  const noClassmateOn = async (p: Page) => {
    const text = await p.locator('main').innerText();
    for (const name of await classmates()) expect(text).not.toContain(name);
  };

  it('S-8 student A lands on their portal: their contract, their classes and the course outline', async () => {
    await page.waitForURL(/\/portal$/);
    await page.getByRole('heading', { name: 'Welcome, 周小明' }).waitFor();
    const classes = page.getByTestId('portal-class');
    await eventually(() => classes.count()).toBe(1);
    expect(await classes.first().innerText()).toContain(S5);
    await classes.first().getByText('Course outline').click();
    expect(await classes.first().getByTestId('outline').innerText()).toContain('Django');
    const contract = page.getByTestId('portal-contract');
    await eventually(() => contract.count()).toBe(1);
    expect(await contract.innerText()).toContain('Python Full Stack agreement');
    expect(await contract.innerText()).toContain('approved');
    // What the pages show is what is stored for them, and nothing of other classes.
    const [enrollment] = await all('enrollment', { student: studentA() }, '&fields=class.name,status');
    expect(enrollment).toMatchObject({ class: { name: S5 }, status: 'approved' });
    expect(await page.locator('main').innerText()).not.toContain('Linux 36');
    await noClassmateOn(page);
    await ui.screenshot(page, 'portal-overview');
  });

  it('S-10 student A sees their grade and rank in Python S5, never a classmate\'s', async () => {
    const [mine] = await all('class_member', { class: s5(), student: studentA() }, '&fields=score');
    const scores = (await all('class_member', { class: s5() }, '&fields=score')).map((m) => m.score as number | null);
    const rank = 1 + scores.filter((s) => s !== null && s > mine.score).length;
    const card = page.getByTestId('portal-class').first();
    await eventually(() => card.getByTestId('rank').count()).toBe(1);
    expect(await card.getByTestId('grade').innerText()).toContain(String(mine.score));
    expect(await card.getByTestId('rank').innerText()).toBe(`rank ${rank} of ${scores.length} in the class`);

    await card.getByRole('link', { name: 'Lessons and homework' }).click();
    await page.waitForURL(new RegExp(`/portal/classes/${s5()}$`));
    await eventually(() => page.getByTestId('lesson').count()).toBe(3);
    expect(await page.getByTestId('class-grade').innerText()).toContain(`rank ${rank} of ${scores.length}`);
    // Lesson 1 was graded: their own score and the teacher's comment.
    const [graded] = await all('homework', { student: studentA(), 'lesson.number': 1, 'lesson.class': s5() }, '&fields=score,comment');
    const lesson1 = page.locator('[data-testid="lesson"][data-number="1"]');
    expect(await lesson1.getByTestId('homework-score').innerText()).toBe(String(graded.score));
    expect(await lesson1.innerText()).toContain(graded.comment);
    await noClassmateOn(page);

    // Another class is not theirs: the page says so, and shows nothing of it.
    const linux = demo.catalogue.classes['Linux 36']!.id;
    await page.goto(`/portal/classes/${linux}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByTestId('lesson').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain('Linux 36');
  });

  it('S-9 student A hands in homework for lesson 3 of Python S5 as a file', async () => {
    await page.goto(`/portal/classes/${s5()}`);
    const lesson = page.locator('[data-testid="lesson"][data-number="3"]');
    await lesson.getByTestId('homework-form').waitFor();
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
    // Not a homework file by its content: refused before it is sent.
    const script = path.join(files, 'homework.zip');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    await lesson.getByLabel('Your homework file').setInputFiles(script);
    await lesson.getByRole('button', { name: 'Hand in' }).click();
    await lesson.getByText('This file is not a PDF, JPG, PNG, ZIP file').waitFor();
    expect(posts).toEqual([]);

    const zip = path.join(files, 'bank-account.zip');
    writeFileSync(zip, ZIP);
    await lesson.getByLabel('Your homework file').setInputFiles(zip);
    await lesson.getByLabel('Note for the teacher (optional)').fill('Bank account class, with tests');
    await lesson.getByRole('button', { name: 'Hand in' }).click();
    await lesson.getByTestId('handed-in').waitFor();
    expect(await lesson.getByTestId('handed-in').innerText()).toContain('(ZIP)');
    expect(await lesson.getByTestId('homework-score').innerText()).toBe('not graded yet');
    expect(posts).toEqual([`/api/plugins/crm/lessons/${lesson3}/homework`]);

    // Stored as student A's, with the file itself under DATA_DIR.
    const stored = await all('homework', { lesson: lesson3 }, '&fields=id,student,file,content,createdBy,score');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ student: studentA(), content: 'Bank account class, with tests', createdBy: demo.users.student, score: null });
    expect(stored[0].file).toMatch(/^uploads\/homework\/[0-9a-f]{32}\.zip$/);
    expect(readFileSync(path.join(dataDir, stored[0].file)).equals(ZIP)).toBe(true);
    // What they handed in, the file itself too; the demo's older homework names no stored upload, so no link.
    const href = await lesson.getByTestId('homework-file').getAttribute('href');
    expect(href).toBe(`/api/plugins/crm/homework/${stored[0].id}/file`);
    expect((await (await page.request.get(href!)).body()).equals(ZIP)).toBe(true);
    expect(await page.locator('[data-testid="lesson"][data-number="1"]').getByTestId('homework-file').count()).toBe(0);
    await ui.screenshot(page, 'portal-class');
  });

  it('S-11 student A recommends a friend; the referral names them as referrer', async () => {
    await page.getByTestId('portal-tabs').getByRole('link', { name: 'Recommend a friend' }).click();
    await page.waitForURL(/\/portal\/referral$/);
    const form = page.getByTestId('referral-form');
    await form.getByRole('button', { name: 'Send the recommendation' }).click();
    await form.getByText('This field is required.').waitFor();
    await form.getByLabel('Their name').fill('周大明');
    await form.getByLabel('Phone').fill('137 1234 5678');
    await eventually(() => form.getByLabel('Course').locator('option').count()).toBe(2);
    await form.getByLabel('Course').selectOption({ label: 'Python Full Stack' });
    await form.getByLabel('Anything the consultant should know').fill('My cousin, wants to change careers');
    await form.getByRole('button', { name: 'Send the recommendation' }).click();
    await page.getByTestId('referral-success').waitFor();
    await eventually(() => page.getByTestId('my-referrals').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('my-referrals').innerText()).toContain('周大明');

    const referrals = await all('referral', { name: '周大明' }, '&fields=referrer,phone,course,status,createdBy,notes');
    expect(referrals).toEqual([expect.objectContaining({
      referrer: studentA(), phone: '13712345678', course: demo.catalogue.courses.python, status: 'new', createdBy: demo.users.student, notes: 'My cousin, wants to change careers',
    })]);
    await ui.screenshot(page, 'portal-referral');
  });

  it('S-12 student A searches the knowledge base, finds nothing, and asks a question', async () => {
    await page.getByTestId('portal-tabs').getByRole('link', { name: 'Help and questions' }).click();
    await page.waitForURL(/\/portal\/help$/);
    await page.getByRole('searchbox').fill('pip');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await eventually(() => page.getByTestId('article').count()).toBe(1);
    expect(await page.getByTestId('article').innerText()).toContain('pip install is slow: use a mirror');

    await page.getByRole('searchbox').fill('virtualenv');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('no-articles').waitFor();
    expect(await page.getByTestId('article').count()).toBe(0);
    const form = page.getByTestId('question-form');
    // The search is the start of the question.
    expect(await form.getByLabel('Your question').inputValue()).toBe('virtualenv');
    await form.getByLabel('Your question').fill('How do I use virtualenv on Windows?');
    await form.getByLabel('Details (what you tried, the error you saw)').fill('activate is not found');
    await form.getByRole('button', { name: 'Send the question' }).click();
    await page.getByTestId('question-success').waitFor();
    await eventually(() => page.getByTestId('question').count()).toBe(1);
    expect(await page.getByTestId('question').innerText()).toContain('Waiting for an answer');

    const questions = await all('question', { createdBy: demo.users.student }, '&fields=title,content,status,createdBy');
    expect(questions).toEqual([expect.objectContaining({ title: 'How do I use virtualenv on Windows?', content: 'activate is not found', status: 'open' })]);
    await ui.screenshot(page, 'portal-help');
  });

  it('S-8 the portal reads Chinese too', async () => {
    await page.goto('/portal');
    await page.getByTestId('lang').selectOption('zh');
    await page.getByRole('heading', { name: '欢迎，周小明' }).waitFor();
    await eventually(() => page.getByTestId('rank').count()).toBe(1);
    expect(await page.getByTestId('rank').innerText()).toMatch(/^班级排名 \d+ \/ \d+$/);
    await ui.screenshot(page, 'portal-overview-zh');
    await page.getByTestId('lang').selectOption('en');
  });

  it('S-8 a login without a student record is told so on /portal, and its home page stays the usual one', async () => {
    const admin = await ui.loginAs(ADMIN.username, ADMIN.password);
    expect(new URL(admin.url()).pathname).toBe('/');
    await admin.goto('/portal');
    await admin.getByTestId('portal-no-student').waitFor();
    expect(await admin.getByTestId('portal-class').count()).toBe(0);
    await admin.context().close();
  });
});
