/**
 * The sales scenarios of SCENARIOS.md (S-1, S-3, S-4, S-5) and C-5, on the demo CRM: each test
 * logs in as the salesperson of its scenario and checks what they see, what they may change and
 * what they may not. Sales A and D are in sales 1 (001001), B in sales 2, C in sales 3.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { all, body, day, ids, startDemo, type CrmApp } from './demo-app.js';

describeEachDialect('CRM sales scenarios', (dialect) => {
  let crm: CrmApp;
  let a: Client, b: Client, c: Client, d: Client;

  beforeAll(async () => {
    crm = await startDemo(dialect);
    [a, b, c, d] = await Promise.all([crm.as('sales_a'), crm.as('sales_b'), crm.as('sales_c'), crm.as('sales_d')]);
  });
  afterAll(async () => crm?.close());

  const users = () => crm.demo.users;
  const adminCount = async (module: string) => body(await crm.admin.get(`/api/data/${module}?pageSize=1`)).meta.total as number;

  it('S-1 sales A enters a lead from Baidu, interested in Python full stack, not enrolled', async () => {
    const python = crm.demo.catalogue.courses.python;
    const created = body(await a.post('/api/data/customer', {
      name: '马小跳', phone: '18612340001', source: 'baidu', intendedCourse: python, consultant: users().sales_a, enquiryDate: day(), notes: 'Chatted on Baidu ads',
    }), 201);
    expect(created).toMatchObject({ name: '马小跳', phone: '18612340001', status: 'new', source: 'baidu', intendedCourse: python, consultant: users().sales_a, createdBy: users().sales_a });
    // A finds them again by name and sees them as not enrolled; nobody has an enrollment for them.
    const found = body(await a.get(`/api/data/customer?q=${encodeURIComponent('马小跳')}&fields=name,status,intendedCourse.name`)).data;
    expect(found).toEqual([{ id: created.id, name: '马小跳', status: 'new', intendedCourse: { id: python, name: 'Python Full Stack' } }]);
    expect(await all(crm.admin, 'enrollment', { customer: created.id })).toEqual([]);
    // Their department sees the lead; another department does not.
    expect(body(await d.get(`/api/data/customer/${created.id}`)).consultant).toBe(users().sales_a);
    expect((await b.get(`/api/data/customer/${created.id}`)).status).toBe(404);
    // A lead is entered for oneself: one for a colleague is outside what A may create, and nothing is written.
    const before = await adminCount('customer');
    const forD = await a.post('/api/data/customer', { name: '代录', phone: '18612340002', source: 'baidu', consultant: users().sales_d });
    expect(forD.status).toBe(403);
    expect(await adminCount('customer')).toBe(before);
  });

  it('S-3 sales C phones an earlier lead, fails to convince them to join Linux 36, and adds a follow-up', async () => {
    const liu = crm.demo.history.customers.liuChang;
    const linux36 = crm.demo.catalogue.classes['Linux 36']!.id;
    // C sees the class the lead hesitates about, and the lead's history so far.
    expect(body(await c.get(`/api/data/class/${linux36}?fields=name,startDate,course.name`))).toMatchObject({ name: 'Linux 36', course: { name: 'Linux' } });
    expect((await all(c, 'followup', { customer: liu })).length).toBe(1);
    const followup = body(await c.post('/api/data/followup', {
      customer: liu, date: day(), method: 'phone', content: 'Called about Linux 36: still too expensive for now', intent: 'low', nextStep: 'Offer the instalment plan', nextDate: day(14),
    }), 201);
    expect(followup).toMatchObject({ customer: liu, intent: 'low', createdBy: users().sales_c });
    const history = await all(c, 'followup', { customer: liu }, '&sort=-date&fields=date,intent');
    expect(history.map((f) => f.intent)).toEqual(['low', 'medium']);
    expect(body(await c.get(`/api/data/customer/${liu}`))).toMatchObject({ status: 'following' });
    // Not enrolled in Linux 36: no enrollment of theirs.
    expect(await all(crm.admin, 'enrollment', { customer: liu })).toEqual([]);
    // The follow-up belongs to sales 3: sales 1 cannot see it, nor add one to a lead of sales 2.
    expect((await a.get(`/api/data/followup/${followup.id}`)).status).toBe(404);
    const wang = crm.demo.history.customers.wangFang;
    const refused = await c.post('/api/data/followup', { customer: wang, date: day(), method: 'phone' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: '/customer', code: 'invalid_reference' })]);
  });

  it('S-4 sales D enters a lead who already exists: refused, and told that sales B owns them', async () => {
    const wang = crm.demo.history.customers.wangFang;
    const before = await adminCount('customer');
    const byPhone = await d.post('/api/data/customer', { name: '王芳', phone: '13800138000', source: 'phone', consultant: users().sales_d });
    expect(byPhone.status).toBe(409);
    expect(byPhone.body.error).toMatchObject({
      code: 'duplicate',
      existing: { id: wang, owner: { id: users().sales_b, username: 'sales_b', name: '王强 (Sales B)' } },
      details: [{ path: '/phone', code: 'duplicate' }],
    });
    expect(byPhone.body.error.message).toContain('王强 (Sales B)');
    const byQq = await d.post('/api/data/customer', { name: 'Fang W.', qq: '100200300', source: 'qq_group', consultant: users().sales_d });
    expect(byQq.status).toBe(409);
    expect(byQq.body.error).toMatchObject({ code: 'duplicate', existing: { id: wang, owner: { username: 'sales_b' } }, details: [{ path: '/qq' }] });
    // D learns who to tell, but still cannot read the customer of another department; nothing was written.
    expect((await d.get(`/api/data/customer/${wang}`)).status).toBe(404);
    expect(await adminCount('customer')).toBe(before);
  });

  it('S-5 sales B filters the customers not followed up for more than a month, and follows one up', async () => {
    const stale = { followups: { none: { date: { gt: '$now-30d' } } } };
    const listed = await all(b, 'customer', stale, '&fields=consultant,status');
    // Only B's department (B works alone in sales 2), and the month is measured on the follow-ups.
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed.map((r) => r.consultant))).toEqual(new Set([users().sales_b]));
    const allOfB = await all(crm.admin, 'customer', { consultant: users().sales_b }, '&fields=id');
    const followups = await all(crm.admin, 'followup', { customer: { in: ids(allOfB) } }, '&fields=customer,date');
    const last = new Map<number, string>();
    for (const f of followups) if ((last.get(f.customer) ?? '') < f.date) last.set(f.customer, f.date);
    const listedIds = new Set(ids(listed));
    for (const customer of ids(allOfB)) {
      const when = last.get(customer);
      // Away from the boundary day, the list must agree with the follow-ups themselves.
      if (when === undefined || when < day(-31)) expect(listedIds.has(customer), `customer ${customer}, last ${when}`).toBe(true);
      if (when !== undefined && when > day(-29)) expect(listedIds.has(customer), `customer ${customer}, last ${when}`).toBe(false);
    }
    const wang = crm.demo.history.customers.wangFang;
    expect(listedIds.has(wang)).toBe(true);
    // B follows 王芳 up: she leaves the list.
    body(await b.post('/api/data/followup', { customer: wang, date: day(), method: 'wechat', content: 'Exams are over; she will visit on Saturday', intent: 'high', nextStep: 'Trial lesson' }), 201);
    expect(ids(await all(b, 'customer', stale))).toEqual(ids(listed).filter((id) => id !== wang));
  });

  it('C-5 each salesperson changes only their own customers', async () => {
    const ofA = (await all(crm.admin, 'customer', { consultant: users().sales_a }, '&pageSize=1'))[0]!;
    const ofD = (await all(crm.admin, 'customer', { consultant: users().sales_d }))[0]!;
    const ofB = crm.demo.history.customers.wangFang;
    // A reads the department's customers, D's included…
    expect(body(await a.get(`/api/data/customer/${ofD.id}`))).toMatchObject({ consultant: users().sales_d });
    // …but changes only their own: D's is refused with 403 and left as it was.
    const refused = await a.patch(`/api/data/customer/${ofD.id}`, { notes: 'taken over' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', permission: 'customer:update' });
    expect(body(await crm.admin.get(`/api/data/customer/${ofD.id}`))).toEqual(ofD);
    // Another department's customer is not there at all for A.
    expect((await a.patch(`/api/data/customer/${ofB}`, { notes: 'taken over' })).status).toBe(404);
    // Their own: 200. Handing it to D would leave it outside what A may change: 403.
    expect(body(await a.patch(`/api/data/customer/${ofA.id}`, { status: 'following' }))).toMatchObject({ status: 'following', updatedBy: users().sales_a });
    expect((await a.patch(`/api/data/customer/${ofA.id}`, { consultant: users().sales_d })).status).toBe(403);
    // Nobody in sales deletes customers; the sales manager may reassign within the department.
    expect((await a.delete(`/api/data/customer/${ofA.id}`)).status).toBe(403);
    const manager = await crm.as('manager');
    expect(body(await manager.patch(`/api/data/customer/${ofA.id}`, { consultant: users().sales_d }))).toMatchObject({ consultant: users().sales_d });
    expect((await a.patch(`/api/data/customer/${ofA.id}`, { notes: 'mine?' })).status).toBe(403);
    expect((await d.patch(`/api/data/customer/${ofA.id}`, { notes: 'mine now' })).status).toBe(200);
  });
});
