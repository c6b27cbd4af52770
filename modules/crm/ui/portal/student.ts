/**
 * Who the portal is for: a login in the CRM's student role, and the student record linked to it
 * (`student.user`). The role only chooses the pages; what they show is what the API lets this
 * login read, so anyone else who opens /portal sees at most their own (usually nothing).
 */
import type { Me } from '../../core/client/index.js';
import { api } from '../api.js';

/** The CRM's student role (modules/crm/enrollment/service-account.ts gives it to new students). */
export const STUDENT_ROLE = 'student';

export const isStudent = (me: Me): boolean => !me.isAdmin && me.roles.includes(STUDENT_ROLE);

export interface StudentSelf {
  id: number;
  name: string;
}

/** The caller's own student record, or null when none is linked to the login. */
export async function loadSelf(me: Me): Promise<StudentSelf | null> {
  const found = await api.data('student').list({ filter: { user: me.id }, fields: ['name'], pageSize: 1, total: 'none' });
  const row = found.data[0];
  return row ? { id: Number(row.id), name: String(row.name ?? me.name ?? me.username) } : null;
}
