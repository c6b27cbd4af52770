/** Sessions: login, logout, `me`, and a session required on every /api route but login. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, defineModule, expectStatus, salesmanDef } from './crm.js';

const WRONG = { status: 401, code: 'invalid_credentials', message: 'Wrong username or password' };

describeEachDialect('authentication', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let noraId: number;

  const attempt = async (username: string, password: string) => {
    const r = await app.client().post('/api/auth/login', { username, password });
    return { status: r.status, code: r.body?.error?.code, message: r.body?.error?.message, cookie: r.headers.get('set-cookie') };
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineModule(admin, salesmanDef);
    noraId = await create(admin, 'user', { username: 'nora', password: 'nora-password-1', name: 'Nora' });
  });
  afterAll(() => app?.close());

  describe('without a session', () => {
    it('every /api route but login answers 401 unauthenticated', async () => {
      const anon = app.client();
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/auth/me'],
        ['GET', '/api/data/department'],
        ['GET', '/api/data/department/1'],
        ['GET', '/api/data/salesman/aggregate?groupBy=name'],
        ['POST', '/api/data/salesman', { name: 'x' }],
        ['PATCH', '/api/data/department/1', { name: 'x' }],
        ['DELETE', '/api/data/department/1'],
        ['GET', '/api/modules'],
        ['POST', '/api/modules', { $id: 'x', type: 'object', properties: {} }],
        ['PUT', '/api/modules/salesman', salesmanDef],
        ['DELETE', '/api/modules/salesman'],
        // unknown routes too: no way to probe what exists without logging in
        ['GET', '/api/nosuch'],
      ];
      for (const [method, url, body] of calls) {
        const r = await anon.request(method, url, body);
        expect({ call: `${method} ${url}`, status: r.status, code: r.body?.error?.code }).toEqual({ call: `${method} ${url}`, status: 401, code: 'unauthenticated' });
      }
      expect(expectStatus(await admin.get('/api/data/salesman'), 200).body.meta.total).toBe(0);
      expect((await admin.get('/api/modules/x')).status).toBe(404);
    });

    it('a made-up session cookie or bearer token is no session', async () => {
      const forged = app.client();
      forged.cookie = 'stratum_session=0123456789abcdef0123456789abcdef';
      expect((await forged.get('/api/auth/me')).status).toBe(401);
      const bearer = app.client();
      bearer.bearer = 'not-a-token';
      expect((await bearer.get('/api/auth/me')).status).toBe(401);
    });
  });

  describe('login', () => {
    it('sets an HttpOnly session cookie and returns the user', async () => {
      const client = app.client();
      const r = expectStatus(await client.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD }), 200);
      expect(r.body.user).toMatchObject({ username: 'admin', name: 'Administrator', isAdmin: true, roles: ['admin'] });
      expect(r.body.user).not.toHaveProperty('password');
      const cookie = r.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^stratum_session=[^;]{20,};/);
      const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      expect(expectStatus(await client.get('/api/auth/me'), 200).body.user).toEqual(r.body.user);
    });

    it('GET /api/auth/me tells who the session belongs to', async () => {
      const nora = await app.client().login('nora', 'nora-password-1');
      expect(expectStatus(await nora.get('/api/auth/me'), 200).body.user).toEqual({ id: noraId, username: 'nora', name: 'Nora', isAdmin: false, roles: [] });
      expect(expectStatus(await admin.get('/api/auth/me'), 200).body.user.username).toBe('admin');
    });

    it('a wrong password and an unknown user get the same 401, and no cookie', async () => {
      expect(await attempt('admin', 'not-the-password')).toEqual({ ...WRONG, cookie: null });
      expect(await attempt('nobody', 'not-the-password')).toEqual({ ...WRONG, cookie: null });
      expect(await attempt('nora', 'NORA-PASSWORD-1')).toEqual({ ...WRONG, cookie: null });
      expect(await attempt('nora', '')).toEqual({ ...WRONG, cookie: null });
    });

    it('refuses a login without username or password (400), or not as JSON (415)', async () => {
      const r = await app.client().post('/api/auth/login', { username: 'admin' });
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ path: '/password', message: 'is required' }]);
      const form = await app.client().post('/api/auth/login', `username=admin&password=${ADMIN_PASSWORD}`, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
      expect(form.headers.get('set-cookie')).toBeNull();
    });

    it('a user without permissions is logged in but may do nothing (403)', async () => {
      const nora = await app.client().login('nora', 'nora-password-1');
      const r = await nora.get('/api/data/salesman');
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'forbidden', permission: 'salesman:read' });
      expect((await nora.post('/api/data/salesman', { name: 'x' })).status).toBe(403);
      expect(expectStatus(await admin.get('/api/data/salesman'), 200).body.meta.total).toBe(0);
    });
  });

  describe('logout and session end', () => {
    it('logout ends the session on the server: the old cookie no longer works', async () => {
      const client = await app.client().login('admin', ADMIN_PASSWORD);
      const stolen = client.cookie;
      expect((await client.get('/api/auth/me')).status).toBe(200);
      const out = await client.post('/api/auth/logout');
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^stratum_session=;.*Max-Age=0/i);
      expect((await client.get('/api/auth/me')).status).toBe(401);
      const replay = app.client();
      replay.cookie = stolen;
      expect((await replay.get('/api/auth/me')).status).toBe(401);
      // other sessions of the same user are not affected
      expect((await admin.get('/api/auth/me')).status).toBe(200);
    });

    it('a deactivated user is logged out at once and cannot log in again', async () => {
      const id = await create(admin, 'user', { username: 'olga', password: 'olga-password-1' });
      const olga = await app.client().login('olga', 'olga-password-1');
      expect((await olga.get('/api/auth/me')).status).toBe(200);
      expectStatus(await admin.patch(`/api/data/user/${id}`, { active: false }), 200);
      expect((await olga.get('/api/auth/me')).status).toBe(401);
      expect(await attempt('olga', 'olga-password-1')).toEqual({ ...WRONG, cookie: null });
    });

    it('a changed password: the new one works, the old one does not; it is stored hashed', async () => {
      const id = await create(admin, 'user', { username: 'pete', password: 'pete-password-1' });
      expectStatus(await admin.patch(`/api/data/user/${id}`, { password: 'pete-password-2' }), 200);
      expect(await attempt('pete', 'pete-password-1')).toEqual({ ...WRONG, cookie: null });
      expect((await attempt('pete', 'pete-password-2')).status).toBe(200);
      const rows = await app.stratum.db.all({ sql: `SELECT ${app.stratum.db.quote('password')} AS p FROM ${app.stratum.db.quote('user')} WHERE ${app.stratum.db.quote('id')} = $1`, params: [id] });
      expect(String(rows[0]!.p)).not.toContain('pete-password');
      expect((await admin.get(`/api/data/user/${id}`)).body).not.toHaveProperty('password');
    });
  });
});
