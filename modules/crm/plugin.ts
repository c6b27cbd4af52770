/**
 * The reference CRM as a plugin: its modules (./metadata), what they cannot say in code, its
 * pages in the admin UI (./ui) and its demo (./demo). Phone and QQ numbers are stored
 * normalized, so that the unique indexes of customer.phone and customer.qq catch the same person
 * typed differently, and the engine's 409 names the customer's owner.
 */
import { definePlugin } from '../../core/plugins/define-plugin.js';
import { crmUi } from './admin-ui.js';
import { installDemo } from './demo/install-demo.js';
import { normalizedContact } from './normalize.js';
import { enrollmentPublicRoutes, enrollmentRoutes } from './enrollment/routes.js';
import { ensureServiceRole } from './enrollment/service-account.js';
import { homeworkRoutes } from './homework/routes.js';
import { rollCallRoutes } from './roll-call/routes.js';

export default definePlugin({
  name: 'crm',
  version: '1.0.0',
  description: 'The reference CRM: normalized phone and QQ numbers for duplicate detection; the enrollment flow (link, public form, approval, mail) and homework files',
  // Given here too, so that the plugin passed as code (tests) ships its modules.
  metadata: new URL('./metadata/', import.meta.url),

  // The enrollment flow (./enrollment), homework files (./homework) and the roll call (./roll-call).
  routes: { ...enrollmentRoutes, ...homeworkRoutes, ...rollCallRoutes },
  publicRoutes: enrollmentPublicRoutes,
  install: ensureServiceRole,
  upgrade: ensureServiceRole,
  demo: installDemo,
  ui: crmUi,

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
