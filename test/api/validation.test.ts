/**
 * Refused writes: 400 with one detail per faulty field, each with a JSON pointer, and nothing
 * written — every test counts the records (or re-reads the record) after the refusal.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineCrm, expectStatus } from './crm.js';

type Detail = { path: string; code?: string; message: string };

/** The details of a 400 `invalid`, as `path code` strings sorted by path. */
function faults(r: Reply): string[] {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 400, code: 'invalid' });
  return (r.body.error.details as Detail[]).map((d) => `${d.path} ${d.code}`).sort();
}

describeEachDialect('validation of writes', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let salesman: number;
  let customer: Record<string, unknown>;
  const counts: Record<string, number> = {};

  /** Asserts that no module changed its number of records since the last `beforeEach`. */
  const nothingWritten = async () => {
    for (const module of Object.keys(counts)) expect({ module, count: await countOf(admin, module) }).toEqual({ module, count: counts[module] });
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
    salesman = await create(admin, 'salesman', { name: 'Sam' });
    const tag = await create(admin, 'tag', { name: 'one' });
    customer = expectStatus(await admin.post('/api/data/customer', { name: 'Kept', grade: 'gold', phone: '1', salesman, tags: [tag] }), 201).body;
  });
  afterAll(() => app?.close());

  beforeEach(async () => {
    for (const module of ['customer', 'order', 'tag', 'salesman']) counts[module] = await countOf(admin, module);
  });

  describe('create', () => {
    it('reports every faulty field at once, one detail each, with a JSON pointer', async () => {
      const r = await admin.post('/api/data/customer', {
        name: 5,
        grade: 'platinum',
        phone: 'x'.repeat(33),
        since: '2024-13-45',
        lastContactAt: '2024-01-01T10:00:00',
        vip: 'yes',
        visits: -1,
        salesman: 'abc',
        tags: 'x',
        nosuch: 1,
      });
      expect(faults(r)).toEqual([
        '/grade enum',
        '/lastContactAt format',
        '/name type',
        '/nosuch unknown_field',
        '/phone too_long',
        '/salesman ref',
        '/since format',
        '/tags type',
        '/vip type',
        '/visits below_minimum',
      ]);
      const byPath = Object.fromEntries((r.body.error.details as Detail[]).map((d) => [d.path, d.message]));
      expect(byPath['/grade']).toBe('must be one of: gold, silver, bronze');
      expect(byPath['/phone']).toBe('must be at most 32 characters');
      expect(byPath['/name']).toBe('must be a string');
      expect(r.body.error.message).toBe('10 fields are invalid; nothing was written');
      await nothingWritten();
    });

    it('required fields: missing, and null', async () => {
      expect(faults(await admin.post('/api/data/customer', {}))).toEqual(['/name required']);
      expect(faults(await admin.post('/api/data/customer', { name: null }))).toEqual(['/name required']);
      expect(faults(await admin.post('/api/data/order', { status: 'paid' }))).toEqual(['/amount required', '/number required']);
      await nothingWritten();
    });

    it('a field with a default may be left out, but not be given a wrong value', async () => {
      expect(faults(await admin.post('/api/data/order', { number: 'V-1', amount: 1, status: 'lost' }))).toEqual(['/status enum']);
      await nothingWritten();
    });

    it('refuses system fields on create: id, createdAt, version, createdBy', async () => {
      expect(faults(await admin.post('/api/data/customer', { name: 'Ro', id: 77, createdAt: '2020-01-01T00:00:00Z', version: 3, createdBy: 1, updatedBy: 1, updatedAt: '2020-01-01T00:00:00Z' }))).toEqual([
        '/createdAt read_only', '/createdBy read_only', '/id read_only', '/updatedAt read_only', '/updatedBy read_only', '/version read_only',
      ]);
      await nothingWritten();
      expect((await admin.get('/api/data/customer/77')).status).toBe(404);
    });

    it('refuses one-to-many relations in a payload (they are read from the other side)', async () => {
      expect(faults(await admin.post('/api/data/customer', { name: 'Ro', followups: [] }))).toEqual(['/followups read_only']);
      await nothingWritten();
    });

    it('wrong types: integer, number, boolean, date, ids', async () => {
      expect(faults(await admin.post('/api/data/customer', { name: 'T', visits: 1.5, vip: 1, since: 20240101, tags: [1, 'two'] }))).toEqual([
        '/since type', '/tags/1 ref', '/vip type', '/visits type',
      ]);
      expect(faults(await admin.post('/api/data/order', { number: 'T-1', amount: '12.50' }))).toEqual(['/amount type']);
      await nothingWritten();
    });

    it('numbers beyond the column precision and below minimum', async () => {
      expect(faults(await admin.post('/api/data/order', { number: 'T-2', amount: 1e15 }))).toEqual(['/amount above_maximum']);
      expect(faults(await admin.post('/api/data/order', { number: 'T-3', amount: -0.01 }))).toEqual(['/amount below_minimum']);
      await nothingWritten();
    });

    it('integers beyond the 32-bit column are refused on both dialects (MariaDB would fail the insert)', async () => {
      expect(faults(await admin.post('/api/data/customer', { name: 'Big', visits: 2147483648 }))).toEqual(['/visits above_maximum']);
      expect(faults(await admin.post('/api/data/orderline', { order: 1, product: 'p', qty: 3000000000 }))).toEqual(['/qty above_maximum']);
      await nothingWritten();
      const id = await create(admin, 'customer', { name: 'Max', visits: 2147483647 });
      expect((await admin.get(`/api/data/customer/${id}`)).body.visits).toBe(2147483647);
    });

    it('maxLength counts characters, not bytes', async () => {
      expect(faults(await admin.post('/api/data/tag', { name: '标'.repeat(33) }))).toEqual(['/name too_long']);
      await nothingWritten();
      const id = await create(admin, 'tag', { name: '标'.repeat(32) });
      expect((await admin.get(`/api/data/tag/${id}`)).body.name).toBe('标'.repeat(32));
    });

    it('a reference to a record that does not exist', async () => {
      const r = await admin.post('/api/data/customer', { name: 'Orphan', salesman: 999999, tags: [999998] });
      expect(faults(r)).toEqual(['/salesman invalid_reference', '/tags invalid_reference']);
      await nothingWritten();
    });

    it('a body that is not an object', async () => {
      for (const body of [[{ name: 'A' }], 'just text', 42, null]) {
        const r = await admin.post('/api/data/customer', JSON.stringify(body));
        expect(faults(r)).toEqual([' type']);
      }
      await nothingWritten();
    });

    it('a body that is not JSON: 400 invalid_json, or 415 without a JSON content type', async () => {
      const broken = await admin.post('/api/data/customer', '{"name": "A",');
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('invalid_json');
      const form = await admin.post('/api/data/customer', 'name=A', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
      expect(form.body.error.code).toBe('unsupported_media_type');
      const text = await admin.post('/api/data/customer', JSON.stringify({ name: 'A' }), { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      await nothingWritten();
    });
  });

  describe('update', () => {
    const unchanged = async () => {
      expect((await admin.get(`/api/data/customer/${customer.id}`)).body).toEqual(customer);
      await nothingWritten();
    };

    it('reports every faulty field, and changes nothing', async () => {
      const r = await admin.patch(`/api/data/customer/${customer.id}`, { name: 'Changed', grade: 'none', visits: 'many', nosuch: true });
      expect(faults(r)).toEqual(['/grade enum', '/nosuch unknown_field', '/visits type']);
      await unchanged();
    });

    it('refuses read-only fields but accepts version', async () => {
      expect(faults(await admin.patch(`/api/data/customer/${customer.id}`, { name: 'Changed', id: 9, createdAt: '2020-01-01T00:00:00Z', createdBy: 2 }))).toEqual([
        '/createdAt read_only', '/createdBy read_only', '/id read_only',
      ]);
      expect(faults(await admin.patch(`/api/data/customer/${customer.id}`, { version: 'one' }))).toEqual(['/version type']);
      await unchanged();
    });

    it('clearing a required field is refused as required', async () => {
      expect(faults(await admin.patch(`/api/data/customer/${customer.id}`, { name: null }))).toEqual(['/name required']);
      await unchanged();
    });

    it('a dangling reference on update changes nothing, not even the other fields', async () => {
      expect(faults(await admin.patch(`/api/data/customer/${customer.id}`, { name: 'Changed', salesman: 999999 }))).toEqual(['/salesman invalid_reference']);
      expect(faults(await admin.patch(`/api/data/customer/${customer.id}`, { name: 'Changed', tags: [999999] }))).toEqual(['/tags invalid_reference']);
      await unchanged();
    });

    it('a non-JSON body', async () => {
      expect((await admin.patch(`/api/data/customer/${customer.id}`, '{name', {})).status).toBe(400);
      expect((await admin.patch(`/api/data/customer/${customer.id}`, 'name=x', { 'content-type': 'text/plain' })).status).toBe(415);
      await unchanged();
    });

    it('an empty patch is accepted and only bumps the version', async () => {
      const r = expectStatus(await admin.patch(`/api/data/customer/${customer.id}`, {}), 200);
      expect(r.body).toMatchObject({ ...customer, version: (customer.version as number) + 1, updatedAt: r.body.updatedAt });
      customer = r.body;
    });
  });
});
