import type { Client, TestApp } from '../support/app.js';
import { ok } from '../access/helpers.js';

export const PASSWORD = 'plugin-test-password';

/** A role with these permissions (`{ ticket: ['read', 'create'] }`); its id. */
export async function role(admin: Client, name: string, permissions: Record<string, string[]>): Promise<number> {
  const id = (await ok(admin.post('/api/data/role', { name }))).id as number;
  for (const [module, actions] of Object.entries(permissions)) await ok(admin.post('/api/data/permission', { role: id, module, actions }));
  return id;
}

/** A user with these roles, and a client logged in as them. */
export async function user(app: TestApp, admin: Client, username: string, roles: number[], extra: Record<string, unknown> = {}): Promise<{ id: number; client: Client }> {
  const id = (await ok(admin.post('/api/data/user', { username, password: PASSWORD, name: username, roles, ...extra }))).id as number;
  return { id, client: await app.client().login(username, PASSWORD) };
}
