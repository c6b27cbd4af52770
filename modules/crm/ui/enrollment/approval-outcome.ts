/**
 * What an approval created, as links: the student, the payment and the place in the
 * class. Read as the caller, like every page: what their rules hide is not shown. Right after
 * the approval it also says the student's login and what became of their mail.
 */
import { html, useEffect, useState, api, fieldOf, Alert, Loading, formatValue, onUnauthenticated, type Rec, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { methodLabel } from './approve-form.js';
import type { Approval } from './enrollment-api.js';

interface Created {
  student?: Rec;
  payments: Rec[];
  memberships: Rec[];
}

const refId = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : typeof v === 'object' ? Number((v as Rec).id) : Number(v));

export function ApprovalOutcome({ session, record, approval }: { session: Session; record: Rec; approval?: Approval }) {
  const [created, setCreated] = useState<Created>();
  const studentId = approval?.student ?? refId(record.student);
  const classId = refId(record.class);
  const readable = (m: string) => session.meta.has(m);

  useEffect(() => {
    const none = Promise.resolve({ data: [] as Rec[] });
    Promise.all([
      readable('student') && studentId ? api.data('student').get(studentId, { fields: ['name'] }).catch(() => undefined) : undefined,
      readable('payment') ? api.data('payment').list({ filter: { enrollment: record.id }, fields: ['amount', 'paidOn', 'method'], sort: 'id', pageSize: 20 }).catch(() => ({ data: [] })) : none,
      readable('class_member') && studentId && classId
        ? api.data('class_member').list({ filter: { class: classId, student: studentId }, fields: ['class.name', 'joinedOn'], pageSize: 5 }).catch(() => ({ data: [] }))
        : none,
    ]).then(([student, payments, memberships]) => setCreated({ student, payments: payments.data, memberships: memberships.data }), onUnauthenticated);
  }, [record.id, studentId, classId]);

  const amountField = session.meta.get('payment') && fieldOf(session.meta.get('payment')!, 'amount');
  const approvedOn = record.approvedAt ? String(record.approvedAt) : '';
  return html`<div class="crm-outcome" data-testid="approval-outcome">
    <${Alert} kind="success" testid="approved">${approval ? t('crm.approved.now') : t('crm.approved.on', { date: approvedOn })}</${Alert}>
    ${!created ? html`<${Loading} />` : html`<ul class="crm-created">
      ${created.student && html`<li data-created="student"><span class="crm-created-kind">${t('crm.created.student')}</span>
        <a href=${`/m/student/${created.student.id}`}>${created.student.name ?? `#${created.student.id}`}</a></li>`}
      ${created.payments.map((p) => html`<li data-created="payment"><span class="crm-created-kind">${t('crm.created.payment')}</span>
        <a href=${`/m/payment/${p.id}`}>${[formatValue(p.amount, amountField), p.method ? methodLabel(String(p.method)) : '', p.paidOn].filter(Boolean).join(' · ')}</a></li>`)}
      ${created.memberships.map((c) => html`<li data-created="membership"><span class="crm-created-kind">${t('crm.created.membership')}</span>
        <a href=${`/m/class_member/${c.id}`}>${c.class?.name ?? `#${c.id}`}</a>${c.joinedOn && html` <span class="muted">${t('crm.created.joined', { date: String(c.joinedOn) })}</span>`}</li>`)}
    </ul>`}
    ${approval && html`<p data-testid="student-login">${t('crm.approved.login', { login: approval.login })} ${t(`crm.mail.${approval.mail}`)}</p>`}
  </div>`;
}
