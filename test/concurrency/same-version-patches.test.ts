/**
 * Concurrent writers of one record: 20 PATCHes that all send the same If-Match give exactly one
 * winner, and every other answer is 409 `stale` (the version moved) — never 500, whatever the
 * database does about their locks (MariaDB answers some of them with a deadlock, which the engine
 * retries). Creates racing for one unique value give one winner and 409 `duplicate`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const PARALLEL = 20;
const MANY = 200;

describeEachDialect('concurrent writers of one record', (dialect) => {
  let app: TestApp;
  let admin: Client;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    expectStatus(await admin.post('/api/modules', {
      $id: 'ticket', type: 'object',
      properties: { title: { type: 'string', maxLength: 40 }, code: { type: 'string', maxLength: 20, 'x-unique': true }, hits: { type: 'integer' } },
    }), 201);
  });
  afterAll(() => app?.close());

  const tally = (statuses: { status: number; code?: string }[]) => statuses.reduce<Record<string, number>>((t, s) => {
    const key = `${s.status}${s.code ? ` ${s.code}` : ''}`;
    t[key] = (t[key] ?? 0) + 1;
    return t;
  }, {});

  it(`${PARALLEL} PATCHes with one If-Match: one 200, the others 409 stale, no 5xx`, async () => {
    for (let round = 0; round < 3; round++) {
      const id = await create(admin, 'ticket', { title: `round ${round}`, hits: 0 });
      const { version } = expectStatus(await admin.get(`/api/data/ticket/${id}`), 200).body;
      const replies = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => admin.patch(`/api/data/ticket/${id}`, { hits: i + 1 }, { 'if-match': String(version) })));
      const counted = tally(replies.map((r) => ({ status: r.status, code: r.status === 200 ? undefined : r.body?.error?.code })));
      expect(counted, JSON.stringify(counted)).toEqual({ 200: 1, '409 stale': PARALLEL - 1 });
      const after = expectStatus(await admin.get(`/api/data/ticket/${id}`), 200).body;
      expect(after.version).toBe(version + 1);
      const winner = replies.find((r) => r.status === 200)!.body;
      expect(after.hits).toBe(winner.hits);
    }
  });

  it(`${PARALLEL} PATCHes without a version all land, one after the other`, async () => {
    const id = await create(admin, 'ticket', { title: 'free for all', hits: 0 });
    const replies = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => admin.patch(`/api/data/ticket/${id}`, { title: `writer ${i}` })));
    expect(tally(replies.map((r) => ({ status: r.status, code: r.body?.error?.code })))).toEqual({ 200: PARALLEL });
    expect(expectStatus(await admin.get(`/api/data/ticket/${id}`), 200).body.version).toBe(1 + PARALLEL);
  });

  it(`${MANY} PATCHes with one If-Match and ${MANY} creates with one unique value: one winner each, no 5xx`, async () => {
    const id = await create(admin, 'ticket', { title: 'crowd', hits: 0 });
    const { version } = expectStatus(await admin.get(`/api/data/ticket/${id}`), 200).body;
    const patches = await Promise.all(Array.from({ length: MANY }, (_, i) => admin.patch(`/api/data/ticket/${id}`, { hits: i }, { 'if-match': String(version) })));
    expect(tally(patches.map((r) => ({ status: r.status, code: r.status === 200 ? undefined : r.body?.error?.code })))).toEqual({ 200: 1, '409 stale': MANY - 1 });
    const creates = await Promise.all(Array.from({ length: MANY }, (_, i) => admin.post('/api/data/ticket', { title: `crowd ${i}`, code: 'CROWD' })));
    expect(tally(creates.map((r) => ({ status: r.status, code: r.status === 201 ? undefined : r.body?.error?.code })))).toEqual({ 201: 1, '409 duplicate': MANY - 1 });
  });

  it(`${PARALLEL} creates with one unique value: one 201, the others 409 duplicate`, async () => {
    const replies = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => admin.post('/api/data/ticket', { title: `racer ${i}`, code: 'ONLY-ONE' })));
    expect(tally(replies.map((r) => ({ status: r.status, code: r.status === 201 ? undefined : r.body?.error?.code })))).toEqual({ 201: 1, '409 duplicate': PARALLEL - 1 });
  });
});
