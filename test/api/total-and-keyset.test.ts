import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';

/** The total need not dominate — strategies to choose — and keyset paging. */
describeEachDialect('list totals and keyset paging', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const N = 57;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await admin.post('/api/modules', { $id: 'reading', type: 'object', properties: { value: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, label: { type: 'string', maxLength: 10 } }, 'x-list': { sort: '-at' } });
    for (let i = 0; i < N; i++) {
      // Repeated and missing sort values, so that the cursor must use the id and NULLs too.
      await admin.post('/api/data/reading', { value: i % 7, at: i % 5 === 0 ? null : `2025-01-0${1 + (i % 3)}T10:00:00Z`, label: `r${i}` });
    }
  });
  afterAll(async () => app?.close());

  it('total=exact is the default; none leaves it out; capped stops counting at the cap', async () => {
    expect((await admin.get('/api/data/reading?pageSize=5')).body.meta).toMatchObject({ total: N, page: 1, pageSize: 5 });
    expect((await admin.get('/api/data/reading?pageSize=5&total=none')).body.meta.total).toBeNull();
    expect((await admin.get('/api/data/reading?pageSize=5&total=capped&totalCap=20')).body.meta).toMatchObject({ total: 20, totalCapped: true });
    expect((await admin.get('/api/data/reading?pageSize=5&total=capped&totalCap=100')).body.meta).toMatchObject({ total: N, totalCapped: false });
    const est = (await admin.get('/api/data/reading?pageSize=5&total=estimated')).body.meta;
    expect(est.total).toBeGreaterThan(0);
    expect((await admin.get('/api/data/reading?total=sometimes')).status).toBe(400);
  });

  for (const sort of ['-at', 'at', 'value,-label', '-value,at']) {
    it(`walking every page with after= (sort ${sort}) gives each record once, in the same order as offsets`, async () => {
      const byOffset: string[] = [];
      for (let page = 1; page <= Math.ceil(N / 8); page++) {
        byOffset.push(...(await admin.get(`/api/data/reading?sort=${sort}&pageSize=8&page=${page}`)).body.data.map((r: { label: string }) => r.label));
      }
      const byCursor: string[] = [];
      let next: string | null | undefined;
      let pages = 0;
      do {
        const r = await admin.get(`/api/data/reading?sort=${sort}&pageSize=8&fields=label&after=${next ?? ''}&total=none`);
        expect(r.status).toBe(200);
        byCursor.push(...r.body.data.map((x: { label: string }) => x.label));
        next = r.body.meta.next;
        pages++;
      } while (next && pages < 20);
      expect(byCursor).toEqual(byOffset);
      expect(new Set(byCursor).size).toBe(N);
    });
  }

  it('a cursor keeps the filter, and a foreign or forged cursor is a clean 400', async () => {
    expect((await admin.get('/api/data/reading?pageSize=4')).body.meta).toEqual({ total: N, page: 1, pageSize: 4 });
    const first = await admin.get(`/api/data/reading?${filterParam({ value: { gte: 3 } })}&pageSize=4&after=`);
    const second = await admin.get(`/api/data/reading?${filterParam({ value: { gte: 3 } })}&pageSize=4&after=${first.body.meta.next}`);
    expect(second.body.data.every((r: { value: number }) => r.value >= 3)).toBe(true);
    expect((await admin.get('/api/data/reading?after=bm9wZQ')).status).toBe(400);
    expect((await admin.get(`/api/data/reading?sort=value&after=${first.body.meta.next}`)).status).toBe(400);
    expect((await admin.get(`/api/data/reading?page=2&after=${first.body.meta.next}`)).status).toBe(400);
  });
});
