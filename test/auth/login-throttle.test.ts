/**
 * Logins are throttled per name and per client address, in the database: after 5 failures of a
 * name (20 from an address) each further attempt waits 1 s, 2 s, 4 s … up to a 15-minute lock, is
 * answered 429 with Retry-After, and its password is not checked. A test clock stands in for
 * the waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSlots } from '../../core/auth/hash-slots.js';
import { DEFAULT_THROTTLE, lockedUntil } from '../../core/auth/login-throttle.js';
import { ADMIN_PASSWORD } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { Clock, httpLogin, startThrottledApp, type ThrottledApp } from './throttled-app.js';

describe('the wait after failures', () => {
  it('is none for the free failures, then doubles from 1 s up to 15 minutes', () => {
    const waits = Array.from({ length: 16 }, (_, failures) => lockedUntil(failures, 0, 5, DEFAULT_THROTTLE) / 1000);
    expect(waits).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
  });
});

describeEachDialect('login throttling', (dialect) => {
  let app: ThrottledApp;
  const clock = new Clock();

  const attempt = async (username: string, password: string) => {
    const r = await app.client().post('/api/auth/login', { username, password });
    return { status: r.status, code: r.body?.error?.code as string | undefined, retryAfter: r.headers.get('retry-after'), cookie: r.headers.get('set-cookie') !== null };
  };
  const failing = { status: 401, code: 'invalid_credentials', retryAfter: null, cookie: false };
  const waiting = (seconds: number) => ({ status: 429, code: 'too_many_attempts', retryAfter: String(seconds), cookie: false });

  beforeAll(async () => {
    app = await startThrottledApp(dialect, { loginThrottle: { now: clock.now } });
    const admin = await app.client().login('admin', ADMIN_PASSWORD);
    for (const username of ['nora', 'olga']) {
      expect((await admin.post('/api/data/user', { username, password: `${username}-password-1`, name: username })).status).toBe(201);
    }
  });
  afterAll(() => app?.close());

  it('a name gets 5 tries; then each attempt waits, twice as long after each failure, and a right password during the wait is refused unchecked', async () => {
    for (let i = 0; i < 5; i++) expect(await attempt('nora', 'wrong')).toEqual(failing);
    const refused = await app.client().post('/api/auth/login', { username: 'nora', password: 'wrong' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^Too many failed logins .*try again in 1 s \(at 2030-01-01T00:00:01Z\)/);
    const hashed = hashSlots.ran;
    expect(await attempt('nora', 'nora-password-1')).toEqual(waiting(1));
    // Neither answer checked the password: a lock costs no hashing.
    expect(hashSlots.ran).toBe(hashed);

    clock.advance(1000);
    expect(await attempt('nora', 'wrong')).toEqual(failing);
    expect(await attempt('nora', 'wrong')).toEqual(waiting(2));
    clock.advance(1000);
    expect(await attempt('nora', 'nora-password-1')).toEqual(waiting(1));
    clock.advance(1000);
    expect(await attempt('nora', 'nora-password-1')).toMatchObject({ status: 200, cookie: true });

    // The success started the name from zero.
    for (let i = 0; i < 5; i++) expect(await attempt('nora', 'wrong')).toEqual(failing);
    expect(await attempt('nora', 'wrong')).toEqual(waiting(1));
    // Another name is not concerned.
    expect(await attempt('olga', 'olga-password-1')).toMatchObject({ status: 200 });
  });

  it('the waits grow to a 15-minute lock, and a name left alone for an hour starts again', async () => {
    const waits: (string | null)[] = [];
    for (let failures = 1; failures <= 15; failures++) {
      clock.advance(15 * 60_000);
      expect(await attempt('olga', 'wrong')).toEqual(failing);
      // The right password, unchecked while the name waits: how long it must wait.
      if (failures >= 5) waits.push((await attempt('olga', 'olga-password-1')).retryAfter);
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '64', '128', '256', '512', '900']);
    clock.advance(899_000);
    expect(await attempt('olga', 'olga-password-1')).toEqual(waiting(1));
    clock.advance(60 * 60_000);
    expect(await attempt('olga', 'olga-password-1')).toMatchObject({ status: 200 });
  });

  it('an unknown name is throttled the same way, with the same answers', async () => {
    clock.advance(60 * 60_000);
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await attempt('nora', 'wrong'));
      unknown.push(await attempt('nobody-here', 'wrong'));
    }
    expect(unknown).toEqual(known);
    expect(unknown).toEqual([failing, failing, failing, failing, failing, waiting(1), waiting(1)]);
    // Names are counted case-blind, as MariaDB finds them.
    expect(await attempt('NOBODY-HERE', 'wrong')).toEqual(waiting(1));
  });

  it('attempts sent together on one name: only about the free tries are checked to the end, the others are refused', async () => {
    clock.advance(60 * 60_000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => attempt('nora', 'wrong')));
    const checked = answers.filter((r) => r.status === 401).length;
    // All pass the first look at once; each finishing derivation looks again before it answers.
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(5 + hashSlots.size);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(10 - checked);
  });

  it('40 logins at once hash 2 at a time, and a signed-in list is answered while they wait', async () => {
    const admin = await app.client().login('admin', ADMIN_PASSWORD);
    let settled = 0;
    const logins = Array.from({ length: 40 }, (_, i) => attempt(`stranger-${i}`, 'wrong').finally(() => settled++));
    while (hashSlots.queued === 0 && settled < 40) await new Promise((resolve) => setImmediate(resolve));
    const list = await admin.get('/api/data/department');
    expect(list.status).toBe(200);
    expect(settled).toBeLessThan(40);
    expect((await Promise.all(logins)).every((r) => r.status === 401)).toBe(true);
    expect(hashSlots.peak).toBe(2);
  });
});

describeEachDialect('login throttling per client address', (dialect) => {
  let app: ThrottledApp;
  let base: string;
  const clock = new Clock();
  const from = (address: string) => ({ 'x-forwarded-for': address });

  beforeAll(async () => {
    // The test talks to the server from 127.0.0.1, as a proxy would, and names the client in X-Forwarded-For.
    app = await startThrottledApp(dialect, { loginThrottle: { now: clock.now }, trustedProxies: ['127.0.0.1', '::1'] });
    base = await app.listen();
  });
  afterAll(() => app?.close());

  it('an address gets 20 tries over any names; then it waits, right password included, and other addresses do not', async () => {
    for (let i = 0; i < 20; i++) expect((await httpLogin(base, `guess-${i}`, 'wrong', from('203.0.113.7'))).status).toBe(401);
    expect(await httpLogin(base, 'guess-20', 'wrong', from('203.0.113.7'))).toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: '1' });
    expect(await httpLogin(base, 'admin', ADMIN_PASSWORD, from('203.0.113.7'))).toMatchObject({ status: 429, cookie: null });
    expect(await httpLogin(base, 'admin', ADMIN_PASSWORD, from('198.51.100.4'))).toMatchObject({ status: 200 });
    clock.advance(1000);
    // The address's count outlives a success: the next failure waits twice as long.
    expect(await httpLogin(base, 'admin', ADMIN_PASSWORD, from('203.0.113.7'))).toMatchObject({ status: 200 });
    expect((await httpLogin(base, 'guess-21', 'wrong', from('203.0.113.7'))).status).toBe(401);
    expect(await httpLogin(base, 'guess-22', 'wrong', from('203.0.113.7'))).toMatchObject({ status: 429, retryAfter: '2' });
  });

  it('without a trusted proxy, X-Forwarded-For is ignored: the socket address is counted', async () => {
    const direct = await startThrottledApp(dialect, { loginThrottle: { now: clock.now, addressFailures: 3 } });
    try {
      const url = await direct.listen();
      for (let i = 0; i < 3; i++) expect((await httpLogin(url, `guess-${i}`, 'wrong', from(`192.0.2.${i}`))).status).toBe(401);
      expect(await httpLogin(url, 'guess-3', 'wrong', from('192.0.2.99'))).toMatchObject({ status: 429 });
    } finally {
      await direct.close();
    }
  });
});
