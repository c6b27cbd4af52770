import { readFileSync } from 'node:fs';
import type { RecordWriter } from './record-writer.js';

/** One role of roles.json: its permissions (what) and rules (which records). */
export interface RoleSpec {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly { module: string; actions: string[]; readFields?: string[]; writeFields?: string[] }[];
  readonly rules: readonly { name: string; module: string; filter: object; actions: string[] }[];
}

export const CRM_ROLES: readonly RoleSpec[] = (JSON.parse(readFileSync(new URL('./roles.json', import.meta.url), 'utf8')) as { roles: RoleSpec[] }).roles;

export type CrmRole = 'sales' | 'sales manager' | 'teacher' | 'student';

/**
 * Creates the CRM's roles with their permissions and rules, as records an admin can
 * change afterwards. Returns the role ids by name.
 */
export async function installRoles(writer: RecordWriter, roles: readonly RoleSpec[] = CRM_ROLES): Promise<Record<CrmRole, number>> {
  const ids: Record<string, number> = {};
  for (const role of roles) {
    const id = await writer.create('role', { name: role.name, description: role.description });
    ids[role.name] = id;
    for (const p of role.permissions) await writer.create('permission', { role: id, ...p });
    for (const r of role.rules) await writer.create('rule', { ...r, roles: [id] });
  }
  return ids as Record<CrmRole, number>;
}
