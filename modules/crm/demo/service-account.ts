import { randomBytes } from 'node:crypto';
import { SERVICE_ACCOUNT, SERVICE_ROLE } from '../enrollment/service-account.js';
import type { RecordWriter } from './record-writer.js';

/**
 * The account the enrollment flow acts as (modules/crm/enrollment/service-account.ts), so that the
 * demo's enrollment links work out of the box: in 0030 Students, a department that sees all
 * records, with the role the plugin installed. Nobody logs in as it: its password is random and
 * not kept. Without the plugin's role there is nothing to do.
 */
export async function installServiceAccount(writer: RecordWriter, department: number): Promise<number | undefined> {
  const role = await writer.find('role', 'name', SERVICE_ROLE);
  if (role === undefined) return undefined;
  return writer.create('user', {
    username: SERVICE_ACCOUNT,
    password: randomBytes(24).toString('base64url'),
    name: 'Enrollment links (service account)',
    department,
    roles: [role],
  });
}
