import type { Client, TestApp } from '../support/app.js';
import { ok } from '../access/helpers.js';

/**
 * A small world for the audit history: accounts belong to a department (their scope) and may
 * carry labels (many-to-many); accounts are soft-deleted, labels removed for good.
 *
 * - alice (0010) and bob (0020): role `sales`, every action on accounts and labels, each in their department;
 * - carol (0010): role `viewer`, reads accounts but only name, tier and department (readFields);
 * - erin (0010): role `sales`, with a rule that lets her update silver accounts only.
 */
export interface HistoryWorld {
  admin: Client;
  dept: Record<'a' | 'b', number>;
  users: Record<'alice' | 'bob' | 'carol' | 'erin', { id: number; client: Client }>;
}

export const PASSWORD = 'history-test-password';

export async function buildHistoryWorld(app: TestApp): Promise<HistoryWorld> {
  const admin = await app.admin();
  await ok(admin.post('/api/modules', {
    $id: 'label', type: 'object', properties: { text: { type: 'string', maxLength: 30 } }, required: ['text'],
  }));
  await ok(admin.post('/api/modules', {
    $id: 'account', type: 'object', 'x-soft-delete': true,
    properties: {
      name: { type: 'string', maxLength: 60, 'x-unique': true },
      tier: { type: 'string', enum: ['gold', 'silver', 'bronze'], default: 'bronze' },
      revenue: { type: 'number', minimum: 0 },
      notes: { type: 'string' },
      department: { type: 'integer', 'x-ref': 'department' },
      labels: { type: 'array', items: { type: 'integer' }, 'x-ref': 'label' },
    },
    required: ['name'],
  }));
  const dept = {
    a: (await ok(admin.post('/api/data/department', { code: '0010', name: 'A' }))).id,
    b: (await ok(admin.post('/api/data/department', { code: '0020', name: 'B' }))).id,
  };
  const sales = (await ok(admin.post('/api/data/role', { name: 'sales' }))).id;
  const viewer = (await ok(admin.post('/api/data/role', { name: 'viewer' }))).id;
  for (const module of ['account', 'label']) await ok(admin.post('/api/data/permission', { role: sales, module, actions: ['read', 'create', 'update', 'delete'] }));
  for (const module of ['department', 'label']) await ok(admin.post('/api/data/permission', { role: viewer, module, actions: ['read'] }));
  await ok(admin.post('/api/data/permission', { role: viewer, module: 'account', actions: ['read'], readFields: ['name', 'tier', 'department'] }));
  await ok(admin.post('/api/data/permission', { role: sales, module: 'department', actions: ['read'] }));
  const user = async (username: string, department: number, roles: number[]) => {
    const id = (await ok(admin.post('/api/data/user', { username, password: PASSWORD, name: username, department, roles }))).id as number;
    return { id, client: await app.client().login(username, PASSWORD) };
  };
  const users = {
    alice: await user('alice', dept.a, [sales]),
    bob: await user('bob', dept.b, [sales]),
    carol: await user('carol', dept.a, [viewer]),
    erin: await user('erin', dept.a, [sales]),
  };
  await ok(admin.post('/api/data/rule', { name: 'erin updates silver only', module: 'account', filter: { tier: 'silver' }, actions: ['update'], users: [users.erin.id] }));
  return { admin, dept, users };
}
