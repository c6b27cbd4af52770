/**
 * The enrollment form behind a link, without login. It acts as the service account and
 * touches only the link's own enrollment: what the customer is shown (class, course, tuition,
 * contract) and what they send (name, phone, e-mail, ID number and document, agreement).
 */
import type { EnrollmentForm, Modules } from '../../../core/generated/modules.js';
import { HttpError, refuseAll, type ErrorDetail, type PluginScope, type PublicRouteContext } from '../../../core/plugins/define-plugin.js';
import { ID_DOCUMENT_KINDS } from '../files/file-kinds.js';
import { MAX_UPLOAD_BYTES, readUpload } from '../files/read-upload.js';
import { discardFile, storeFile } from '../files/stored-files.js';
import { countAttempt, gone, openLink } from './open-link.js';
import { SERVICE_ACCOUNT } from './service-account.js';

const TEXT_FIELDS = ['name', 'phone', 'email', 'idNumber'] as const;
const AGREED = new Set(['true', 'on', 'yes', '1']);

/** GET: what the form shows. */
export async function showForm({ params, actAs }: PublicRouteContext<Modules>) {
  const service = await actAs(SERVICE_ACCOUNT);
  const link = await openLink(service, params.token);
  const enrollment = await openEnrollment(service, link);
  const cls = await service.records('class').get(enrollment.class);
  const course = await service.records('course').get(cls.course);
  const campus = await service.records('campus').get(cls.campus);
  const contract = enrollment.contractTemplate === null ? null : await service.records('contract_template').get(enrollment.contractTemplate);
  return {
    class: { name: cls.name, semester: cls.semester, startDate: cls.startDate, campus: campus.name },
    course: { name: course.name, outline: course.outline, periodWeeks: course.periodWeeks },
    price: enrollment.price ?? course.price,
    contract: contract && { name: contract.name, text: contract.content },
    expiresAt: link.expiresAt,
    form: {
      method: 'POST',
      encoding: 'multipart/form-data',
      fields: [...TEXT_FIELDS, 'agree'],
      file: { field: 'idDocument', types: ID_DOCUMENT_KINDS.map((k) => k.mime), maxBytes: MAX_UPLOAD_BYTES },
    },
  };
}

/** POST: the filled-in form, once. Every refusal counts against the link (openLink locks it). */
export async function submitForm({ params, actAs, req, json }: PublicRouteContext<Modules>): Promise<Response> {
  const service = await actAs(SERVICE_ACCOUNT);
  const link = await openLink(service, params.token);
  let stored: string | undefined;
  try {
    const upload = await readUpload(req, 'idDocument', ID_DOCUMENT_KINDS);
    const details: ErrorDetail[] = [];
    const value = (field: string) => upload.fields[field]?.trim() ?? '';
    for (const field of TEXT_FIELDS) if (value(field) === '') details.push({ path: `/${field}`, message: 'is required', code: 'required' });
    if (!AGREED.has(value('agree').toLowerCase())) details.push({ path: '/agree', message: 'agree to the contract to enroll', code: 'required' });
    if (upload.fileProblem) details.push(upload.fileProblem);
    if (details.length > 0 || !upload.file) refuseAll(details);
    stored = await storeFile('id-documents', upload.file.bytes, upload.file.kind);
    const now = new Date().toISOString();
    const document = { idDocument: stored, idDocumentType: upload.file.kind.mime as EnrollmentForm['idDocumentType'], idDocumentSize: upload.file.bytes.length };
    await service.transaction(async (t) => {
      const enrollment = await openEnrollment(t, link);
      // With the version read above: of two submissions at once, the second finds the link used (409).
      await t.records('enrollment_form').update(link.id, {
        name: value('name'), phone: value('phone'), email: value('email'), idNumber: value('idNumber'), ...document, agreedAt: now, submittedAt: now,
      }, { version: link.version });
      await t.records('enrollment').update(enrollment.id, { status: 'submitted', agreedAt: now });
    });
  } catch (e) {
    if (stored) await discardFile(stored);
    if (e instanceof HttpError && [400, 413, 415].includes(e.status)) await countAttempt(service, link);
    throw e;
  }
  return json({ status: 'submitted', message: 'Thank you: your consultant reviews the form and you will get an e-mail once the enrollment is approved.' }, 201);
}

/** The link's enrollment, while it still waits for the form (sales may have cancelled it). */
async function openEnrollment(service: PluginScope<Modules>, link: EnrollmentForm) {
  const enrollment = await service.records('enrollment').get(link.enrollment);
  if (enrollment.status !== 'sent') throw gone('enrollment_closed', `This enrollment is ${enrollment.status} and takes no form: ask your consultant.`);
  return enrollment;
}
