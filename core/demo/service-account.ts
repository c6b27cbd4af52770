import { randomBytes } from 'node:crypto';
import type { Stratum } from '../stratum.js';
import { SERVICE_ACCOUNT, SERVICE_ROLE } from '../../modules/crm/enrollment/service-account.js';
import type { EngineWriter } from './engine-writer.js';

/**
 * The account the CRM plugin's enrollment flow acts as (modules/crm/enrollment/service-account.ts),
 * so that the demo's enrollment links work out of the box: in 0030 Students, a department that
 * sees all records, with the role the plugin installed. Nobody logs in as it: its password is
 * random and not kept. Without the plugin (its role missing) there is nothing to do.
 */
export async function installServiceAccount(stratum: Stratum, writer: EngineWriter, department: number): Promise<number | undefined> {
  const q = (s: string) => stratum.db.quote(s);
  const roles = await stratum.db.all({ sql: `SELECT ${q('id')} AS id FROM ${q('role')} WHERE ${q('name')} = $1`, params: [SERVICE_ROLE] });
  if (roles.length === 0) return undefined;
  return writer.create('user', {
    username: SERVICE_ACCOUNT,
    password: randomBytes(24).toString('base64url'),
    name: 'Enrollment links (service account)',
    department,
    roles: [Number(roles[0]!.id)],
  });
}
