/**
 * S-15's roll call in one request (modules/crm/roll-call): the teacher of Python S5 saves every
 * student's status for a lesson at once; saving again updates the same rows; a bad row saves
 * nothing and names the row and the field; nobody reaches a class they do not teach.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { all, body, day, startDemo, type CrmApp } from './demo-app.js';

describeEachDialect('CRM roll call', (dialect) => {
  let crm: CrmApp;
  let teacher: Client, linuxTeacher: Client, student: Client;
  let lesson3: number;
  let members: number[];

  beforeAll(async () => {
    crm = await startDemo(dialect, 10);
    [teacher, linuxTeacher, student] = await Promise.all([crm.as('teacher'), crm.as('teacher_linux'), crm.as('student')]);
    const s5 = crm.demo.catalogue.classes['Python FULLSTACK S5']!.id;
    lesson3 = body(await teacher.post('/api/data/lesson', { class: s5, number: 3, date: day() }), 201).id;
    members = (await all(teacher, 'class_member', { class: s5 }, '&fields=student&sort=student')).map((m) => m.student);
  });
  afterAll(async () => crm?.close());

  const save = (client: Client, rows: unknown, lesson = lesson3) => client.put(`/api/plugins/crm/lessons/${lesson}/attendance`, { rows });
  const saved = async () => (await all(crm.admin, 'attendance', { lesson: lesson3 }, '&sort=student&fields=student,status,note,createdBy')).map(({ id: _, ...a }) => a);

  it('S-15 the teacher saves the roll call of lesson 3 in one request; saving again updates the same rows', async () => {
    const late = members[0]!;
    const first = members.map((student) => ({ student, status: student === late ? 'late' : 'present', note: student === late ? ' 迟到 15 分钟 ' : '' }));
    expect(body(await save(teacher, first)).data).toHaveLength(members.length);
    const expected = members.map((student) => ({ student, status: student === late ? 'late' : 'present', note: student === late ? '迟到 15 分钟' : null, createdBy: crm.demo.users.teacher }));
    expect(await saved()).toEqual(expected);

    // The late student was in fact on leave; the rest are saved unchanged, and no row is added.
    const second = first.map((r) => (r.student === late ? { ...r, status: 'leave', note: '请假' } : r));
    body(await save(teacher, second));
    expect(await saved()).toEqual(expected.map((a) => (a.student === late ? { ...a, status: 'leave', note: '请假' } : a)));
  });

  it('S-15 a bad row saves nothing and is named with its field; so is a student of another class', async () => {
    const before = await saved();
    const bad = body(await save(teacher, [{ student: members[0], status: 'absent' }, { student: members[1], status: 'sleeping' }]), 400);
    expect(bad.error.details).toEqual([expect.objectContaining({ path: '/rows/1/status' })]);
    // Even the admin, who sees every student, records only the class's own.
    const stranger = (await all(crm.admin, 'student', { memberships: { none: { class: crm.demo.catalogue.classes['Python FULLSTACK S5']!.id } } }, '&fields=id'))[0]!.id;
    expect(body(await save(crm.admin, [{ student: members[0], status: 'absent' }, { student: stranger, status: 'present' }]), 400).error.details)
      .toEqual([expect.objectContaining({ path: '/rows/1/student', code: 'not_member' })]);
    expect(body(await save(teacher, [{ student: members[0], status: 'absent' }, { student: members[0], status: 'late' }]), 400).error.details)
      .toEqual([expect.objectContaining({ path: '/rows/1/student', code: 'duplicate' })]);
    expect(body(await save(teacher, []), 400).error.details).toEqual([expect.objectContaining({ path: '/rows' })]);
    expect(await saved()).toEqual(before);
  });

  it('S-15 only the teachers of the class: not the Linux teacher, a student or nobody', async () => {
    const before = await saved();
    const rows = [{ student: members[0], status: 'absent' }];
    expect((await save(linuxTeacher, rows)).status).toBe(404);
    expect((await save(student, rows)).status).toBe(403);
    expect((await crm.app.client().put(`/api/plugins/crm/lessons/${lesson3}/attendance`, { rows })).status).toBe(401);
    expect((await save(teacher, rows, 999_999)).status).toBe(404);
    expect(await saved()).toEqual(before);
  });
});
