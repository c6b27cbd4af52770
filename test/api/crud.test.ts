import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineCrm, expectStatus } from './crm.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeEachDialect('records: create, read, list, update, delete', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let adminId: number;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    adminId = (await admin.get('/api/auth/me')).body.user.id;
    await defineCrm(admin);
  });
  afterAll(() => app?.close());

  it('creates with 201 and returns the record with its system fields', async () => {
    const before = Date.now();
    const r = expectStatus(await admin.post('/api/data/customer', { name: 'Ada', grade: 'gold', phone: '100', since: '2024-02-29', lastContactAt: '2024-03-01T08:30:00+02:00' }), 201);
    const after = Date.now();
    const c = r.body;
    expect(Object.keys(c).sort()).toEqual(
      ['createdAt', 'createdBy', 'grade', 'id', 'industry', 'lastContactAt', 'name', 'phone', 'salesman', 'since', 'tags', 'updatedAt', 'updatedBy', 'version', 'vip', 'visits'].sort(),
    );
    expect(c).toMatchObject({
      name: 'Ada', grade: 'gold', phone: '100', industry: null, salesman: null, visits: null, tags: [],
      since: '2024-02-29',
      // stored and returned in UTC
      lastContactAt: '2024-03-01T06:30:00.000Z',
      // the definition's default
      vip: false,
      createdBy: adminId, updatedBy: adminId, version: 1,
    });
    expect(Number.isInteger(c.id) && c.id > 0).toBe(true);
    expect(c.createdAt).toMatch(ISO_MS);
    expect(c.updatedAt).toBe(c.createdAt);
    const createdAt = Date.parse(c.createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(createdAt).toBeLessThanOrEqual(after + 1);
  });

  it('reads one record by id, the same as create returned it, with its version as ETag', async () => {
    const created = expectStatus(await admin.post('/api/data/customer', { name: 'Bea', phone: '101', vip: true, visits: 3 }), 201).body;
    const r = expectStatus(await admin.get(`/api/data/customer/${created.id}`), 200);
    expect(r.body).toEqual(created);
    expect(r.body.vip).toBe(true);
    expect(r.body.visits).toBe(3);
    expect(r.headers.get('etag')).toBe('"1"');
  });

  it('answers 404 not_found for an id that does not exist, and for an unknown module', async () => {
    const missing = await admin.get('/api/data/customer/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    const noModule = await admin.get('/api/data/nosuchmodule');
    expect(noModule.status).toBe(404);
    expect(noModule.body.error.code).toBe('not_found');
    expect((await admin.get('/api/data/customer/0')).status).toBe(404);
    expect((await admin.get('/api/data/customer/abc')).status).toBe(404);
  });

  it('lists with meta { total, page, pageSize } and the default page size', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await create(admin, 'tag', { name: `crud-list-${i}` }));
    const r = expectStatus(await admin.get('/api/data/tag'), 200);
    expect(r.body.meta).toEqual({ total: 3, page: 1, pageSize: 25 });
    // the module's default sort is -id
    expect(r.body.data.map((t: { id: number }) => t.id)).toEqual([...ids].reverse());
    expect(r.body.data[0]).toMatchObject({ id: ids[2], name: 'crud-list-2', version: 1, createdBy: adminId });
  });

  it('patches only the given fields, bumps version and updatedAt, keeps createdAt', async () => {
    const c = expectStatus(await admin.post('/api/data/customer', { name: 'Cid', grade: 'silver', industry: 'it', phone: '102' }), 201).body;
    await new Promise((r) => setTimeout(r, 15));
    const r = expectStatus(await admin.patch(`/api/data/customer/${c.id}`, { grade: 'gold', industry: null }), 200);
    expect(r.body).toMatchObject({ id: c.id, name: 'Cid', grade: 'gold', industry: null, phone: '102', version: 2, createdAt: c.createdAt, createdBy: adminId, updatedBy: adminId });
    expect(Date.parse(r.body.updatedAt)).toBeGreaterThan(Date.parse(c.updatedAt));
    expect(r.headers.get('etag')).toBe('"2"');
    expect((await admin.get(`/api/data/customer/${c.id}`)).body).toEqual(r.body);
  });

  it('patching a missing record is 404 and creates nothing', async () => {
    const before = await countOf(admin, 'customer');
    const r = await admin.patch('/api/data/customer/999999', { name: 'Ghost' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    expect(await countOf(admin, 'customer')).toBe(before);
  });

  it('deletes with 204; afterwards the record is 404 and gone from the list', async () => {
    const id = await create(admin, 'customer', { name: 'Dee', phone: '103' });
    const before = await countOf(admin, 'customer');
    const r = await admin.delete(`/api/data/customer/${id}`);
    expect(r.status).toBe(204);
    expect(r.body).toBeNull();
    expect((await admin.get(`/api/data/customer/${id}`)).status).toBe(404);
    expect(await countOf(admin, 'customer')).toBe(before - 1);
    const again = await admin.delete(`/api/data/customer/${id}`);
    expect(again.status).toBe(404);
  });

  it('stores many-to-many ids and replaces them on patch', async () => {
    const a = await create(admin, 'tag', { name: 'crud-a' });
    const b = await create(admin, 'tag', { name: 'crud-b' });
    const c = await create(admin, 'tag', { name: 'crud-c' });
    const r = expectStatus(await admin.post('/api/data/customer', { name: 'Eve', tags: [c, a] }), 201);
    expect(r.body.tags).toEqual([a, c]);
    const p = expectStatus(await admin.patch(`/api/data/customer/${r.body.id}`, { tags: [b] }), 200);
    expect(p.body.tags).toEqual([b]);
    expect((await admin.get(`/api/data/customer/${r.body.id}`)).body.tags).toEqual([b]);
    const cleared = expectStatus(await admin.patch(`/api/data/customer/${r.body.id}`, { tags: [] }), 200);
    expect(cleared.body.tags).toEqual([]);
  });

  it('stores a decimal with more digits than its scale (4) rounded half away from zero, the same on both dialects', async () => {
    const values = [1.23456, 1.00005, 2.5, 0.1 + 0.2, 99999.99999, 0.00004];
    const stored = [];
    for (const [i, amount] of values.entries()) {
      stored.push(expectStatus(await admin.post('/api/data/order', { number: `DEC-${i}`, amount }), 201).body.amount);
    }
    const expected = [1.2346, 1.0001, 2.5, 0.3, 100000, 0];
    expect(stored).toEqual(expected);
    const list = expectStatus(await admin.get(`/api/data/order?fields=amount&sort=number&${filterParam({ number: { startsWith: 'DEC-' } })}`), 200).body;
    expect(list.data.map((d: { amount: number }) => d.amount)).toEqual(expected);
    // and a filter finds the stored value
    const found = expectStatus(await admin.get(`/api/data/order?${filterParam({ amount: 1.2346 })}`), 200).body;
    expect(found.data.map((d: { number: string }) => d.number)).toEqual(['DEC-0']);
  });

  it('round-trips numbers, dates and date-times exactly', async () => {
    const s = await create(admin, 'salesman', { name: 'Sam' });
    const cu = await create(admin, 'customer', { name: 'Fay' });
    const r = expectStatus(await admin.post('/api/data/order', { number: 'CRUD-1', amount: 1234.5678, orderDate: '2025-12-31', paidAt: '2025-12-31T23:59:59.999Z', customer: cu, salesman: s }), 201);
    expect(r.body).toMatchObject({ number: 'CRUD-1', amount: 1234.5678, orderDate: '2025-12-31', paidAt: '2025-12-31T23:59:59.999Z', status: 'open', customer: cu, salesman: s });
  });
});
