/**
 * The teacher scenarios (S-13, S-14, S-15): `teacher` teaches the Python classes, `teacher_linux`
 * the Linux ones. A teacher sees the classes they teach and, through them, their lessons,
 * students, roll calls and homework — nothing of the other classes, nor of the sales side.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { aggregate, all, body, day, ids, startDemo, type CrmApp } from './demo-app.js';

describeEachDialect('CRM teacher scenarios', (dialect) => {
  let crm: CrmApp;
  let teacher: Client, linuxTeacher: Client;
  let s5: number;
  let lesson3: number;

  beforeAll(async () => {
    crm = await startDemo(dialect);
    [teacher, linuxTeacher] = await Promise.all([crm.as('teacher'), crm.as('teacher_linux')]);
    s5 = crm.demo.catalogue.classes['Python FULLSTACK S5']!.id;
  });
  afterAll(async () => crm?.close());

  it('S-13 a teacher logs in and lists the classes they teach', async () => {
    const classes = await all(teacher, 'class', undefined, '&fields=name,status&sort=name');
    expect(classes.map((c) => c.name)).toEqual(['Python FULLSTACK S3', 'Python FULLSTACK S4', 'Python FULLSTACK S5', 'Python FULLSTACK S6']);
    expect(classes.find((c) => c.name === 'Python FULLSTACK S5')!.status).toBe('running');
    expect((await all(linuxTeacher, 'class', undefined, '&sort=name&fields=name')).map((c) => c.name)).toEqual(['Linux 34', 'Linux 35', 'Linux 36']);
    expect((await teacher.get(`/api/data/class/${crm.demo.catalogue.classes['Linux 36']!.id}`)).status).toBe(404);
    // Their students are those of their classes; the sales side is closed to them.
    const students = await all(teacher, 'student', undefined, '&fields=name');
    const python = await all(crm.admin, 'student', { memberships: { some: { 'class.course': crm.demo.catalogue.courses.python } } });
    expect(ids(students)).toEqual(ids(python));
    expect((await teacher.get('/api/data/customer')).status).toBe(403);
    expect((await teacher.get('/api/data/payment')).status).toBe(403);
  });

  it('S-14 the teacher opens Python S5 and records lesson 3 with its content and homework', async () => {
    expect(body(await teacher.get(`/api/data/class/${s5}?fields=name,course.name,campus.name`))).toMatchObject({ name: 'Python FULLSTACK S5', course: { name: 'Python Full Stack' }, campus: { name: 'Beijing' } });
    expect((await all(teacher, 'lesson', { class: s5 }, '&fields=number')).map((l) => l.number)).toEqual([1, 2]);
    const lesson = body(await teacher.post('/api/data/lesson', {
      class: s5, number: 3, date: day(), teacher: crm.demo.users.teacher, title: 'Files and exceptions',
      content: 'open(), with, text and binary files; try/except/finally', homework: 'Count the words of a text file; handle a missing file',
    }), 201);
    lesson3 = lesson.id;
    expect(lesson).toMatchObject({ number: 3, createdBy: crm.demo.users.teacher });
    // Lesson 3 exists once; the Linux teacher cannot add lessons to a class they do not teach.
    expect((await teacher.post('/api/data/lesson', { class: s5, number: 3 })).status).toBe(409);
    const foreign = await linuxTeacher.post('/api/data/lesson', { class: s5, number: 4 });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details).toEqual([expect.objectContaining({ path: '/class', code: 'invalid_reference' })]);
    // The class's students see the new lesson and its homework.
    const student = await crm.as('student');
    expect(body(await student.get(`/api/data/lesson/${lesson3}?fields=homework`)).homework).toContain('missing file');
  });

  it('S-15 the teacher takes the roll call for lesson 3 and marks 小东北 late', async () => {
    const members = await all(teacher, 'class_member', { class: s5, status: 'studying' }, '&fields=student,student.name');
    const late = crm.demo.history.students.xiaoDongbei!;
    expect(members.map((m) => m.student.name)).toContain('小东北');
    for (const m of members) {
      const status = m.student.id === late ? 'late' : 'present';
      body(await teacher.post('/api/data/attendance', { lesson: lesson3, student: m.student.id, status, ...(status === 'late' ? { note: '迟到 15 分钟' } : {}) }), 201);
    }
    const tally = await aggregate(teacher, 'attendance', 'status', 'count()', { lesson: lesson3 });
    expect(tally).toEqual([{ status: 'late', 'count()': 1 }, { status: 'present', 'count()': members.length - 1 }]);
    expect(body(await teacher.get(`/api/data/attendance?filter=${encodeURIComponent(JSON.stringify({ lesson: lesson3, status: 'late' }))}&fields=student.name,note`)).data)
      .toEqual([expect.objectContaining({ student: { id: late, name: '小东北' }, note: '迟到 15 分钟' })]);
    // Each student sees only their own roll call; the Linux teacher sees none of this class's.
    const student = await crm.as('student');
    expect(await all(student, 'attendance', { lesson: lesson3 }, '&fields=status,student')).toEqual([expect.objectContaining({ status: 'present', student: crm.demo.history.students.studentA })]);
    expect(await all(linuxTeacher, 'attendance', { lesson: lesson3 })).toEqual([]);
    expect((await linuxTeacher.post('/api/data/attendance', { lesson: lesson3, student: late, status: 'absent' })).status).toBe(400);
  });
});
