/**
 * S-9: student A sees what they handed in, the file itself included
 * (`GET /api/plugins/crm/homework/:id/file`); the teacher of the class gets it too. Nobody gets a
 * file of a submission they may not read: another student, the other class's teacher, sales,
 * nobody without login; and a record that names no stored upload gives no file.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { all, body, day, startDemo, type CrmApp } from './demo-app.js';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(300)]);

describeEachDialect('CRM homework file download', (dialect) => {
  let crm: CrmApp;
  let student: Client, teacher: Client, linuxTeacher: Client, sales: Client;
  let handed: { id: number; file: string };

  beforeAll(async () => {
    process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'stratum-crm-data-'));
    crm = await startDemo(dialect, 5);
    [student, teacher, linuxTeacher, sales] = await Promise.all([crm.as('student'), crm.as('teacher'), crm.as('teacher_linux'), crm.as('sales_b')]);
    const lesson = body(await crm.admin.post('/api/data/lesson', { class: crm.demo.catalogue.classes['Python FULLSTACK S5']!.id, number: 3, date: day(), homework: 'A bank account class' }), 201).id;
    const form = new FormData();
    form.set('file', new Blob([PDF]), 'bank.pdf');
    const res = await crm.app.app.request(`/api/plugins/crm/lessons/${lesson}/homework`, { method: 'POST', body: form, headers: { cookie: student.cookie } });
    expect(res.status).toBe(201);
    handed = await res.json();
  });
  afterAll(async () => crm?.close());

  const download = (client: Client | undefined, id: number) =>
    crm.app.app.request(`/api/plugins/crm/homework/${id}/file`, { headers: client?.cookie ? { cookie: client.cookie } : {} });

  it('S-9 student A downloads the file they handed in, as does the teacher of the class', async () => {
    for (const who of [student, teacher]) {
      const res = await download(who, handed.id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="homework-${handed.id}.pdf"`);
      expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    }
  });

  it('S-9 nobody else gets it: another student\'s homework, the other class\'s teacher, sales, no login; nor a file that was never stored', async () => {
    const theirs = (await all(crm.admin, 'homework', { student: { ne: crm.demo.history.students.studentA } }, '&fields=id,file'))[0]!;
    // The demo's homework names paths that are no stored upload: admin, who reads every record, gets 404 too.
    expect((await download(crm.admin, theirs.id)).status).toBe(404);
    expect((await download(student, theirs.id)).status).toBe(404);
    expect((await download(linuxTeacher, handed.id)).status).toBe(404);
    expect((await download(sales, handed.id)).status).toBe(403);
    expect((await download(undefined, handed.id)).status).toBe(401);
    expect((await download(student, 999_999)).status).toBe(404);
    expect((await crm.app.app.request('/api/plugins/crm/homework/../../crm.sqlite/file', { headers: { cookie: student.cookie } })).status).toBe(404);
  });
});
