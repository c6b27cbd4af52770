/**
 * The admin scenarios (S-17..S-22), from an empty CRM (its modules, no demo): courses, campuses,
 * classes, the sales accounts, the roles, and what sales may do — all through the API, with the
 * sales role's permissions and rule taken from modules/crm/demo/roles.json. Then sales A uses them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CRM_ROLES } from '../../modules/crm/demo/install-roles.js';
import { describeEachDialect } from '../support/databases.js';
import type { Client, TestApp } from '../support/app.js';
import { all, body, startCrm } from './demo-app.js';

const PASSWORD = 'sales-password-1';

describeEachDialect('CRM admin scenarios', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const id: Record<string, number> = {};

  beforeAll(async () => {
    app = await startCrm(dialect);
    admin = await app.admin();
  });
  afterAll(async () => app?.close());

  it('S-17 the admin creates the courses Linux and Python', async () => {
    id.linux = body(await admin.post('/api/data/course', { name: 'Linux', price: 12800, periodWeeks: 12, outline: 'Shell, services, networking' }), 201).id;
    id.python = body(await admin.post('/api/data/course', { name: 'Python', price: 19800, periodWeeks: 20, outline: 'Python, Django, a CRM project' }), 201).id;
    expect((await all(admin, 'course', undefined, '&fields=name,price')).map((c) => [c.name, c.price])).toEqual([['Linux', 12800], ['Python', 19800]]);
    expect((await admin.post('/api/data/course', { name: 'python', price: 1 })).status).toBe(409);
  });

  it('S-18 the admin creates the campuses Beijing and Shanghai', async () => {
    id.beijing = body(await admin.post('/api/data/campus', { name: 'Beijing', city: '北京' }), 201).id;
    id.shanghai = body(await admin.post('/api/data/campus', { name: 'Shanghai', city: '上海' }), 201).id;
    expect((await all(admin, 'campus', undefined, '&fields=name')).map((c) => c.name)).toEqual(['Beijing', 'Shanghai']);
  });

  it('S-19 the admin creates the classes Python FULLSTACK S5 and Linux 36', async () => {
    id.s5 = body(await admin.post('/api/data/class', { name: 'Python FULLSTACK S5', course: id.python, campus: id.beijing, semester: 5, startDate: '2026-03-01' }), 201).id;
    id.l36 = body(await admin.post('/api/data/class', { name: 'Linux 36', course: id.linux, campus: id.shanghai, semester: 36 }), 201).id;
    expect(await all(admin, 'class', undefined, '&fields=name,course.name,status&sort=name')).toEqual([
      { id: id.l36, name: 'Linux 36', course: { id: id.linux, name: 'Linux' }, status: 'planned' },
      { id: id.s5, name: 'Python FULLSTACK S5', course: { id: id.python, name: 'Python' }, status: 'planned' },
    ]);
    // One run per course and semester: a second Python S5 is a duplicate.
    const again = await admin.post('/api/data/class', { name: 'Python S5 again', course: id.python, campus: id.shanghai, semester: 5 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate', existing: { id: id.s5 } });
  });

  it('S-20 the admin creates the accounts A, B, C and D', async () => {
    for (const code of ['0010', '001001', '001002', '001003']) id[code] = body(await admin.post('/api/data/department', { code, name: `Sales ${code}` }), 201).id;
    const departments: Record<string, string> = { a: '001001', b: '001002', c: '001003', d: '001001' };
    for (const [who, code] of Object.entries(departments)) {
      const user = body(await admin.post('/api/data/user', { username: `sales_${who}`, password: PASSWORD, name: `Sales ${who.toUpperCase()}`, department: id[code] }), 201);
      expect(user).not.toHaveProperty('password');
      id[who] = user.id;
    }
    // They can log in, but nothing is granted yet: denied by default.
    const a = await app.client().login('sales_a', PASSWORD);
    expect(body(await a.get('/api/auth/me')).user).toMatchObject({ username: 'sales_a', roles: [] });
    expect((await a.get('/api/data/customer')).status).toBe(403);
  });

  it('S-21 the admin creates the roles sales, teacher and student, and puts A–D in sales', async () => {
    for (const name of ['sales', 'teacher', 'student']) id[name] = body(await admin.post('/api/data/role', { name }), 201).id;
    for (const who of ['a', 'b', 'c', 'd']) body(await admin.patch(`/api/data/user/${id[who]}`, { roles: [id.sales] }));
    expect(await all(admin, 'user', { roles: { some: { name: 'sales' } } }, '&fields=username')).toEqual(['a', 'b', 'c', 'd'].map((w) => ({ id: id[w], username: `sales_${w}` })));
    const b = await app.client().login('sales_b', PASSWORD);
    expect(body(await b.get('/api/auth/me')).user.roles).toEqual(['sales']);
  });

  it('S-22 the admin sets what the sales role may do, and it applies at once', async () => {
    const sales = CRM_ROLES.find((r) => r.name === 'sales')!;
    const a = await app.client().login('sales_a', PASSWORD);
    const d = await app.client().login('sales_d', PASSWORD);
    for (const p of sales.permissions) body(await admin.post('/api/data/permission', { role: id.sales, ...p }), 201);
    for (const r of sales.rules) body(await admin.post('/api/data/rule', { ...r, roles: [id.sales] }), 201);
    // Already logged in, A may now enter a customer of their own and read the catalogue…
    const mine = body(await a.post('/api/data/customer', { name: '新客户', phone: '13500000001', source: 'walk_in', consultant: id.a, intendedCourse: id.python }), 201);
    expect((await all(a, 'class', undefined, '&fields=name')).length).toBe(2);
    // …and D, in the same department, reads it but may not change it; nobody in sales deletes customers or creates classes.
    expect(body(await d.get(`/api/data/customer/${mine.id}`)).name).toBe('新客户');
    expect((await d.patch(`/api/data/customer/${mine.id}`, { notes: 'x' })).status).toBe(403);
    expect((await a.delete(`/api/data/customer/${mine.id}`)).status).toBe(403);
    expect((await a.post('/api/data/class', { name: 'X', course: id.python, campus: id.beijing, semester: 9 })).status).toBe(403);
    // B, in sales 2, does not see sales 1's customer.
    const b = await app.client().login('sales_b', PASSWORD);
    expect((await b.get(`/api/data/customer/${mine.id}`)).status).toBe(404);
  });
});
