import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';

/** P-4: a changed password logs out whoever knew the old one, everywhere but where it was changed. */
describeEachDialect('a password change ends the other sessions', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect);
  });
  afterAll(async () => app?.close());

  it("an admin changing someone's password logs that user out of every session; their API token stays", async () => {
    const admin = await app.admin();
    const sam = (await admin.post('/api/data/user', { username: 'sam', password: 'sam-password-1' })).body;
    const phone = await app.client().login('sam', 'sam-password-1');
    const laptop = await app.client().login('sam', 'sam-password-1');
    const token = (await laptop.post('/api/auth/tokens', { name: 'script' })).body.token as string;
    expect((await admin.patch(`/api/data/user/${sam.id}`, { password: 'sam-password-2' })).status).toBe(200);
    expect((await phone.get('/api/auth/me')).status).toBe(401);
    expect((await laptop.get('/api/auth/me')).status).toBe(401);
    const script = app.client();
    script.bearer = token;
    expect((await script.get('/api/auth/me')).status).toBe(200);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
    await app.client().login('sam', 'sam-password-2');
  });

  it('changing one\'s own password keeps the session that changed it and ends the others', async () => {
    const here = await app.admin();
    const elsewhere = await app.admin();
    const me = (await here.get('/api/auth/me')).body.user;
    expect((await here.patch(`/api/data/user/${me.id}`, { password: 'new-admin-password' })).status).toBe(200);
    expect((await here.get('/api/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    // Other changes to a user end nothing.
    const again = await app.client().login('admin', 'new-admin-password');
    expect((await here.patch(`/api/data/user/${me.id}`, { name: 'Root' })).status).toBe(200);
    expect((await again.get('/api/auth/me')).status).toBe(200);
    expect((await here.patch(`/api/data/user/${me.id}`, { password: ADMIN_PASSWORD })).status).toBe(200);
  });
});
