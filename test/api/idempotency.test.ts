/**
 * `Idempotency-Key` (API.md "Writes accept Idempotency-Key"): a retry with the same key and body
 * answers the first answer and writes nothing, also when the first answer was lost after its write
 * committed; a key reused for another request is refused; keys are the caller's own.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { openSecondStratum, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus, secondAdmin } from './crm.js';
import { setAfterAnswerHook } from '../../core/api/idempotency.js';
import { IDEMPOTENCY_TABLE } from '../../core/db/idempotency-table.js';
import { storedDateTime } from '../../core/query/values.js';

let keys = 0;
/** A key no other test uses. */
const newKey = () => `test-key-${Date.now()}-${++keys}`;
const withKey = (key: string) => ({ 'idempotency-key': key });

describeEachDialect('Idempotency-Key', (dialect) => {
  let app: TestApp;
  let admin: Client;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    expectStatus(await admin.post('/api/modules', {
      $id: 'payment', type: 'object',
      properties: { payee: { type: 'string', maxLength: 40 }, amount: { type: 'number' }, note: { type: 'string', maxLength: 40 } },
      required: ['payee'],
    }), 201);
  });
  afterAll(() => app?.close());
  afterEach(() => setAfterAnswerHook(undefined));

  const count = async (where = '') => Number((await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${app.stratum.db.quote('payment')} ${where}`, params: [] }))[0]!.n);
  const paymentsTo = (payee: string) => count(`WHERE ${app.stratum.db.quote('payee')} = '${payee.replace(/'/g, '')}'`);
  const replayed = (r: Reply) => r.headers.get('idempotent-replayed');

  it('a create sent twice with one key writes once and answers the same 201 and record, marked as replayed', async () => {
    const key = newKey();
    const first = expectStatus(await admin.post('/api/data/payment', { payee: 'twice', amount: 10 }, withKey(key)), 201);
    expect(replayed(first)).toBeNull();
    const again = expectStatus(await admin.post('/api/data/payment', { payee: 'twice', amount: 10 }, withKey(key)), 201);
    expect(again.body).toEqual(first.body);
    expect(replayed(again)).toBe('true');
    expect(await paymentsTo('twice')).toBe(1);
  });

  it('the same object spelled another way (key order, spacing) is the same request', async () => {
    const key = newKey();
    expectStatus(await admin.post('/api/data/payment', '{"payee":"spelled","amount":5}', withKey(key)), 201);
    const again = expectStatus(await admin.post('/api/data/payment', '{ "amount": 5, "payee": "spelled" }', withKey(key)), 201);
    expect(replayed(again)).toBe('true');
    expect(await paymentsTo('spelled')).toBe(1);
  });

  it('the key reused with another body or path is refused with 422 idempotency_key_reused, nothing written', async () => {
    const key = newKey();
    const first = expectStatus(await admin.post('/api/data/payment', { payee: 'reused', amount: 1 }, withKey(key)), 201);
    const otherBody = expectStatus(await admin.post('/api/data/payment', { payee: 'reused', amount: 2 }, withKey(key)), 422);
    expect(otherBody.body.error).toMatchObject({ code: 'idempotency_key_reused', header: 'Idempotency-Key' });
    const otherPath = expectStatus(await admin.patch(`/api/data/payment/${first.body.id}`, { amount: 3 }, withKey(key)), 422);
    expect(otherPath.body.error.code).toBe('idempotency_key_reused');
    expect(await paymentsTo('reused')).toBe(1);
    expect(expectStatus(await admin.get(`/api/data/payment/${first.body.id}`), 200).body).toMatchObject({ amount: 1, version: 1 });
  });

  it('a PATCH replayed answers the first record and ETag; the version moves once', async () => {
    const id = await create(admin, 'payment', { payee: 'patched', amount: 1 });
    const key = newKey();
    const first = expectStatus(await admin.patch(`/api/data/payment/${id}`, { amount: 2 }, withKey(key)), 200);
    expect(first.headers.get('etag')).toBe('"2"');
    const again = expectStatus(await admin.patch(`/api/data/payment/${id}`, { amount: 2 }, withKey(key)), 200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('etag')).toBe('"2"');
    expect(replayed(again)).toBe('true');
    expect(expectStatus(await admin.get(`/api/data/payment/${id}`), 200).body.version).toBe(2);
  });

  it('a DELETE replayed answers 204 again instead of 404', async () => {
    const id = await create(admin, 'payment', { payee: 'deleted' });
    const key = newKey();
    expectStatus(await admin.delete(`/api/data/payment/${id}`, withKey(key)), 204);
    const again = expectStatus(await admin.delete(`/api/data/payment/${id}`, withKey(key)), 204);
    expect(replayed(again)).toBe('true');
    expectStatus(await admin.delete(`/api/data/payment/${id}`), 404);
  });

  it('a bulk update replayed answers its first answer and changes nothing again', async () => {
    const ids = [await create(admin, 'payment', { payee: 'bulk a' }), await create(admin, 'payment', { payee: 'bulk b' })];
    const key = newKey();
    const body = { action: 'update', ids, values: { note: 'paid' } };
    const first = expectStatus(await admin.post('/api/data/payment/bulk', body, withKey(key)), 200);
    expect(first.body).toEqual({ action: 'update', count: 2 });
    const again = expectStatus(await admin.post('/api/data/payment/bulk', body, withKey(key)), 200);
    expect(again.body).toEqual(first.body);
    expect(replayed(again)).toBe('true');
    for (const id of ids) expect(expectStatus(await admin.get(`/api/data/payment/${id}`), 200).body.version).toBe(2);
  });

  it('a write outside the records API (a module definition) is answered again too, not refused as a duplicate', async () => {
    const key = newKey();
    const def = { $id: `keyed_${keys}`, type: 'object', properties: { name: { type: 'string', maxLength: 20 } } };
    const first = expectStatus(await admin.post('/api/modules', def, withKey(key)), 201);
    const again = expectStatus(await admin.post('/api/modules', def, withKey(key)), 201);
    expect(again.body).toEqual(first.body);
    expect(replayed(again)).toBe('true');
    expectStatus(await admin.post('/api/modules', def), 409);
  });

  it('keys are the caller\'s own: two users with one key each write', async () => {
    const other = await secondAdmin(admin, () => app.client(), `keyholder${dialect}`, 'Key Holder');
    const key = newKey();
    const mine = expectStatus(await admin.post('/api/data/payment', { payee: 'shared key' }, withKey(key)), 201);
    const theirs = expectStatus(await other.client.post('/api/data/payment', { payee: 'shared key' }, withKey(key)), 201);
    expect(replayed(theirs)).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.createdBy).toBe(other.id);
    expect(await paymentsTo('shared key')).toBe(2);
  });

  it('a refused request does not use up its key: fixed, it writes with the same key', async () => {
    const key = newKey();
    const bad = expectStatus(await admin.post('/api/data/payment', { payee: 'refused', amount: 'lots' }, withKey(key)), 400);
    expect(replayed(bad)).toBeNull();
    const fixed = expectStatus(await admin.post('/api/data/payment', { payee: 'refused', amount: 3 }, withKey(key)), 201);
    expect(replayed(fixed)).toBeNull();
    expect(await paymentsTo('refused')).toBe(1);
  });

  it('a malformed key is 400 invalid_header naming the header, and nothing is written', async () => {
    for (const key of ['', 'x'.repeat(256), 'schlüssel']) {
      const r = expectStatus(await admin.post('/api/data/payment', { payee: 'malformed' }, withKey(key)), 400);
      expect(r.body.error).toMatchObject({ code: 'invalid_header', header: 'Idempotency-Key' });
      expect(r.body.error.message).toContain('Idempotency-Key');
    }
    expectStatus(await admin.post('/api/data/payment', { payee: 'malformed' }, withKey('x'.repeat(255))), 201);
    expect(await paymentsTo('malformed')).toBe(1);
  });

  it('without a key nothing changes: the same create twice writes twice', async () => {
    expectStatus(await admin.post('/api/data/payment', { payee: 'no key' }), 201);
    expectStatus(await admin.post('/api/data/payment', { payee: 'no key' }), 201);
    expect(await paymentsTo('no key')).toBe(2);
  });

  it('a key is ignored where there is no caller to keep it for (login)', async () => {
    const key = newKey();
    for (let i = 0; i < 2; i++) {
      const r = expectStatus(await app.client().post('/api/auth/login', { username: 'admin', password: 'admin-test-password' }, withKey(key)), 200);
      expect(replayed(r)).toBeNull();
    }
  });

  it('a key older than a day is forgotten: the request runs again', async () => {
    const key = newKey();
    expectStatus(await admin.post('/api/data/payment', { payee: 'a day later' }, withKey(key)), 201);
    const q = (s: string) => app.stratum.db.quote(s);
    await app.stratum.db.update({
      sql: `UPDATE ${q(IDEMPOTENCY_TABLE)} SET ${q('createdAt')} = $1 WHERE ${q('idempotencyKey')} = $2`,
      params: [storedDateTime(new Date(Date.now() - 25 * 60 * 60 * 1000)), key],
    });
    const again = expectStatus(await admin.post('/api/data/payment', { payee: 'a day later' }, withKey(key)), 201);
    expect(replayed(again)).toBeNull();
    expect(await paymentsTo('a day later')).toBe(2);
  });

  it('concurrent requests with one key write once: the others are 409 idempotency_key_in_use with Retry-After, or the replay', async () => {
    const key = newKey();
    const replies = await Promise.all(Array.from({ length: 10 }, () => admin.post('/api/data/payment', { payee: 'at once' }, withKey(key))));
    const fresh = replies.filter((r) => r.status === 201 && replayed(r) === null);
    const again = replies.filter((r) => r.status === 201 && replayed(r) === 'true');
    const busy = replies.filter((r) => r.status === 409);
    expect(fresh).toHaveLength(1);
    expect(fresh.length + again.length + busy.length, JSON.stringify(replies.map((r) => [r.status, r.body]))).toBe(10);
    for (const r of busy) {
      expect(r.body.error.code).toBe('idempotency_key_in_use');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    for (const r of again) expect(r.body).toEqual(fresh[0]!.body);
    expect(await paymentsTo('at once')).toBe(1);
    // Once the first is answered, everyone gets its answer.
    expect(replayed(expectStatus(await admin.post('/api/data/payment', { payee: 'at once' }, withKey(key)), 201))).toBe('true');
  });

  it('two server processes served one key at once write once (the key is unique in the database)', async () => {
    const second = await openSecondStratum(app);
    try {
      const other = await second.admin();
      const key = newKey();
      const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? admin : other).post('/api/data/payment', { payee: 'two processes' }, withKey(key))));
      expect(replies.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === 'idempotency_key_in_use')), JSON.stringify(replies.map((r) => [r.status, r.body]))).toBe(true);
      expect(replies.filter((r) => r.status === 201 && replayed(r) === null)).toHaveLength(1);
      expect(await paymentsTo('two processes')).toBe(1);
    } finally {
      await second.stratum.close();
    }
  });

  it('the OpenAPI document names the header on every write of a module, and on no read', async () => {
    const doc = expectStatus(await admin.get('/api/openapi.json'), 200).body;
    const names = (op: { parameters?: { name: string }[] }) => (op.parameters ?? []).map((p) => p.name);
    const writes = [doc.paths['/api/data/payment'].post, doc.paths['/api/data/payment/{id}'].patch, doc.paths['/api/data/payment/{id}'].delete, doc.paths['/api/data/payment/bulk'].post];
    for (const op of writes) {
      expect(names(op)).toContain('Idempotency-Key');
      expect(op.responses['422']).toBeDefined();
    }
    expect(names(doc.paths['/api/data/payment/{id}'].get)).not.toContain('Idempotency-Key');
  });

  it('an answer lost after the commit: the retry answers the created record with 201 and writes nothing', async () => {
    const key = newKey();
    setAfterAnswerHook(() => Promise.reject(new Error('the connection died before the answer was kept')));
    const lost = await admin.post('/api/data/payment', { payee: 'lost create', amount: 7 }, withKey(key));
    expect(lost.status).toBe(500);
    setAfterAnswerHook(undefined);
    expect(await paymentsTo('lost create')).toBe(1);
    const retry = expectStatus(await admin.post('/api/data/payment', { payee: 'lost create', amount: 7 }, withKey(key)), 201);
    expect(replayed(retry)).toBe('true');
    expect(retry.body).toMatchObject({ payee: 'lost create', amount: 7, version: 1 });
    expect(await paymentsTo('lost create')).toBe(1);
  });

  it('an answer lost after the commit: a PATCH retried answers the record once changed, a DELETE 204', async () => {
    const id = await create(admin, 'payment', { payee: 'lost update', amount: 1 });
    const patchKey = newKey();
    setAfterAnswerHook(() => Promise.reject(new Error('lost')));
    expect((await admin.patch(`/api/data/payment/${id}`, { amount: 2 }, withKey(patchKey))).status).toBe(500);
    const deleteKey = newKey();
    const other = await create(admin, 'payment', { payee: 'lost delete' });
    expect((await admin.delete(`/api/data/payment/${other}`, withKey(deleteKey))).status).toBe(500);
    setAfterAnswerHook(undefined);
    const patched = expectStatus(await admin.patch(`/api/data/payment/${id}`, { amount: 2 }, withKey(patchKey)), 200);
    expect(patched.body).toMatchObject({ id, amount: 2, version: 2 });
    expect(patched.headers.get('etag')).toBe('"2"');
    expect(replayed(patched)).toBe('true');
    expect(replayed(expectStatus(await admin.delete(`/api/data/payment/${other}`, withKey(deleteKey)), 204))).toBe('true');
    expect(await paymentsTo('lost delete')).toBe(0);
  });
});
