import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';

/**
 * API.md "No side channels": a course's teacher is marked `"x-scope": false`, so a user limited to
 * some teachers still sees every course — but never the other teachers, whether by embedding,
 * filtering, sorting or grouping through `course.teacher`.
 */
describeEachDialect('related records the caller may not see are absent everywhere', (dialect) => {
  let app: TestApp;
  let user: Client;
  const teachers: Record<string, number> = {};
  const courses: { id: number; teacher: string }[] = [];
  beforeAll(async () => {
    app = await startTestApp(dialect);
    const admin = await app.admin();
    await admin.post('/api/modules', { $id: 'teacher', type: 'object', properties: { name: { type: 'string', maxLength: 40 } }, required: ['name'] });
    await admin.post('/api/modules', {
      $id: 'course', type: 'object',
      properties: { title: { type: 'string', maxLength: 40 }, hours: { type: 'integer' }, teacher: { type: 'integer', 'x-ref': 'teacher', 'x-scope': false } },
      required: ['title'],
    });
    for (const name of ['Ann', 'Bob', 'Cyd']) teachers[name] = (await admin.post('/api/data/teacher', { name })).body.id;
    for (const [i, t] of ['Ann', 'Bob', 'Cyd', 'Bob', 'Ann'].entries()) {
      courses.push({ id: (await admin.post('/api/data/course', { title: `c${i}`, hours: 10 * (i + 1), teacher: teachers[t] })).body.id, teacher: t });
    }
    const role = (await admin.post('/api/data/role', { name: 'reader' })).body.id;
    for (const module of ['teacher', 'course']) await admin.post('/api/data/permission', { role, module, actions: ['read'] });
    const u = await admin.post('/api/data/user', { username: 'ann_only', password: 'password-123', roles: [role] });
    await admin.post('/api/data/rule', { name: 'only Ann', module: 'teacher', filter: { name: 'Ann' }, actions: ['read'], users: [u.body.id] });
    user = await app.client().login('ann_only', 'password-123');
  });
  afterAll(async () => app?.close());

  it('x-scope: false keeps the rule on teachers from restricting courses', async () => {
    expect((await user.get('/api/data/teacher')).body.data.map((t: { name: string }) => t.name)).toEqual(['Ann']);
    expect((await user.get('/api/data/course')).body.meta.total).toBe(5);
  });

  it('embedding shows an invisible teacher as null', async () => {
    const r = await user.get('/api/data/course?fields=title,teacher.name&sort=title');
    expect(r.body.data.map((c: { teacher: { name: string } | null }) => c.teacher?.name ?? null)).toEqual(['Ann', null, null, null, 'Ann']);
  });

  it('a filter through the teacher cannot find courses by an invisible teacher', async () => {
    expect((await user.get(`/api/data/course?${filterParam({ 'teacher.name': 'Bob' })}`)).body.meta.total).toBe(0);
    expect((await user.get(`/api/data/course?${filterParam({ 'teacher.name': 'Ann' })}`)).body.meta.total).toBe(2);
  });

  it('grouping by the teacher puts invisible teachers under null, and the counts still add up', async () => {
    const r = await user.get('/api/data/course/aggregate?groupBy=teacher.name&metrics=count(),sum(hours)');
    expect(r.body.data).toEqual([
      { 'teacher.name': null, 'count()': 3, 'sum(hours)': 20 + 30 + 40 },
      { 'teacher.name': 'Ann', 'count()': 2, 'sum(hours)': 10 + 50 },
    ]);
  });

  it('sorting by the teacher orders invisible teachers as null, revealing nothing of their names', async () => {
    const asc = await user.get('/api/data/course?sort=teacher.name,title&fields=title');
    expect(asc.body.data.map((c: { title: string }) => c.title)).toEqual(['c1', 'c2', 'c3', 'c0', 'c4']);
  });
});
