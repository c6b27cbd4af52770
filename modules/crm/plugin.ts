/**
 * The CRM's code: only what its metadata (metadata/crm) cannot say. Phone and QQ numbers are
 * stored normalized, so that the unique indexes of customer.phone and customer.qq catch the
 * same person typed differently, and the engine's 409 names the customer's owner (C-2, S-4).
 */
import { definePlugin } from '../../core/plugins/define-plugin.js';
import { normalizedContact } from './normalize.js';
import { enrollmentPublicRoutes, enrollmentRoutes } from './enrollment/routes.js';
import { ensureServiceRole } from './enrollment/service-account.js';
import { homeworkRoutes } from './homework/routes.js';
import { rollCallRoutes } from './roll-call/routes.js';

export default definePlugin({
  name: 'crm',
  version: '1.0.0',
  description: 'The reference CRM: normalized phone and QQ numbers for duplicate detection; the enrollment flow (link, public form, approval, mail) and homework files',
  // enrollment_form and outbox; given here too, so that the plugin passed as code (tests) ships them.
  metadata: new URL('./metadata/', import.meta.url),

  // E-1..E-4 (modules/crm/enrollment), S-9 and S-16 (modules/crm/homework), S-15 (modules/crm/roll-call).
  routes: { ...enrollmentRoutes, ...homeworkRoutes, ...rollCallRoutes },
  publicRoutes: enrollmentPublicRoutes,
  install: ensureServiceRole,
  upgrade: ensureServiceRole,

  hooks: {
    customer: {
      beforeCreate: (customer) => normalizedContact(customer),
      beforeUpdate: ({ patch }) => normalizedContact(patch),
    },
    referral: {
      beforeCreate: (referral) => normalizedContact(referral),
      beforeUpdate: ({ patch }) => normalizedContact(patch),
    },
    student: {
      beforeCreate: (student) => normalizedContact(student),
      beforeUpdate: ({ patch }) => normalizedContact(patch),
    },
  },
});
