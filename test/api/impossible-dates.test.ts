/**
 * A day the calendar lacks is refused, never stored as null nor rolled over into the next month:
 * 400 `invalid` with the field's JSON pointer, on create and on update, and the stored value kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineCrm, expectStatus } from './crm.js';

const IMPOSSIBLE_DATES = ['2026-02-31', '2026-02-30', '02/30/2026', '2026-13-01', '2025-02-29', '2026-04-31', '2026-00-10', '2026-01-00'];
// The last three are RFC 3339 that the engine's stored form cannot hold as written: a leap
// second (no Date has 23:59:60), a lower-case separator, a zone of hours only.
const IMPOSSIBLE_DATE_TIMES = ['2026-02-30T10:00:00Z', '2025-02-29T00:00:00+08:00', '2026-13-01T10:00:00Z', '2026-02-28T25:00:00Z', '2026-02-28T23:59:60Z', '2026-02-28t10:00:00z', '2026-02-28T10:00:00+08'];

/** The `path code` of each detail of a 400 `invalid`. */
function faults(r: Reply): string[] {
  expect({ status: r.status, code: r.body?.error?.code }, JSON.stringify(r.body)).toEqual({ status: 400, code: 'invalid' });
  return (r.body.error.details as { path: string; code: string }[]).map((d) => `${d.path} ${d.code}`);
}

describeEachDialect('impossible dates', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let order: Record<string, unknown>;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
    const id = await create(admin, 'order', { number: 'D-1', amount: 10, orderDate: '2026-01-15', paidAt: '2026-01-16T09:30:00.000Z' });
    order = expectStatus(await admin.get(`/api/data/order/${id}`), 200).body;
  });
  afterAll(() => app?.close());

  const stored = async () => expectStatus(await admin.get(`/api/data/order/${order.id}`), 200).body;

  describe('date', () => {
    it.each(IMPOSSIBLE_DATES)('%s is refused on create, and nothing is written', async (day) => {
      const before = await countOf(admin, 'order');
      expect(faults(await admin.post('/api/data/order', { number: `N-${day}`, amount: 1, orderDate: day }))).toEqual(['/orderDate format']);
      expect(await countOf(admin, 'order')).toBe(before);
    });

    it.each(IMPOSSIBLE_DATES)('%s is refused on update, and the stored date is kept', async (day) => {
      expect(faults(await admin.patch(`/api/data/order/${order.id}`, { orderDate: day }))).toEqual(['/orderDate format']);
      expect(await stored()).toMatchObject({ orderDate: '2026-01-15', version: order.version });
    });

    it('the last day of each month is kept as written (a leap day in a leap year too)', async () => {
      for (const day of ['2024-02-29', '2026-02-28', '2026-04-30', '2026-12-31']) {
        const r = expectStatus(await admin.patch(`/api/data/order/${order.id}`, { orderDate: day }), 200);
        expect(r.body.orderDate).toBe(day);
        expect((await stored()).orderDate).toBe(day);
      }
      const back = expectStatus(await admin.patch(`/api/data/order/${order.id}`, { orderDate: '2026-01-15' }), 200).body;
      order = { ...order, version: back.version };
    });
  });

  describe('date-time', () => {
    it('a valid date-time in another zone is stored as the instant it names', async () => {
      const r = expectStatus(await admin.patch(`/api/data/order/${order.id}`, { paidAt: '2024-02-29T23:30:00+0530' }), 200);
      expect(r.body.paidAt).toBe('2024-02-29T18:00:00.000Z');
      const back = expectStatus(await admin.patch(`/api/data/order/${order.id}`, { paidAt: '2026-01-16T09:30:00.000Z' }), 200).body;
      order = { ...order, version: back.version };
    });

    it.each(IMPOSSIBLE_DATE_TIMES)('%s is refused on create and on update', async (at) => {
      const before = await countOf(admin, 'order');
      expect(faults(await admin.post('/api/data/order', { number: `T-${at}`, amount: 1, paidAt: at }))).toEqual(['/paidAt format']);
      expect(await countOf(admin, 'order')).toBe(before);
      expect(faults(await admin.patch(`/api/data/order/${order.id}`, { paidAt: at }))).toEqual(['/paidAt format']);
      expect(await stored()).toMatchObject({ paidAt: '2026-01-16T09:30:00.000Z', version: order.version });
    });
  });
});
