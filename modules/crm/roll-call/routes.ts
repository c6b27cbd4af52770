/** The roll call of a lesson, mounted under /api/plugins/crm/. */
import type { Modules } from '../../../core/generated/modules.js';
import type { Routes } from '../../../core/plugins/define-plugin.js';
import { saveRollCall } from './save-roll-call.js';

export const rollCallRoutes: Routes<Modules> = {
  'PUT /lessons/:id/attendance': { requires: 'attendance:create', handler: saveRollCall },
};
