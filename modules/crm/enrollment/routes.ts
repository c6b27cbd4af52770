/** The enrollment flow's routes, mounted under /api/plugins/crm/. */
import type { Modules } from '../../../core/generated/modules.js';
import type { PublicRoutes, Routes } from '../../../core/plugins/define-plugin.js';
import { approveEnrollment } from './approve.js';
import { createLink } from './create-link.js';
import { showForm, submitForm } from './public-form.js';
import { downloadIdDocument, showSubmittedForm } from './review.js';

export const enrollmentRoutes: Routes<Modules> = {
  'POST /enrollments/:id/link': { requires: 'enrollment:update', handler: createLink },
  'GET /enrollments/:id/form': { requires: 'enrollment:update', handler: showSubmittedForm },
  'GET /enrollments/:id/id-document': { requires: 'enrollment:update', handler: downloadIdDocument },
  'POST /enrollments/:id/approve': { requires: 'enrollment:update', handler: approveEnrollment },
};

/** The link itself: no login, the token is the key. */
export const enrollmentPublicRoutes: PublicRoutes<Modules> = {
  'GET /enroll/:token': showForm,
  'POST /enroll/:token': submitForm,
};
