/** `q`, `sort` and `page`/`pageSize` of `GET /api/data/<m>` (API.md "Records"); `fields` is in fields.test.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, seedSmallCrm } from './crm.js';

describeEachDialect('search, sort and paging', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let c: Record<string, number>;
  let o: Record<string, number>;
  let s: Record<string, number>;
  let t: Record<string, number>;
  let dept: Record<string, number>;

  const list = async (module: string, query: string) => expectStatus(await admin.get(`/api/data/${module}?${query}`), 200).body;
  const numbers = async (query: string) => (await list('order', query)).data.map((r: { number: string }) => r.number);
  const names = async (query: string) => (await list('customer', query)).data.map((r: { name: string }) => r.name);
  const refused = async (url: string) => {
    const r = await admin.get(url);
    expect(r.status).toBe(400);
    return r.body.error;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    ({ dept, s, t, c, o } = await seedSmallCrm(admin));
  });
  afterAll(() => app?.close());

  describe('q searches the x-list.search fields', () => {
    it('matches a substring of any search field, case-insensitively', async () => {
      expect(await names('q=Tech')).toEqual(['Beta Tech', 'Gamma Tech']);
      expect(await names('q=tech')).toEqual(['Beta Tech', 'Gamma Tech']);
      // phone is a search field too
      expect(await names('q=555')).toEqual(['Beta Tech', 'Gamma Tech']);
      expect(await names('q=7777')).toEqual(['Alpha Foods']);
      expect(await names('q=%20%20Foods%20')).toEqual(['Alpha Foods']);
      expect(await names('q=nothing-like-this')).toEqual([]);
    });

    it('does not search fields outside x-list.search', async () => {
      // "Ann" is the name of a salesman, not of any customer search field
      expect(await names('q=Ann')).toEqual([]);
    });

    it('treats % and _ as text', async () => {
      expect(await names(`q=${encodeURIComponent('50%')}`)).toEqual(['Delta 50% Off']);
      expect(await names(`q=${encodeURIComponent('%')}`)).toEqual(['Delta 50% Off']);
      expect(await names('q=_')).toEqual([]);
    });

    it('combines with a filter (AND) and counts only the matches', async () => {
      const r = await list('customer', `q=Tech&${filterParam({ salesman: s.bob })}`);
      expect(r.data.map((d: { id: number }) => d.id)).toEqual([c.beta]);
      expect(r.meta.total).toBe(1);
    });

    it('refuses search text over 200 characters', async () => {
      const e = await refused(`/api/data/customer?q=${'a'.repeat(201)}`);
      expect(e.details).toEqual([{ path: '/q', message: 'search text may be at most 200 characters' }]);
    });
  });

  describe('sort', () => {
    it('uses the module x-list.sort by default (-orderDate)', async () => {
      expect(await numbers('')).toEqual(['N-05', 'N-04', 'N-03', 'N-02', 'N-01']);
    });

    it('sorts by several columns: -amount,number', async () => {
      expect(await numbers('sort=-amount,number')).toEqual(['N-03', 'N-05', 'N-02', 'N-01', 'N-04']);
      expect(await numbers('sort=amount,-number')).toEqual(['N-04', 'N-01', 'N-02', 'N-05', 'N-03']);
    });

    it('sorts by a reference path; a missing reference sorts first ascending, last descending', async () => {
      expect(await numbers('sort=salesman.name,number')).toEqual(['N-03', 'N-01', 'N-04', 'N-02', 'N-05']);
      expect(await numbers('sort=-salesman.name,number')).toEqual(['N-02', 'N-05', 'N-01', 'N-04', 'N-03']);
      expect(await numbers('sort=customer.name,-amount')).toEqual(['N-02', 'N-05', 'N-03', 'N-01', 'N-04']);
    });

    it('sorts by a path of depth 2', async () => {
      expect(await numbers('sort=-salesman.department.code,-number')).toEqual(['N-04', 'N-01', 'N-05', 'N-03', 'N-02']);
    });

    it('refuses unknown sort fields with a pointer', async () => {
      const e = await refused('/api/data/order?sort=-nosuch');
      expect(e.code).toBe('invalid_query');
      expect(e.details.map((d: { path: string }) => d.path)).toEqual(['/sort']);
    });
  });

  describe('page and pageSize', () => {
    it('pages through the sorted list without gaps or repeats, with the total on every page', async () => {
      const pages = [];
      for (const page of [1, 2, 3]) {
        const r = await list('order', `sort=-amount,number&pageSize=2&page=${page}`);
        expect(r.meta).toEqual({ total: 5, page, pageSize: 2 });
        pages.push(r.data.map((d: { number: string }) => d.number));
      }
      expect(pages).toEqual([['N-03', 'N-05'], ['N-02', 'N-01'], ['N-04']]);
    });

    it('a page past the end is empty but keeps the total', async () => {
      const r = await list('order', 'pageSize=2&page=4');
      expect(r).toEqual({ data: [], meta: { total: 5, page: 4, pageSize: 2 } });
    });

    it('pageSize up to the maximum (500) is accepted', async () => {
      const r = await list('order', 'pageSize=500');
      expect(r.meta).toEqual({ total: 5, page: 1, pageSize: 500 });
      expect(r.data).toHaveLength(5);
    });

    it('a page so far out that its offset is not a safe number is 400, not a server error', async () => {
      const e = await refused('/api/data/order?page=999999999999999&pageSize=500');
      expect(e.code).toBe('invalid_query');
      expect(e.details.map((d: { path: string }) => d.path)).toEqual(['/page']);
      expect((await list('order', 'page=100000000000&pageSize=25')).meta).toEqual({ total: 5, page: 100000000000, pageSize: 25 });
    });

    it('pageSize over the maximum is 400, as are page 0 and non-numbers, all reported together', async () => {
      const before = await refused('/api/data/order?pageSize=501');
      expect(before.code).toBe('invalid_query');
      expect(before.details).toEqual([{ path: '/pageSize', message: 'must be at most 500' }]);
      const e = await refused('/api/data/order?page=0&pageSize=abc&sort=nosuch');
      expect(e.details.map((d: { path: string }) => d.path).sort()).toEqual(['/page', '/pageSize', '/sort']);
    });
  });
});
