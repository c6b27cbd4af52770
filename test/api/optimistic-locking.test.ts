/** No lost updates: `If-Match: <version>` or `"version"` in a PATCH body (API.md "Records"). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, defineCrm, expectStatus } from './crm.js';

describeEachDialect('optimistic locking', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let tags: number[];

  const read = async (id: number) => expectStatus(await admin.get(`/api/data/customer/${id}`), 200).body;
  const stale = (r: { status: number; body: any }, current: number) => {
    expect({ status: r.status, code: r.body?.error?.code, currentVersion: r.body?.error?.currentVersion }).toEqual({ status: 409, code: 'stale', currentVersion: current });
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
    tags = [await create(admin, 'tag', { name: 'a' }), await create(admin, 'tag', { name: 'b' })];
  });
  afterAll(() => app?.close());

  it('If-Match with the current version writes and increments the version', async () => {
    const id = await create(admin, 'customer', { name: 'V1' });
    const got = await admin.get(`/api/data/customer/${id}`);
    expect(got.headers.get('etag')).toBe('"1"');
    const r = expectStatus(await admin.patch(`/api/data/customer/${id}`, { name: 'V2' }, { 'if-match': '1' }), 200);
    expect(r.body).toMatchObject({ name: 'V2', version: 2 });
    expect(r.headers.get('etag')).toBe('"2"');
    // the ETag as sent back, quoted, and its weak form work too
    expect(expectStatus(await admin.patch(`/api/data/customer/${id}`, { name: 'V3' }, { 'if-match': '"2"' }), 200).body.version).toBe(3);
    expect(expectStatus(await admin.patch(`/api/data/customer/${id}`, { name: 'V4' }, { 'if-match': 'W/"3"' }), 200).body.version).toBe(4);
    expect(await read(id)).toMatchObject({ name: 'V4', version: 4 });
  });

  it('a stale If-Match is 409 stale, and nothing is written (fields nor many-to-many)', async () => {
    const id = await create(admin, 'customer', { name: 'Kept', grade: 'gold', tags: [tags[0]] });
    expectStatus(await admin.patch(`/api/data/customer/${id}`, { grade: 'silver' }, { 'if-match': '1' }), 200);
    const before = await read(id);
    const r = await admin.patch(`/api/data/customer/${id}`, { name: 'Lost', grade: 'bronze', tags: [tags[1]] }, { 'if-match': '1' });
    stale(r, 2);
    expect(r.body.error.message).toMatch(/you sent version 1, it is now 2/);
    expect(await read(id)).toEqual(before);
    expect(before).toMatchObject({ name: 'Kept', grade: 'silver', tags: [tags[0]], version: 2 });
  });

  it('"version" in the body works the same way', async () => {
    const id = await create(admin, 'customer', { name: 'B1' });
    const ok = expectStatus(await admin.patch(`/api/data/customer/${id}`, { name: 'B2', version: 1 }), 200);
    expect(ok.body).toMatchObject({ name: 'B2', version: 2 });
    const before = await read(id);
    stale(await admin.patch(`/api/data/customer/${id}`, { name: 'B-lost', version: 1 }), 2);
    stale(await admin.patch(`/api/data/customer/${id}`, { name: 'B-future', version: 7 }), 2);
    expect(await read(id)).toEqual(before);
  });

  it('two users edit the same version: the second is refused, the first change stays', async () => {
    const id = await create(admin, 'customer', { name: 'Shared', industry: 'it' });
    const other = await app.admin();
    const mine = await read(id);
    const theirs = (await other.get(`/api/data/customer/${id}`)).body;
    expectStatus(await admin.patch(`/api/data/customer/${id}`, { industry: 'food', version: mine.version }), 200);
    stale(await other.patch(`/api/data/customer/${id}`, { industry: 'retail', version: theirs.version }), 2);
    expect(await read(id)).toMatchObject({ industry: 'food', version: 2 });
  });

  it('of simultaneous writes from the same version exactly one wins', async () => {
    const id = await create(admin, 'customer', { name: 'Race', visits: 0 });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => admin.patch(`/api/data/customer/${id}`, { visits: n }, { 'if-match': '1' })));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    const winner = replies.find((r) => r.status === 200)!.body.visits;
    expect(await read(id)).toMatchObject({ visits: winner, version: 2 });
  });

  it('without a version the write is unconditional, and still increments the version', async () => {
    const id = await create(admin, 'customer', { name: 'Free' });
    expectStatus(await admin.patch(`/api/data/customer/${id}`, { name: 'Free 2' }), 200);
    expect(expectStatus(await admin.patch(`/api/data/customer/${id}`, { name: 'Free 3' }, { 'if-match': '*' }), 200).body.version).toBe(3);
  });

  it('a malformed If-Match is 400, and a missing record is 404 rather than stale', async () => {
    const id = await create(admin, 'customer', { name: 'Odd' });
    const bad = await admin.patch(`/api/data/customer/${id}`, { name: 'Odd 2' }, { 'if-match': 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_version');
    expect(await read(id)).toMatchObject({ name: 'Odd', version: 1 });
    const gone = await admin.patch('/api/data/customer/999999', { name: 'x' }, { 'if-match': '1' });
    expect(gone.status).toBe(404);
  });
});
