/**
 * The student scenarios (S-8, S-10, S-11, S-12) as student A (周小明, login `student`), who
 * enrolled in Python FULLSTACK S5 through sales B: they see only their own contract, classes,
 * homework and grades; the knowledge base and surveys are open to them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { aggregate, all, body, ids, startDemo, type CrmApp } from './demo-app.js';

describeEachDialect('CRM student scenarios', (dialect) => {
  let crm: CrmApp;
  let student: Client;
  let me: number;
  let s5: number;

  beforeAll(async () => {
    crm = await startDemo(dialect);
    student = await crm.as('student');
    me = crm.demo.history.students.studentA!;
    s5 = crm.demo.catalogue.classes['Python FULLSTACK S5']!.id;
  });
  afterAll(async () => crm?.close());

  it('S-8 student A logs in and sees their contract, their classes and the course outline, and nobody else\'s', async () => {
    expect(body(await student.get('/api/auth/me')).user).toMatchObject({ username: 'student', roles: ['student'] });
    expect(await all(student, 'student', undefined, '&fields=name')).toEqual([{ id: me, name: '周小明' }]);
    // The contract: their approved enrollment, with the agreed template's text.
    const contracts = await all(student, 'enrollment', undefined, '&fields=class.name,status,price,agreedAt,contractTemplate.name,contractTemplate.content');
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({ class: { name: 'Python FULLSTACK S5' }, status: 'approved', price: 19800, contractTemplate: { name: 'Python Full Stack agreement' } });
    expect(contracts[0].contractTemplate.content).toContain('six months');
    const payments = await all(student, 'payment', undefined, '&fields=amount,enrollment');
    expect(payments.length).toBeGreaterThan(0);
    expect(new Set(payments.map((p) => p.enrollment))).toEqual(new Set([contracts[0].id]));
    // Their class and its course, with the outline; nothing of the other courses and classes.
    expect(await all(student, 'class', undefined, '&fields=name,course.name')).toEqual([{ id: s5, name: 'Python FULLSTACK S5', course: { id: crm.demo.catalogue.courses.python, name: 'Python Full Stack' } }]);
    const courses = await all(student, 'course', undefined, '&fields=name,outline,periodWeeks');
    expect(courses.map((c) => c.name)).toEqual(['Python Full Stack']);
    expect(courses[0].outline).toContain('Django');
    expect((await student.get(`/api/data/class/${crm.demo.catalogue.classes['Linux 36']!.id}`)).status).toBe(404);
    expect((await student.get(`/api/data/course/${crm.demo.catalogue.courses.linux}`)).status).toBe(404);
    // Another student's enrollment and the sales side of the CRM are not theirs.
    const other = (await all(crm.admin, 'enrollment', { status: 'approved', student: { ne: me } }))[0]!;
    expect((await student.get(`/api/data/enrollment/${other.id}`)).status).toBe(404);
    expect((await student.get('/api/data/customer')).status).toBe(403);
    expect((await student.get('/api/data/followup')).status).toBe(403);
  });

  it('S-10 student A views their grades and their rank in Python S5', async () => {
    // Grades: their homework scores in the class (only their own submissions are visible).
    const homework = await all(student, 'homework', { 'lesson.class': s5 }, '&fields=lesson.number,score,comment,student&sort=lesson');
    expect(homework.length).toBe(2);
    expect(new Set(homework.map((h) => h.student))).toEqual(new Set([me]));
    expect(homework[0]).toMatchObject({ lesson: { number: 1 } });
    expect(homework[0].score).toBeGreaterThan(0);
    // The overall grade in the class is on their membership.
    const mine = (await all(student, 'class_member', { class: s5, student: me }, '&fields=score'))[0]!;
    expect(mine.score).toBe(homework[0].score);
    // Rank = 1 + how many classmates have a higher grade: one aggregate over the class's
    // memberships, which a student sees without names (the student records are only their own).
    const [higher] = await aggregate(student, 'class_member', 'class', 'count()', { class: s5, score: { gt: mine.score } });
    const rank = 1 + Number(higher?.['count()'] ?? 0);
    const scores = (await all(crm.admin, 'class_member', { class: s5 }, '&fields=score')).map((m) => m.score ?? -1).sort((x, y) => y - x);
    expect(rank).toBe(scores.indexOf(mine.score) + 1);
    const classmates = await all(student, 'class_member', { class: s5 }, '&fields=student.name,score');
    expect(classmates.length).toBe(scores.length);
    expect(classmates.filter((m) => m.student !== null).map((m) => m.student.name)).toEqual(['周小明']);
    // Their classmates' homework itself stays hidden.
    const theirs = (await all(crm.admin, 'homework', { 'lesson.class': s5, student: { ne: me } }))[0]!;
    expect((await student.get(`/api/data/homework/${theirs.id}`)).status).toBe(404);
    // Students read their grades; they do not give them.
    const lesson2 = crm.demo.teaching.lessons[2]!;
    const refused = await student.post('/api/data/homework', { lesson: lesson2, student: me, score: 100 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/score', code: 'field_forbidden' })]));
  });

  it('S-11 student A enters a referral', async () => {
    const referral = body(await student.post('/api/data/referral', {
      referrer: me, name: '周大明', phone: '13712345678', course: crm.demo.catalogue.courses.python, notes: 'My cousin, wants to change careers',
    }), 201);
    expect(referral).toMatchObject({ referrer: me, phone: '13712345678', status: 'new', createdBy: crm.demo.users.student });
    expect(ids(await all(student, 'referral'))).toEqual([referral.id]);
    // A referral is entered as oneself: naming another student (whom they cannot see) is refused.
    const other = (await all(crm.admin, 'student', { id: { ne: me } }))[0]!;
    const refused = await student.post('/api/data/referral', { referrer: other.id, name: 'Someone' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: '/referrer', code: 'invalid_reference' })]);
    // Sales B, student A's consultant's department, follows the referral up; sales 1 does not see it.
    const b = await crm.as('sales_b');
    expect(body(await b.get(`/api/data/referral/${referral.id}`))).toMatchObject({ name: '周大明' });
    expect(body(await b.patch(`/api/data/referral/${referral.id}`, { status: 'contacted' }))).toMatchObject({ status: 'contacted' });
    expect((await (await crm.as('sales_a')).get(`/api/data/referral/${referral.id}`)).status).toBe(404);
  });

  it('S-12 student A searches the knowledge base, finds no answer, and submits a question', async () => {
    expect((await all(student, 'article', undefined, '&q=pip')).map((a) => a.title)).toEqual(['pip install is slow: use a mirror']);
    expect(await all(student, 'article', undefined, '&q=virtualenv')).toEqual([]);
    const question = body(await student.post('/api/data/question', {
      title: 'How do I use virtualenv on Windows?', content: 'activate is not found', course: crm.demo.catalogue.courses.python,
    }), 201);
    expect(question).toMatchObject({ status: 'open', answer: null, createdBy: crm.demo.users.student });
    // They see their own questions only; a teacher sees and answers it.
    const elsewhere = body(await crm.admin.post('/api/data/question', { title: 'Asked by someone else' }), 201);
    expect(ids(await all(student, 'question'))).toEqual([question.id]);
    expect((await student.get(`/api/data/question/${elsewhere.id}`)).status).toBe(404);
    const teacher = await crm.as('teacher');
    expect(ids(await all(teacher, 'question', { status: 'open' }))).toEqual([question.id, elsewhere.id].sort((x, y) => x - y));
    body(await teacher.patch(`/api/data/question/${question.id}`, { status: 'answered', answer: 'Run Scripts\\activate in cmd', answeredBy: crm.demo.users.teacher }));
    expect(body(await student.get(`/api/data/question/${question.id}?fields=status,answer,answeredBy`))).toMatchObject({ status: 'answered', answer: 'Run Scripts\\activate in cmd' });
    // Nor may a student answer questions.
    expect((await student.patch(`/api/data/question/${question.id}`, { answer: 'self-service' })).status).toBe(403);
  });
});
