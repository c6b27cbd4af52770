/**
 * C-2 / S-4: a record that already exists cannot be entered twice; the person entering it is told
 * which record it is and who owns it (the creator, or the user named by the module's `x-owner`).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineCrm, defineModule, expectStatus, secondAdmin } from './crm.js';

const leadDef = {
  $id: 'lead',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 64 },
    qq: { type: 'string', maxLength: 20, 'x-unique': true },
    owner: { type: 'integer', 'x-ref': 'user' },
  },
  required: ['name'],
  'x-owner': 'owner',
};

const classDef = {
  $id: 'klass',
  type: 'object',
  properties: {
    campus: { type: 'string', maxLength: 32 },
    name: { type: 'string', maxLength: 64 },
    seats: { type: 'integer' },
  },
  required: ['campus', 'name'],
  'x-unique': [['campus', 'name']],
};

function duplicate(r: Reply) {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 409, code: 'duplicate' });
  return r.body.error;
}

describeEachDialect('duplicates (C-2, S-4)', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let adminId: number;
  let dana: { client: Client; id: number };
  let erin: { client: Client; id: number };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    adminId = (await admin.get('/api/auth/me')).body.user.id;
    await defineCrm(admin);
    await defineModule(admin, leadDef);
    await defineModule(admin, classDef);
    dana = await secondAdmin(admin, app.client, 'dana', 'Dana Li');
    erin = await secondAdmin(admin, app.client, 'erin', 'Erin Wu');
  });
  afterAll(() => app?.close());

  it('C-2/S-4: entering an existing customer (same phone) is refused with 409 duplicate, naming the record and its owner (the creator)', async () => {
    const existing = await create(dana.client, 'customer', { name: 'Zhang San', phone: '13800000001' });
    const before = await countOf(admin, 'customer');
    const e = duplicate(await admin.post('/api/data/customer', { name: 'Zhang S.', phone: '13800000001', grade: 'gold' }));
    expect(e.existing).toEqual({ id: existing, owner: { id: dana.id, username: 'dana', name: 'Dana Li' } });
    expect(e.details).toEqual([{ path: '/phone', message: 'already exists', code: 'duplicate' }]);
    expect(e.message).toContain(`id ${existing}`);
    expect(e.message).toContain('Dana Li');
    expect(await countOf(admin, 'customer')).toBe(before);
  });

  it('C-2/S-4: the owner is the creator even when the one entering it again is the same person', async () => {
    const existing = await create(admin, 'customer', { name: 'Li Si', phone: '13800000002' });
    const e = duplicate(await admin.post('/api/data/customer', { name: 'Li Si', phone: '13800000002' }));
    expect(e.existing).toEqual({ id: existing, owner: { id: adminId, username: 'admin', name: 'Administrator' } });
  });

  it('C-2/S-4: changing a record into a duplicate is refused the same way, and the record is unchanged', async () => {
    const existing = await create(dana.client, 'customer', { name: 'Wang Wu', phone: '13800000003' });
    const other = expectStatus(await admin.post('/api/data/customer', { name: 'Zhao Liu', phone: '13900000000' }), 201).body;
    const e = duplicate(await admin.patch(`/api/data/customer/${other.id}`, { name: 'Zhao Liu 2', phone: '13800000003' }));
    expect(e.existing).toEqual({ id: existing, owner: { id: dana.id, username: 'dana', name: 'Dana Li' } });
    expect((await admin.get(`/api/data/customer/${other.id}`)).body).toEqual(other);
  });

  it('C-2/S-4: with "x-owner", the owner is the user that field names, not the creator', async () => {
    // admin enters the lead on behalf of erin, who owns it
    const existing = await create(admin, 'lead', { name: 'Qian Qi', qq: '10001', owner: erin.id });
    const before = await countOf(admin, 'lead');
    const e = duplicate(await dana.client.post('/api/data/lead', { name: 'Qian Qi', qq: '10001', owner: dana.id }));
    expect(e.existing).toEqual({ id: existing, owner: { id: erin.id, username: 'erin', name: 'Erin Wu' } });
    expect(e.message).toContain('Erin Wu');
    expect(e.details).toEqual([{ path: '/qq', message: 'already exists', code: 'duplicate' }]);
    expect(await countOf(admin, 'lead')).toBe(before);
  });

  it('C-2/S-4: with "x-owner" left empty, the duplicate is still named, with no owner', async () => {
    const existing = await create(admin, 'lead', { name: 'Sun Ba', qq: '10002' });
    const e = duplicate(await admin.post('/api/data/lead', { name: 'Sun Ba', qq: '10002' }));
    expect(e.existing).toEqual({ id: existing, owner: null });
  });

  it('C-2/S-4: composite x-unique refuses the same combination only', async () => {
    const python = await create(dana.client, 'klass', { campus: 'Beijing', name: 'PYTHON FULLSTACK S5' });
    await create(admin, 'klass', { campus: 'Shanghai', name: 'PYTHON FULLSTACK S5' });
    await create(admin, 'klass', { campus: 'Beijing', name: 'LINUX 36' });
    const before = await countOf(admin, 'klass');
    const e = duplicate(await admin.post('/api/data/klass', { campus: 'Beijing', name: 'PYTHON FULLSTACK S5', seats: 30 }));
    expect(e.existing).toEqual({ id: python, owner: { id: dana.id, username: 'dana', name: 'Dana Li' } });
    expect(e.details.map((d: { path: string }) => d.path)).toEqual(['/campus', '/name']);
    expect(await countOf(admin, 'klass')).toBe(before);
  });

  it('C-2/S-4: changing one field of a composite x-unique into a duplicate names the existing record and owner', async () => {
    const existing = await create(erin.client, 'klass', { campus: 'Shanghai', name: 'LINUX 36' });
    const other = expectStatus(await admin.post('/api/data/klass', { campus: 'Shanghai', name: 'LINUX 37' }), 201).body;
    const e = duplicate(await admin.patch(`/api/data/klass/${other.id}`, { name: 'LINUX 36', seats: 12 }));
    expect(e.existing).toEqual({ id: existing, owner: { id: erin.id, username: 'erin', name: 'Erin Wu' } });
    expect(e.details.map((d: { path: string }) => d.path)).toEqual(['/campus', '/name']);
    expect((await admin.get(`/api/data/klass/${other.id}`)).body).toEqual(other);
  });

  it('empty values are not duplicates of each other', async () => {
    const a = await create(admin, 'customer', { name: 'No phone 1' });
    const b = await create(admin, 'customer', { name: 'No phone 2', phone: null });
    expect(a).not.toBe(b);
  });

  it('C-2/S-4: of two simultaneous entries of the same customer exactly one is stored', async () => {
    const before = await countOf(admin, 'customer');
    const replies = await Promise.all([admin, dana.client].map((c) => c.post('/api/data/customer', { name: 'Twin', phone: '13700000000' })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = replies.find((r) => r.status === 201)!.body;
    expect(duplicate(replies.find((r) => r.status === 409)!).existing.id).toBe(winner.id);
    expect(await countOf(admin, 'customer')).toBe(before + 1);
  });
});
