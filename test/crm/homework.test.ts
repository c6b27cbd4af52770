/**
 * Homework files (S-9, S-16) on the demo CRM with its plugin (modules/crm): student A hands in
 * homework for a lesson of Python S5 as a file; the teacher of the class downloads all of a
 * lesson's homework as one zip and grades each with the ordinary PATCH. Each test acts as the
 * person of its scenario and checks who else may not: the other class's teacher, students,
 * sales, nobody without login.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PDF } from '../../modules/crm/files/file-kinds.js';
import { storeFile } from '../../modules/crm/files/stored-files.js';
import { describeEachDialect } from '../support/databases.js';
import type { Client, Reply } from '../support/app.js';
import { all, body, day, startDemo, type CrmApp } from './demo-app.js';

const S5 = 'Python FULLSTACK S5';
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(300)]);

describeEachDialect('CRM homework files', (dialect) => {
  let crm: CrmApp;
  let dataDir: string;
  let teacher: Client, linuxTeacher: Client, student: Client, sales: Client;
  let lesson3: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stratum-crm-data-'));
    process.env.DATA_DIR = dataDir;
    crm = await startDemo(dialect, 20);
    [teacher, linuxTeacher, student, sales] = await Promise.all([crm.as('teacher'), crm.as('teacher_linux'), crm.as('student'), crm.as('sales_b')]);
    // S-14: the teacher records lesson 3 and the homework it sets.
    lesson3 = body(await teacher.post('/api/data/lesson', {
      class: crm.demo.catalogue.classes[S5]!.id, number: 3, date: day(), title: 'Object-oriented Python', homework: 'A bank account class with tests', teacher: crm.demo.users.teacher,
    }), 201).id;
  });
  afterAll(async () => crm?.close());

  const studentA = () => crm.demo.history.students.studentA!;
  const homeworkFiles = () => {
    try {
      return readdirSync(path.join(dataDir, 'uploads', 'homework'));
    } catch {
      return [];
    }
  };

  async function upload(client: Client | undefined, lesson: number, file: Blob | null, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Reply> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file) form.set('file', file, 'homework.zip');
    const res = await crm.app.app.request(`/api/plugins/crm/lessons/${lesson}/homework`, {
      method: 'POST', body: form, headers: { ...(client?.cookie ? { cookie: client.cookie } : {}), ...headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  async function download(client: Client | undefined, lesson: number): Promise<Response> {
    return crm.app.app.request(`/api/plugins/crm/lessons/${lesson}/homework.zip`, { headers: client?.cookie ? { cookie: client.cookie } : {} });
  }

  it('S-9 student A hands in homework for lesson 3 of Python S5 as a file', async () => {
    const before = homeworkFiles();
    // Refusals keep nothing: not a file of an accepted kind (by content, whatever its name), too large, none at all.
    const script = new Blob(['#!/bin/sh\necho hi\n']);
    expect(body(await upload(student, lesson3, script), 400).error.details).toEqual([expect.objectContaining({ path: '/file', code: 'file_type' })]);
    expect(body(await upload(student, lesson3, new Blob([ZIP, Buffer.alloc(3 * 1024 * 1024)])), 413).error.code).toBe('too_large');
    expect(body(await upload(student, lesson3, null), 400).error.details).toEqual([expect.objectContaining({ path: '/file', code: 'required' })]);
    // A page of another site cannot post it with the student's cookie.
    expect(body(await upload(student, lesson3, new Blob([ZIP]), {}, { origin: 'https://evil.example' }), 403).error.code).toBe('cross_origin');
    expect(homeworkFiles()).toEqual(before);
    expect(await all(crm.admin, 'homework', { lesson: lesson3 })).toEqual([]);

    const handed = body(await upload(student, lesson3, new Blob([ZIP]), { content: 'Bank account class, with tests' }, { origin: 'http://localhost' }), 201);
    expect(handed).toMatchObject({ lesson: lesson3, student: studentA(), content: 'Bank account class, with tests', score: null, createdBy: crm.demo.users.student });
    expect(handed.file).toMatch(/^uploads\/homework\/[0-9a-f]{32}\.zip$/);
    expect(Date.now() - Date.parse(handed.submittedAt)).toBeLessThan(60_000);
    expect(readFileSync(path.join(dataDir, handed.file)).equals(ZIP)).toBe(true);
    // Student A sees their own homework of the lesson, and only theirs of lesson 2.
    expect((await all(student, 'homework', { lesson: lesson3 })).map((h) => h.id)).toEqual([handed.id]);
    expect((await all(student, 'homework', { lesson: crm.demo.teaching.lessons[2] })).map((h) => h.student)).toEqual([studentA()]);
    // Once per lesson.
    expect((await upload(student, lesson3, new Blob([ZIP]))).status).toBe(409);

    // Only for a lesson of their own classes, and only as a student.
    const linux = body(await crm.admin.post('/api/data/lesson', { class: crm.demo.catalogue.classes['Linux 36']!.id, number: 1, date: day() }), 201).id;
    expect((await upload(student, linux, new Blob([ZIP]))).status).toBe(404);
    expect((await upload(teacher, lesson3, new Blob([ZIP]))).status).toBe(403);
    expect((await upload(undefined, lesson3, new Blob([ZIP]))).status).toBe(401);
    expect(await all(crm.admin, 'homework', { lesson: lesson3 })).toHaveLength(1);
  });

  it('S-16 the teacher downloads all the homework of lesson 2 as one zip, and grades each with a score and a comment', async () => {
    const lesson2 = crm.demo.teaching.lessons[2]!;
    const handedIn = await all(crm.admin, 'homework', { lesson: lesson2 }, '&sort=id&fields=id,student.name');
    expect(handedIn.length).toBeGreaterThan(2);
    // The demo's homework names no real files: give all but two of them one, as if uploaded.
    const [fake, foreign, ...uploaded] = handedIn;
    const contents = new Map<number, Buffer>();
    for (const h of uploaded) {
      const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(64)]);
      body(await crm.admin.patch(`/api/data/homework/${h.id}`, { file: await storeFile('homework', bytes, PDF) }));
      contents.set(h.id, bytes);
    }
    // A path typed into a record never reaches the disk, such as the database file next to the uploads.
    writeFileSync(path.join(dataDir, 'crm.sqlite'), 'SQLite format 3\0');
    body(await crm.admin.patch(`/api/data/homework/${foreign!.id}`, { file: 'uploads/homework/../../crm.sqlite' }));

    const res = await download(teacher, lesson2);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="lesson-\d+-homework\.zip"/);
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    const folder = `${S5} - lesson 2`;
    expect([...entries.keys()].sort()).toEqual([
      ...uploaded.map((h) => `${folder}/${h.student.name} - homework ${h.id}.pdf`),
      `${folder}/MISSING.txt`,
    ].sort());
    for (const h of uploaded) expect(entries.get(`${folder}/${h.student.name} - homework ${h.id}.pdf`)!.equals(contents.get(h.id)!)).toBe(true);
    const missing = entries.get(`${folder}/MISSING.txt`)!.toString();
    expect(missing).toContain(`homework ${fake!.id} (${fake!.student.name})`);
    expect(missing).toContain(`homework ${foreign!.id} (${foreign!.student.name})`);
    expect([...entries.values()].some((b) => b.toString().startsWith('SQLite'))).toBe(false);

    // Only graders of the class: not the Linux teacher (who does not see the lesson), a student, sales, or nobody.
    expect((await download(linuxTeacher, lesson2)).status).toBe(404);
    expect((await download(student, lesson2)).status).toBe(403);
    expect((await download(sales, lesson2)).status).toBe(403);
    expect((await download(undefined, lesson2)).status).toBe(401);

    // Grading online: the ordinary PATCH, score and comment; student A reads theirs.
    const mine = (await all(student, 'homework', { lesson: lesson2 }))[0];
    const graded = body(await teacher.patch(`/api/data/homework/${mine.id}`, { score: 91, comment: '结构清晰 / clear structure', gradedAt: new Date().toISOString() }));
    expect(graded).toMatchObject({ score: 91, comment: '结构清晰 / clear structure', updatedBy: crm.demo.users.teacher });
    expect(body(await student.get(`/api/data/homework/${mine.id}`))).toMatchObject({ score: 91, comment: '结构清晰 / clear structure' });
    // What a teacher may write is the grade, not the submission; the other class's teacher, none of it; a student may not grade.
    expect(body(await teacher.patch(`/api/data/homework/${mine.id}`, { file: 'uploads/homework/other.zip' }), 400).error.details).toEqual([expect.objectContaining({ path: '/file' })]);
    expect((await linuxTeacher.patch(`/api/data/homework/${mine.id}`, { score: 10 })).status).toBe(404);
    expect((await student.patch(`/api/data/homework/${mine.id}`, { score: 100 })).status).toBe(403);
    expect(body(await crm.admin.get(`/api/data/homework/${mine.id}`))).toMatchObject({ score: 91, file: mine.file });
  });
});

/** The entries of a zip, by name. */
function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
