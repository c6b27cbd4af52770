/**
 * An installation keeps an administrator: the built-in role `admin` cannot be deleted or
 * renamed, and the last active user holding it cannot be deleted, deactivated or lose the role —
 * one by one or in bulk — each refused with 409 `last_admin` and nothing written. With a second
 * admin the first can go. `npm run admin -- reset-password <user>` (a real child process on the
 * test database) lets a locked-out installation in again.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function resetPassword(databaseUrl: string, username: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/admin-cli.ts', 'reset-password', username], {
    cwd: REPO, env: { ...process.env, DATABASE_URL: databaseUrl, DEMO: '0', MIGRATIONS_DIR: '', ADMIN_PASSWORD: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describeEachDialect('the last administrator', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let adminRole: number;
  let adminUser: number;

  const refused = (r: { status: number; body: any }) => expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 409, code: 'last_admin' });

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    adminRole = expectStatus(await admin.get(`/api/data/role?filter=${encodeURIComponent(JSON.stringify({ name: 'admin' }))}`), 200).body.data[0].id;
    adminUser = expectStatus(await admin.get('/api/auth/me'), 200).body.user.id;
  });
  afterAll(() => app?.close());

  it('the admin role cannot be deleted or renamed, alone or in bulk', async () => {
    const other = await create(admin, 'role', { name: 'clerk' });
    refused(await admin.delete(`/api/data/role/${adminRole}`));
    refused(await admin.patch(`/api/data/role/${adminRole}`, { name: 'root' }));
    refused(await admin.post('/api/data/role/bulk', { action: 'delete', ids: [other, adminRole] }));
    expect(expectStatus(await admin.get(`/api/data/role/${adminRole}`), 200).body.name).toBe('admin');
    expectStatus(await admin.get(`/api/data/role/${other}`), 200);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('the last active admin cannot be deleted, deactivated or lose the role', async () => {
    refused(await admin.patch(`/api/data/user/${adminUser}`, { active: false }));
    refused(await admin.patch(`/api/data/user/${adminUser}`, { roles: [] }));
    refused(await admin.delete(`/api/data/user/${adminUser}`));
    refused(await admin.post('/api/data/user/bulk', { action: 'update', ids: [adminUser], values: { active: false } }));
    const me = expectStatus(await admin.get(`/api/data/user/${adminUser}`), 200).body;
    expect([me.active, me.roles]).toEqual([true, [adminRole]]);
  });

  it('with a second admin the first may go; the second is then the last', async () => {
    const second = await create(admin, 'user', { username: 'ada', password: 'ada-password-1', name: 'Ada', roles: [adminRole] });
    const ada = await app.client().login('ada', 'ada-password-1');
    expectStatus(await ada.patch(`/api/data/user/${adminUser}`, { active: false }), 200);
    refused(await ada.patch(`/api/data/user/${second}`, { roles: [] }));
    // An inactive admin does not count.
    refused(await ada.delete(`/api/data/user/${second}`));
  });

  it('npm run admin -- reset-password lets a locked-out installation in again', async () => {
    // Locked out as if the last admin's password were lost.
    const reset = await resetPassword(app.databaseUrl, 'admin');
    expect(reset.code, reset.output).toBe(0);
    const password = /Log in with password: (\S+)/.exec(reset.output)![1]!;
    const back = await app.client().login('admin', password);
    const me = expectStatus(await back.get(`/api/data/user/${adminUser}`), 200).body;
    expect([me.active, me.roles]).toEqual([true, [adminRole]]);
    // A name not yet known is created as an admin.
    const created = await resetPassword(app.databaseUrl, 'rescue');
    expect(created.output).toContain('Created the admin account "rescue"');
    const rescue = await app.client().login('rescue', /Log in with password: (\S+)/.exec(created.output)![1]!);
    expectStatus(await rescue.get('/api/modules'), 200);
  });
});
