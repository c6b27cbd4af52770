/**
 * The account the enrollment flow acts as where no person may (docs/PLUGINS.md "Routes"): the
 * public form, which has no caller, and the one step of an approval a salesperson may not do
 * themselves, opening the student's login. The plugin installs its role; an admin creates the
 * account in a department that sees all records (the demo: 学员 Students), because the links
 * reach every sales department's enrollments. New student logins join that same department.
 */
import type { Modules } from '../../../core/generated/modules.js';
import type { TransactionScope } from '../../../core/plugins/define-plugin.js';

export const SERVICE_ACCOUNT = 'crm_enrollment';
export const SERVICE_ROLE = 'crm enrollment service';
/** The CRM's student role, given to each new student login. */
export const STUDENT_ROLE = 'student';

type Grant = { module: string; actions: ('read' | 'create' | 'update' | 'delete')[]; readFields?: string[]; writeFields?: string[] };

/** Only what the flow needs: read the link's enrollment and what the form shows, keep the form, open a login. */
export const SERVICE_PERMISSIONS: readonly Grant[] = [
  { module: 'enrollment_form', actions: ['read', 'create', 'update'] },
  { module: 'enrollment', actions: ['read', 'update'], writeFields: ['status', 'agreedAt'] },
  { module: 'class', actions: ['read'] },
  { module: 'course', actions: ['read'] },
  { module: 'campus', actions: ['read'] },
  { module: 'contract_template', actions: ['read'] },
  { module: 'student', actions: ['read', 'update'], writeFields: ['user'] },
  { module: 'user', actions: ['read', 'create'], readFields: ['username', 'department', 'active'], writeFields: ['username', 'password', 'name', 'email', 'department', 'roles'] },
  { module: 'role', actions: ['read'], readFields: ['name'] },
  { module: 'department', actions: ['read'] },
  { module: 'outbox', actions: ['create'] },
];

/** Creates the service role with its permissions, unless a role of that name exists (install and upgrade). */
export async function ensureServiceRole({ records, log }: TransactionScope<Modules> & { log(line: string): void }): Promise<void> {
  const existing = await records('role').list({ filter: { name: SERVICE_ROLE }, fields: 'id' });
  if (existing.data.length > 0) return;
  const role = await records('role').create({ name: SERVICE_ROLE, description: `What the account "${SERVICE_ACCOUNT}" may do for the enrollment flow (modules/crm)` });
  for (const grant of SERVICE_PERMISSIONS) await records('permission').create({ role: role.id, ...grant });
  log(`created the role "${SERVICE_ROLE}"; create the account "${SERVICE_ACCOUNT}" with it, in a department that sees all records, to switch enrollment links on`);
}
