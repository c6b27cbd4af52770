import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/app.js';

const DAY = 86_400_000;

/** One statement authenticates a request; sessions slide like lucia's and expire for good. */
describeEachDialect('request authentication', (dialect) => {
  let app: TestApp;
  const q = (s: string) => app.stratum.db.quote(s);
  const sessionRow = async (id: string) =>
    (await app.stratum.db.all({ sql: `SELECT ${q('expiresAt')} AS e FROM ${q('_stratum_sessions')} WHERE ${q('id')} = $1`, params: [id] }))[0];
  const setExpiry = (id: string, at: number) =>
    app.stratum.db.update({ sql: `UPDATE ${q('_stratum_sessions')} SET ${q('expiresAt')} = $1 WHERE ${q('id')} = $2`, params: [at, id] });

  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(async () => app?.close());

  it('a session in its second half is extended by 30 days and its cookie re-sent', async () => {
    const admin = await app.admin();
    const id = admin.cookie.split('=')[1]!;
    await setExpiry(id, Date.now() + 10 * DAY);
    const r = await admin.get('/api/auth/me');
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toContain(`stratum_session=${id}`);
    expect(Number((await sessionRow(id))!.e)).toBeGreaterThan(Date.now() + 29 * DAY);
  });

  it('a session in its first half is not rewritten', async () => {
    const admin = await app.admin();
    const r = await admin.get('/api/auth/me');
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('an expired session is refused and removed', async () => {
    const admin = await app.admin();
    const id = admin.cookie.split('=')[1]!;
    await setExpiry(id, Date.now() - 1);
    expect((await admin.get('/api/auth/me')).status).toBe(401);
    expect(await sessionRow(id)).toBeUndefined();
  });

  it('a deactivated user is refused at once, session or token', async () => {
    const admin = await app.admin();
    const u = await admin.post('/api/data/user', { username: 'temp', password: 'password-123' });
    const temp = await app.client().login('temp', 'password-123');
    const token = (await temp.post('/api/auth/tokens', { name: 'script' })).body.token;
    expect((await temp.get('/api/auth/me')).body.user).toMatchObject({ username: 'temp', isAdmin: false, roles: [] });
    await admin.patch(`/api/data/user/${u.body.id}`, { active: false });
    expect((await temp.get('/api/auth/me')).status).toBe(401);
    const script = app.client();
    script.bearer = token;
    expect((await script.get('/api/auth/me')).status).toBe(401);
  });

  it('/me reports the roles, and admin comes from the admin role', async () => {
    const admin = await app.admin();
    expect((await admin.get('/api/auth/me')).body.user).toMatchObject({ username: 'admin', isAdmin: true, roles: ['admin'] });
  });
});
