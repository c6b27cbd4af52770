/**
 * The review of an enrollment: the submitted form and its ID document, for those who may change the enrollment
 * (its consultant, their manager, admins). Both are kept as the service account; the caller's own
 * scope on the enrollment decides, so the document is never served without that permission.
 */
import { readFile } from 'node:fs/promises';
import { forbidden, notFound } from '../../../core/errors.js';
import type { EnrollmentForm, Modules } from '../../../core/generated/modules.js';
import type { RouteContext } from '../../../core/plugins/define-plugin.js';
import { storedFile } from '../files/stored-files.js';
import { recordId } from '../public-url.js';
import { SERVICE_ACCOUNT } from './service-account.js';

/** GET: the latest submitted form of the enrollment. */
export async function showSubmittedForm(ctx: RouteContext<Modules>) {
  const { id, form } = await reviewable(ctx);
  return {
    enrollment: id,
    name: form.name, phone: form.phone, email: form.email, idNumber: form.idNumber,
    agreedAt: form.agreedAt, submittedAt: form.submittedAt,
    idDocument: form.idDocument === null ? null : {
      type: form.idDocumentType, size: form.idDocumentSize, url: `/api/plugins/crm/enrollments/${id}/id-document`,
    },
  };
}

/** GET: the ID document itself, as a download. */
export async function downloadIdDocument(ctx: RouteContext<Modules>): Promise<Response> {
  const { id, form } = await reviewable(ctx);
  const file = await storedFile('id-documents', form.idDocument);
  if (!file) throw notFound(`The ID document of enrollment ${id}`);
  return new Response(new Uint8Array(await readFile(file.path)), {
    headers: {
      'content-type': file.kind.mime,
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="enrollment-${id}-id-document.${file.kind.ext}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}

async function reviewable({ params, records, actAs }: RouteContext<Modules>): Promise<{ id: number; form: EnrollmentForm }> {
  const id = recordId(params.id, 'enrollment');
  // 404 for an enrollment the caller may not see; then their update scope on it decides.
  if (!(await records('enrollment').can(id)).update) {
    throw forbidden('enrollment:update', `You may see enrollment ${id} but not review it: its consultant, their manager or an admin does`);
  }
  const service = await actAs(SERVICE_ACCOUNT);
  const forms = await service.records('enrollment_form').list({ filter: { enrollment: id, submittedAt: { isNull: false } }, sort: '-submittedAt,-id', pageSize: 1, total: 'none' });
  const form = forms.data[0];
  if (!form) throw notFound(`A submitted form of enrollment ${id}`);
  return { id, form };
}
