/**
 * The teacher pages (S-13..S-16) in headless Chromium, on the demo CRM: 赵磊 teaches the Python
 * classes. He finds his classes on the home page, records lesson 3 of Python S5, takes its roll
 * call with 小东北 late, downloads lesson 2's homework as one zip and grades two submissions.
 * Each result is checked through the API, as the admin.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDF } from '../../modules/crm/files/file-kinds.js';
import { storeFile } from '../../modules/crm/files/stored-files.js';
import crmPlugin from '../../modules/crm/plugin.js';
import { installDemo, type Demo } from '../crm/demo-app.js';
import { filterParam } from '../support/app.js';
import { eventually, ok, startUi, type UiHarness } from './browser.js';

const S5 = 'Python FULLSTACK S5';

describe('teacher pages (S-13..S-16)', () => {
  let ui: UiHarness;
  let demo: Demo;
  let s5: number;
  let lesson3: number;
  /** The ids of S5's studying students. */
  let studying: number[];

  beforeAll(async () => {
    process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'stratum-teacher-ui-'));
    ui = await startUi({ plugins: [crmPlugin] });
    demo = await installDemo(ui.app.stratum, { customers: 0 });
    s5 = demo.catalogue.classes[S5]!.id;
    studying = (await list('class_member', { class: s5, status: 'studying' }, 'student')).map((m) => m.student);
  }, 120_000);
  afterAll(async () => ui?.close());

  /** Records as the admin sees them: the database's state, through the API. */
  async function list(module: string, filter: unknown, fields: string, sort = 'id'): Promise<any[]> {
    return (await ok(ui.admin.get(`/api/data/${module}?pageSize=500&${filterParam(filter)}&fields=${fields}&sort=${sort}`), 200)).data;
  }
  const teacherPage = () => ui.loginAs('teacher', demo.password);

  it('S-13 the teacher sees exactly the classes they teach on the home page, with campus, course, dates and students', async () => {
    const page = await teacherPage();
    const cards = page.getByTestId('my-classes').locator('a.class-card');
    await eventually(() => cards.evaluateAll((as) => as.map((a) => a.getAttribute('data-class')))).toEqual(['Python FULLSTACK S6', S5, 'Python FULLSTACK S4', 'Python FULLSTACK S3']);
    const card = page.getByTestId('my-classes').getByRole('link', { name: new RegExp(S5) });
    await eventually(() => card.innerText()).toContain(`${studying.length} students`);
    const text = await card.innerText();
    for (const part of ['running', 'Python Full Stack · Beijing', demo.catalogue.classes[S5]!.start]) expect(text).toContain(part);
    expect(await page.getByTestId('my-classes').getByText('Linux 36').count()).toBe(0);
    await ui.screenshot(page, 'teacher-home');
    // A class they do not teach does not open, whatever the address.
    await page.goto(`/teach/classes/${demo.catalogue.classes['Linux 36']!.id}`);
    await page.getByText('This record does not exist, or you may not see it.').waitFor();
    await page.context().close();
  });

  it('S-14 the teacher opens Python S5 and records lesson 3 with its content and homework', async () => {
    const page = await teacherPage();
    await page.getByTestId('my-classes').getByRole('link', { name: new RegExp(S5) }).click();
    await page.waitForURL(new RegExp(`/teach/classes/${s5}$`));
    await eventually(() => page.getByTestId('lessons').locator('tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-number')))).toEqual(['1', '2']);
    expect(await page.getByTestId('students').locator('tbody tr').count()).toBe((await list('class_member', { class: s5 }, 'id')).length);
    const form = page.getByTestId('lesson-form');
    expect(await form.getByRole('heading').innerText()).toBe('Record lesson 3');
    expect(await form.getByLabel('Lesson no.').inputValue()).toBe('3');
    await form.getByLabel('Date').fill('2026-11-25');
    await form.getByLabel('Title').fill('Files and exceptions');
    await form.getByLabel('Content').fill('open(), with, text and binary files; try/except/finally');
    await form.getByLabel('Homework').fill('Count the words of a text file; handle a missing file');
    await ui.screenshot(page, 'teacher-class');
    await form.getByRole('button', { name: 'Record lesson 3' }).click();
    await page.waitForURL(/\/teach\/lessons\/\d+\/attendance$/);
    lesson3 = Number(/lessons\/(\d+)\//.exec(page.url())![1]);
    await eventually(() => page.getByTestId('flash').innerText()).toBe('Lesson 3 recorded. Take the roll call now.');
    expect((await ok(ui.admin.get(`/api/data/lesson/${lesson3}`), 200))).toMatchObject({
      class: s5, number: 3, date: '2026-11-25', title: 'Files and exceptions', teacher: demo.users.teacher, createdBy: demo.users.teacher,
      homework: 'Count the words of a text file; handle a missing file',
    });
    await page.context().close();
  });

  it('S-15 roll call for lesson 3: every student listed, 小东北 marked late; saved once, reloaded, saved again without duplicates', async () => {
    const late = demo.history.students.xiaoDongbei!;
    expect(studying).toContain(late);
    const page = await teacherPage();
    await page.goto(`/teach/lessons/${lesson3}/attendance`);
    const rows = page.getByTestId('roll-call').locator('tbody tr');
    await eventually(() => rows.count()).toBe(studying.length);
    expect((await rows.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-student'))))).sort()).toEqual([...studying].sort());
    await page.getByTestId('unsaved').waitFor();
    const row = page.locator(`tr[data-student="${late}"]`);
    expect(await row.getByRole('radio', { name: 'Present' }).isChecked()).toBe(true);
    await row.getByRole('radio', { name: 'Late' }).check();
    await row.getByRole('textbox').fill('迟到 15 分钟');
    expect(await page.getByTestId('tally').innerText()).toBe(`Present ${studying.length - 1} · Late 1 · Absent 0 · On leave 0`);
    await ui.screenshot(page, 'teacher-roll-call');
    await page.getByRole('button', { name: 'Save roll call' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toBe(`Roll call saved for ${studying.length} students.`);

    const inDatabase = async () => list('attendance', { lesson: lesson3 }, 'student,status,note,createdBy', 'student');
    const expected = [...studying].sort((a, b) => a - b).map((student) => expect.objectContaining(
      student === late ? { student, status: 'late', note: '迟到 15 分钟', createdBy: demo.users.teacher } : { student, status: 'present', note: null, createdBy: demo.users.teacher },
    ));
    expect(await inDatabase()).toEqual(expected);

    // Reloaded: the saved state, nothing marked unsaved; saving again changes no row and adds none.
    await page.reload();
    await eventually(() => row.getByRole('radio', { name: 'Late' }).isChecked()).toBe(true);
    expect(await row.getByRole('textbox').inputValue()).toBe('迟到 15 分钟');
    expect(await page.getByTestId('unsaved').count()).toBe(0);
    expect(await page.getByText('not saved yet').count()).toBe(0);
    const before = await list('attendance', { lesson: lesson3 }, 'version', 'student');
    await page.getByRole('button', { name: 'Save roll call' }).click();
    await eventually(() => page.getByTestId('flash').innerText()).toBe(`Roll call saved for ${studying.length} students.`);
    expect(await list('attendance', { lesson: lesson3 }, 'version', 'student')).toEqual(before);
    expect(await inDatabase()).toEqual(expected);
    // In Chinese, the same roll call.
    await page.getByTestId('lang').selectOption('zh');
    await eventually(() => row.getByRole('radio', { name: '迟到' }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: '保存点名' }).count()).toBe(1);
    await ui.screenshot(page, 'teacher-roll-call-zh');
    await page.context().close();
  });

  it('S-16 the teacher downloads lesson 2\'s homework as one zip and grades two submissions; a score out of range shows the server\'s error on the field', async () => {
    const lesson2 = demo.teaching.lessons[2]!;
    const handedIn = await list('homework', { lesson: lesson2 }, 'id,student.name');
    expect(handedIn.length).toBeGreaterThan(2);
    // The demo's homework names no stored files: give each one, as if uploaded.
    for (const h of handedIn) await ok(ui.admin.patch(`/api/data/homework/${h.id}`, { file: await storeFile('homework', Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(32)]), PDF) }), 200);

    const page = await teacherPage();
    await page.goto(`/teach/classes/${s5}`);
    await page.locator('tr[data-number="2"]').getByRole('link', { name: 'Homework' }).click();
    await page.waitForURL(new RegExp(`/teach/lessons/${lesson2}/homework$`));
    const rows = page.getByTestId('homework').locator('tbody tr');
    await eventually(() => rows.count()).toBe(handedIn.length);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-all').click()]);
    const entries = await zipEntries(readFileSync((await download.path())!));
    const folder = `${S5} - lesson 2`;
    expect(entries.sort()).toEqual(handedIn.map((h) => `${folder}/${h.student.name} - homework ${h.id}.pdf`).sort());

    const [first, second] = handedIn as [any, any];
    const grade = async (h: any, score: string, comment: string) => {
      const row = page.locator(`tr[data-id="${h.id}"]`);
      await row.getByLabel(`Score: ${h.student.name}`).fill(score);
      await row.getByLabel(`Comment: ${h.student.name}`).fill(comment);
      await row.getByRole('button', { name: `Save: ${h.student.name}` }).click();
      return row;
    };
    const refused = await grade(first, '150', 'too generous');
    await eventually(() => refused.locator('.field-error').innerText()).toMatch(/^Score .*100/);
    expect((await ok(ui.admin.get(`/api/data/homework/${first.id}`), 200)).score).toBeNull();
    await ui.screenshot(page, 'teacher-homework-error');
    const row1 = await grade(first, '91', '结构清晰 / clear structure');
    await eventually(() => row1.getByTestId('grade-state').innerText()).toBe('✓ Saved');
    expect(await row1.locator('.field-error').count()).toBe(0);
    const row2 = await grade(second, '78.5', 'Mind the edge cases');
    await eventually(() => row2.getByTestId('grade-state').innerText()).toBe('✓ Saved');
    await ui.screenshot(page, 'teacher-homework');

    const graded = await list('homework', { id: { in: [first.id, second.id] } }, 'score,comment,gradedAt,updatedBy');
    expect(graded).toEqual([
      expect.objectContaining({ id: first.id, score: 91, comment: '结构清晰 / clear structure', updatedBy: demo.users.teacher }),
      expect.objectContaining({ id: second.id, score: 78.5, comment: 'Mind the edge cases', updatedBy: demo.users.teacher }),
    ].sort((a, b) => 0));
    for (const h of graded) expect(Date.now() - Date.parse(h.gradedAt)).toBeLessThan(120_000);
    // Reloaded, the grades are there.
    await page.reload();
    await eventually(() => page.locator(`tr[data-id="${first.id}"]`).getByLabel(`Score: ${first.student.name}`).inputValue()).toBe('91');
    await page.context().close();
  });
});

/** The entry names of a zip. */
function zipEntries(buffer: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
