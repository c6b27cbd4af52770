/**
 * A write the database gives up on because of other transactions' locks (MariaDB's deadlock or
 * lock wait timeout, SQLite's busy) is never answered 500: a write of its own runs again, and
 * one that cannot (a plugin's hook took part in it) is answered 503 `busy` with Retry-After and
 * nothing written.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isLockConflict } from '../../core/db/lock-conflict.js';
import { definePlugin } from '../../core/plugins/define-plugin.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

/** What mysql2 and sqlite3 throw, as sequelize wraps them. */
const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { parent: { code: 'ER_LOCK_DEADLOCK', errno: 1213 } });

it('knows the lock conflicts of both databases, and nothing else', () => {
  expect(isLockConflict(deadlock())).toBe(true);
  expect(isLockConflict({ parent: { code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 } })).toBe(true);
  expect(isLockConflict({ original: { code: 'SQLITE_BUSY' } })).toBe(true);
  expect(isLockConflict({ parent: { code: 'ER_DUP_ENTRY', errno: 1062 } })).toBe(false);
  expect(isLockConflict(new Error('boom'))).toBe(false);
});

describeEachDialect('a write that meets a lock conflict', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let conflicts = 0;

  beforeAll(async () => {
    const jam = definePlugin({
      name: 'jam', version: '1.0.0',
      hooks: { gizmo: { beforeUpdate: ({ patch }: { patch: Record<string, unknown> }) => {
        if (patch.label === 'jam' && conflicts-- > 0) throw deadlock();
      } } },
    } as never);
    app = await startTestApp(dialect, { plugins: [jam] });
    admin = await app.admin();
    expectStatus(await admin.post('/api/modules', { $id: 'gizmo', type: 'object', properties: { label: { type: 'string', maxLength: 20 } } }), 201);
  });
  afterAll(() => app?.close());

  it('is answered 503 busy with Retry-After, nothing written, when a plugin took part', async () => {
    const id = await create(admin, 'gizmo', { label: 'first' });
    conflicts = 1;
    const r = await admin.patch(`/api/data/gizmo/${id}`, { label: 'jam' });
    expect({ status: r.status, code: r.body.error.code, retryAfter: r.headers.get('retry-after') }).toEqual({ status: 503, code: 'busy', retryAfter: '1' });
    expect(expectStatus(await admin.get(`/api/data/gizmo/${id}`), 200).body.label).toBe('first');
    // Sent again, it goes through.
    expect(expectStatus(await admin.patch(`/api/data/gizmo/${id}`, { label: 'jam' }), 200).body.label).toBe('jam');
  });
});
