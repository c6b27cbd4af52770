/**
 * C-2 and S-4 with numbers typed differently: the CRM plugin (modules/crm) stores phone and QQ
 * numbers normalized, so the engine's unique indexes find the same person however sales typed
 * them, and the 409 names the owner.
 *
 * Writes through /api/data run the plugin's before hooks (core/data/write-records.ts calls
 * `ctx.hooks`); the last test drives the same hook runner (PluginHooks) directly.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import type { Client } from '../support/app.js';
import { createRecord } from '../../core/data/write-records.js';
import { all, body, startDemo, type CrmApp } from './demo-app.js';

describeEachDialect('CRM duplicates typed differently (C-2)', (dialect) => {
  let crm: CrmApp;
  let d: Client;

  beforeAll(async () => {
    crm = await startDemo(dialect, 10);
    d = await crm.as('sales_d');
  });
  afterAll(async () => crm?.close());

  it('S-4 sales D types an existing phone number with +86, spaces and dashes, or a QQ number in groups: 409 naming sales B', async () => {
    const wang = crm.demo.history.customers.wangFang;
    const count = async () => body(await crm.admin.get('/api/data/customer?pageSize=1')).meta.total;
    const before = await count();
    for (const phone of ['+86 138-0013-8000', '0086 138 0013 8000', '138-0013-8000']) {
      const r = await d.post('/api/data/customer', { name: '王芳', phone, source: 'phone', consultant: crm.demo.users.sales_d });
      expect(r.status, phone).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'duplicate', existing: { id: wang, owner: { username: 'sales_b' } }, details: [{ path: '/phone' }] });
    }
    const byQq = await d.post('/api/data/customer', { name: 'Fang W.', qq: '1002 003-00', source: 'qq_group', consultant: crm.demo.users.sales_d });
    expect(byQq.status).toBe(409);
    expect(byQq.body.error).toMatchObject({ code: 'duplicate', existing: { id: wang, owner: { username: 'sales_b' } }, details: [{ path: '/qq' }] });
    expect(await count()).toBe(before);
  });

  it('a new customer, a changed number and a referral are stored normalized', async () => {
    const created = body(await d.post('/api/data/customer', { name: '新客户', phone: '+86 186-1234 0009', qq: '3344 5566', source: 'website', consultant: crm.demo.users.sales_d }), 201);
    expect(created).toMatchObject({ phone: '18612340009', qq: '33445566' });
    expect(body(await d.patch(`/api/data/customer/${created.id}`, { phone: '(+86) 186 1234 0010' }))).toMatchObject({ phone: '18612340010' });
    // Changing a number to someone else's is the same duplicate.
    const clash = await d.patch(`/api/data/customer/${created.id}`, { phone: '+86 138 0013 8000' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.existing.owner.username).toBe('sales_b');
    const student = await crm.as('student');
    const me = crm.demo.history.students.studentA!;
    expect(body(await student.post('/api/data/referral', { referrer: me, name: 'A friend', phone: '+86 137-1234-5678' }), 201)).toMatchObject({ phone: '13712345678' });
    expect((await all(crm.admin, 'customer', { phone: '18612340010' })).map((c) => c.id)).toEqual([created.id]);
  });

  it('C-2 through the engine\'s hook runner, the plugin stores numbers normalized and the duplicate names the owner', async () => {
    const stratum = crm.app.stratum;
    const ctx = (await stratum.plugins.contextFor('sales_d', await stratum.registry.generation()))!;
    const customer = ctx.module('customer');
    expect(ctx.hooks?.wraps(customer, 'create')).toBe(true);
    const write = async (bound: typeof ctx, payload: unknown) => {
      const record = await createRecord(bound, customer, payload);
      return { id: Number(record.id), record };
    };
    const typed = { name: '王芳', phone: '+86 138-0013-8000', source: 'phone', consultant: crm.demo.users.sales_d };
    await expect(ctx.hooks!.create(ctx, customer, typed, undefined, write)).rejects.toMatchObject({
      status: 409, code: 'duplicate', extra: { existing: { id: crm.demo.history.customers.wangFang, owner: { username: 'sales_b' } } },
    });
    const fresh = await ctx.hooks!.create(ctx, customer, { ...typed, name: '新客户', phone: '(+86) 186 1234 0077', qq: '5566 7788' }, undefined, write);
    expect(fresh.record).toMatchObject({ phone: '18612340077', qq: '55667788', consultant: crm.demo.users.sales_d });
  });
});
