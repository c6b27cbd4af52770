/**
 * The lending library of docs/PLUGINS.md (examples/library), followed step by step on each
 * dialect: its modules and the isbn field type, the rule its install creates (a member sees only
 * their own loans, in lists, single reads and counts), the return route working through the
 * caller's scope, and the per-record answer that offers "Mark returned" only on an open loan to
 * someone who may update it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, listIds, ok, sorted } from '../access/helpers.js';
import library from '../../examples/library/plugin.js';
import { role, user } from './helpers.js';

const DUNE = '9780441013593';
const today = () => new Date().toISOString().slice(0, 10);

describeEachDialect('the library plugin of the walkthrough', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let librarian: Client;
  /** A librarian whose rule covers only Ann's loans: hers to see and take back, no one else's. */
  let annsLibrarian: Client;
  let stranger: Client;
  const members: Record<'ann' | 'bob', { id: number; client: Client }> = {} as never;
  const loans: Record<'annOpen' | 'annOverdue' | 'annReturned' | 'bobOpen', number> = {} as never;

  const roleId = async (name: string): Promise<number> => (await ok(admin.get(`/api/data/role?${filterParam({ name })}`), 200)).data[0].id;

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [library] });
    admin = await app.admin();
    const member = await roleId('library member');
    members.ann = await user(app, admin, 'ann', [member]);
    members.bob = await user(app, admin, 'bob', [member]);
    // Users belong to departments: a librarian lends to users they may see, so the desk sees all.
    const desk = (await ok(admin.post('/api/data/department', { code: '0090', name: 'Library desk', seeAll: true }))).id;
    librarian = (await user(app, admin, 'lena', [await roleId('librarian')], { department: desk })).client;
    const branch = await role(admin, 'ann librarian', { book: ['read'], loan: ['read', 'update'] });
    await ok(admin.post('/api/data/rule', { name: "Ann's loans", module: 'loan', filter: { borrower: members.ann.id }, actions: ['read', 'update'], roles: [branch] }));
    annsLibrarian = (await user(app, admin, 'carl', [branch], { department: desk })).client;
    stranger = (await user(app, admin, 'stranger', [])).client;

    const book = (await ok(librarian.post('/api/data/book', { title: 'Dune', author: 'Frank Herbert', isbn: DUNE }))).id;
    const loan = (borrower: number, dueOn: string, returnedOn: string | null = null) =>
      ok(librarian.post('/api/data/loan', { book, borrower, borrowedOn: '2025-01-02', dueOn, returnedOn })).then((l) => l.id as number);
    loans.annOpen = await loan(members.ann.id, '2999-12-31');
    loans.annOverdue = await loan(members.ann.id, '2025-01-30');
    loans.annReturned = await loan(members.ann.id, '2025-01-30', '2025-01-20');
    loans.bobOpen = await loan(members.bob.id, '2025-02-15');
  });
  afterAll(async () => app?.close());

  it('step 2: ships the book and loan modules, with the isbn field type on book.isbn', async () => {
    const names = (await ok(admin.get('/api/modules'), 200)).data.map((m: { name: string }) => m.name);
    expect(names).toEqual(expect.arrayContaining(['book', 'loan']));
    const plugins = (await ok(admin.get('/api/plugins'), 200)).data as { name: string; enabled: boolean; installedVersion: string; fieldTypes: unknown; routes: unknown[] }[];
    expect(plugins.find((p) => p.name === 'library')).toMatchObject({
      enabled: true, installedVersion: '1.0.0',
      fieldTypes: [{ name: 'isbn', schema: { type: 'string', maxLength: 13 } }],
      routes: [{ method: 'POST', path: '/api/plugins/library/loans/:id/return', requires: 'loan:update' }],
    });
  });

  it('step 2: a bad ISBN is refused with 400 and the field\'s pointer, and nothing is written; a good one, 10 or 13 digits, is kept', async () => {
    const before = (await ok(admin.get('/api/data/book'), 200)).meta.total;
    // A wrong check digit, too few digits, hyphens (the widget leaves them out), an ISBN-10's X in the wrong place.
    for (const isbn of ['9780441013594', '12345', '978-044101359', '044101359X', '97804410135X3']) {
      const r = expectStatus(await librarian.post('/api/data/book', { title: 'Bad', isbn }), 400);
      expect(r.body.error.code).toBe('invalid');
      expect(r.body.error.details).toEqual([{ path: '/isbn', code: 'format', message: expect.stringContaining('ISBN-10 or ISBN-13') }]);
    }
    // The type's schema is checked first: 17 characters are too many before the check digit is asked.
    expect(expectStatus(await librarian.post('/api/data/book', { title: 'Bad', isbn: '978-0-441-01359-3' }), 400).body.error.details).toEqual([{ path: '/isbn', code: 'too_long', message: 'must be at most 13 characters' }]);
    expect((await ok(admin.get('/api/data/book'), 200)).meta.total).toBe(before);
    const emma = await ok(librarian.post('/api/data/book', { title: 'Emma', isbn: '0441013597' }));
    expect(emma.isbn).toBe('0441013597');
    expectStatus(await librarian.patch(`/api/data/book/${emma.id}`, { isbn: '0441013598' }), 400);
    expect((await ok(librarian.patch(`/api/data/book/${emma.id}`, { isbn: '080442957X' }), 200)).isbn).toBe('080442957X');
  });

  it('step 3: install made the roles and the rule as data, which an admin reads like any record', async () => {
    const [rule] = (await ok(admin.get(`/api/data/rule?${filterParam({ module: 'loan' })}`), 200)).data.filter((r: { name: string }) => r.name === 'members see their own loans');
    expect(rule).toMatchObject({ filter: { borrower: '$user.id' }, actions: ['read'], roles: [await roleId('library member')] });
  });

  it('step 3: a member sees only their own loans, in the list, a single read and the counts', async () => {
    const all = await listIds(librarian, 'loan');
    expect(all).toEqual(sorted(Object.values(loans)));
    const own = { ann: [loans.annOpen, loans.annOverdue, loans.annReturned], bob: [loans.bobOpen] };
    for (const name of ['ann', 'bob'] as const) {
      const { client, id } = members[name];
      expect(await listIds(client, 'loan')).toEqual(sorted(own[name]));
      // The same as the librarian's list filtered by borrower: the rule and nothing else narrows it.
      expect(await listIds(client, 'loan')).toEqual(await listIds(librarian, 'loan', { borrower: id }));
      expect((await ok(client.get('/api/data/loan?pageSize=1'), 200)).meta.total).toBe(own[name].length);
      expect((await ok(client.get('/api/data/loan/aggregate?metrics=count()'), 200)).data).toEqual([{ 'count()': own[name].length }]);
      expectStatus(await client.get(`/api/data/loan/${own[name][0]}`), 200);
    }
    expectStatus(await members.ann.client.get(`/api/data/loan/${loans.bobOpen}`), 404);
    expectStatus(await members.bob.client.get(`/api/data/loan/${loans.annOpen}`), 404);
    // The overdue page's own query, as a member: their open loans past due only.
    const overdue = `/api/data/loan?${filterParam({ returnedOn: null, dueOn: { lt: '$today' } })}`;
    expect((await ok(members.ann.client.get(overdue), 200)).data.map((l: { id: number }) => l.id)).toEqual([loans.annOverdue]);
    expect(sorted((await ok(librarian.get(overdue), 200)).data.map((l: { id: number }) => l.id))).toEqual(sorted([loans.annOverdue, loans.bobOpen]));
    expectStatus(await stranger.get('/api/data/loan'), 403);
  });

  it('step 6: GET /api/data/loan/<id>/can offers "return" only on an open loan, to someone who may update it', async () => {
    const can = async (client: Client, id: number) => (await ok(client.get(`/api/data/loan/${id}/can`), 200));
    expect(await can(librarian, loans.annOpen)).toEqual({ update: true, delete: false, actions: { 'library.return': true } });
    expect(await can(librarian, loans.annReturned)).toEqual({ update: true, delete: false, actions: { 'library.return': false } });
    // The borrower sees the loan but may not update it.
    expect(await can(members.ann.client, loans.annOpen)).toEqual({ update: false, delete: false, actions: { 'library.return': false } });
    expect((await can(annsLibrarian, loans.annOpen)).actions).toEqual({ 'library.return': true });
    // A loan the caller may not see is not there at all.
    expectStatus(await annsLibrarian.get(`/api/data/loan/${loans.bobOpen}/can`), 404);
    expectStatus(await members.bob.client.get(`/api/data/loan/${loans.annOpen}/can`), 404);
  });

  it('step 4: the return route works through the caller\'s scope: the borrower\'s librarian returns the loan, everyone else is refused', async () => {
    const back = (client: Client, id: number | string) => client.post(`/api/plugins/library/loans/${id}/return`);
    // The member may read the loan but not update loans: refused before the handler runs.
    expect(expectStatus(await back(members.ann.client, loans.annOverdue), 403).body.error.code).toBe('forbidden');
    expectStatus(await back(stranger, loans.annOverdue), 403);
    expectStatus(await back(app.client(), loans.annOverdue), 401);
    // Ann's librarian may update loans, but sees only Ann's: Bob's loan is not there for him.
    expectStatus(await back(annsLibrarian, loans.bobOpen), 404);
    expectStatus(await back(librarian, 999999), 404);
    expectStatus(await back(librarian, 'abc'), 404);
    expect((await ok(librarian.get(`/api/data/loan/${loans.bobOpen}`), 200)).returnedOn).toBeNull();

    const before = await ok(librarian.get(`/api/data/loan/${loans.annOverdue}`), 200);
    const returned = await ok(back(annsLibrarian, loans.annOverdue), 200);
    expect(returned).toMatchObject({ id: loans.annOverdue, returnedOn: today(), version: before.version + 1 });
    expect((await ok(members.ann.client.get(`/api/data/loan/${loans.annOverdue}`), 200)).returnedOn).toBe(today());
    const again = expectStatus(await back(librarian, loans.annOverdue), 409);
    expect(again.body.error.code).toBe('already_returned');
    expect((await ok(librarian.get(`/api/data/loan/${loans.annOverdue}/can`), 200)).actions).toEqual({ 'library.return': false });
  });

  it('step 8: disabled, the plugin\'s route answers 404 and its action is not offered; the records stay', async () => {
    await ok(admin.post('/api/plugins/library/disable', {}), 200);
    try {
      expectStatus(await librarian.post(`/api/plugins/library/loans/${loans.bobOpen}/return`), 404);
      expect((await ok(librarian.get(`/api/data/loan/${loans.bobOpen}/can`), 200)).actions).toEqual({});
      expect(await listIds(members.bob.client, 'loan')).toEqual([loans.bobOpen]);
    } finally {
      await ok(admin.post('/api/plugins/library/enable', {}), 200);
    }
    expectStatus(await librarian.post(`/api/plugins/library/loans/${loans.bobOpen}/return`), 200);
  });
});
