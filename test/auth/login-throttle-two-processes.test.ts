/**
 * Login failures are counted in the database, so every server process on it agrees: failures
 * through process A (in this test process) make process B (a real `core/server.ts` on the same
 * MariaDB database, called over HTTP) refuse the name, and B's success clears it for A.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { freePort, startServer, stopServer, type ServerProcess } from '../support/server-process.js';
import { httpLogin } from './throttled-app.js';

// Processes sharing one database need a database server: MariaDB. Run whenever MariaDB is tested.
describe.skipIf(!testDialects().includes('mariadb'))('login throttling across two server processes [mariadb]', () => {
  let app: TestApp;
  let b: ServerProcess | undefined;
  let base: string;

  beforeAll(async () => {
    app = await startTestApp('mariadb');
    const admin = await app.admin();
    expect((await admin.post('/api/data/user', { username: 'nora', password: 'nora-password-1', name: 'Nora' })).status).toBe(201);
    const port = await freePort();
    b = await startServer({
      DATABASE_URL: app.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_PASSWORD,
      METADATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'stratum-b-metadata-')),
      MODULES_DIR: '',
      MIGRATIONS_DIR: '',
      DEMO: '0',
      BUILTIN_PLUGINS: '0',
    });
    base = `http://127.0.0.1:${port}`;
  }, 180_000);
  afterAll(async () => {
    if (b) await stopServer(b);
    await app?.close();
  });

  it('failures through A make B refuse the name, right password included; B\'s success clears it for A', async () => {
    const throughA = (password: string) => app.client().post('/api/auth/login', { username: 'nora', password });
    for (let i = 0; i < 5; i++) expect((await throughA('wrong')).status).toBe(401);
    expect(await httpLogin(base, 'nora', 'wrong')).toMatchObject({ status: 429, code: 'too_many_attempts', retryAfter: '1' });
    expect(await httpLogin(base, 'nora', 'nora-password-1')).toMatchObject({ status: 429, cookie: null });
    // The shortest wait, 1 s, really waited: B runs on the real clock.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await httpLogin(base, 'nora', 'nora-password-1')).toMatchObject({ status: 200 });
    for (let i = 0; i < 5; i++) expect((await throughA('wrong')).status).toBe(401);
    expect((await throughA('wrong')).status).toBe(429);
  });
});
