/**
 * Whom the portal shows: the student record linked to the login (`student.user`). Logins in the
 * student role land on the portal (`landing` in ../../admin-ui.ts); what it shows is what the API
 * lets this login read, so anyone else who opens /portal sees at most their own (usually nothing).
 */
import { api, type Me } from '../../../../ui/plugin-sdk.js';

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
