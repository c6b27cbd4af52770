/**
 * Sales sends an enrollment link. The caller must be able to change the enrollment (their
 * own customer's): the enrollment is written first, as the caller, with the tuition and the
 * contract the form will show. The link's form is then kept as the service account, since no
 * role of a person is granted enrollment_form, and any earlier open link of the enrollment stops
 * working: only the latest link counts.
 */
import type { Enrollment, Modules } from '../../../core/generated/modules.js';
import { conflict, type RouteContext, type TransactionScope } from '../../../core/plugins/define-plugin.js';
import { publicUrl, recordId } from '../public-url.js';
import { LINK_LIFETIME_DAYS, newToken } from './link-token.js';
import { SERVICE_ACCOUNT } from './service-account.js';

export async function createLink({ params, records, transaction, actAs, req, json }: RouteContext<Modules>): Promise<Response> {
  const id = recordId(params.id, 'enrollment');
  const enrollment = await records('enrollment').get(id);
  if (enrollment.status !== 'sent') {
    throw conflict('enrollment_not_open', `Enrollment ${id} is ${enrollment.status}: a link is sent only while the enrollment waits for its form`);
  }
  const { token, hash } = newToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_DAYS * 86_400_000).toISOString();
  await transaction(async (t) => {
    // First, as the caller: a colleague who may read but not change the enrollment gets 403 here.
    await t.records('enrollment').update(id, await terms(t, enrollment), { version: enrollment.version });
    const service = await actAs(SERVICE_ACCOUNT, t);
    const forms = service.records('enrollment_form');
    const open = await forms.list({ filter: { enrollment: id, submittedAt: { isNull: true }, revokedAt: { isNull: true } }, fields: 'id', pageSize: 500, total: 'none' });
    for (const form of open.data) await forms.update(form.id, { revokedAt: now.toISOString() });
    await forms.create({ enrollment: id, tokenHash: hash, expiresAt });
  });
  // `url` is the API's form (scripts); `page` is the page a customer opens in a browser (modules/crm/ui/public).
  return json({ enrollment: id, url: publicUrl(req, `/api/plugins/crm/enroll/${token}`), page: publicUrl(req, `/enroll/${token}`), expiresAt }, 201);
}

/**
 * The tuition and contract the form shows, fixed on the enrollment when the link is sent: what
 * sales set, else the course's price and the active template of the course, else the general one.
 */
async function terms(t: TransactionScope<Modules>, enrollment: Enrollment): Promise<{ price: number; contractTemplate: number }> {
  const cls = await t.records('class').get(enrollment.class);
  const price = enrollment.price ?? (await t.records('course').get(cls.course)).price;
  if (enrollment.contractTemplate !== null) return { price, contractTemplate: enrollment.contractTemplate };
  const templates = (await t.records('contract_template').list({ filter: { active: true }, fields: 'id,course', sort: 'id', pageSize: 500, total: 'none' })).data;
  const template = templates.find((c) => c.course === cls.course) ?? templates.find((c) => c.course === null);
  if (!template) {
    throw conflict('no_contract_template', `There is no active contract template for this course nor a general one: an admin creates one (module contract_template) before links are sent`);
  }
  return { price, contractTemplate: template.id };
}
