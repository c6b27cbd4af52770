/**
 * The enrollment's work on its page, offered by the server only to who may do it (its consultant,
 * their manager, an admin: plugin.ts asks the caller's update scope on the record) and only in a
 * status with work: sent, create the link for the customer; submitted, the form they sent and the
 * approval; approved, what the approval created. The routes check again; a refusal reading the
 * submitted form (the record changed meanwhile) says so instead of offering anything.
 */
import { html, useEffect, useState, fieldOf, messageOf, StratumError, Alert, Loading, onUnauthenticated, type ModuleMeta, type RecordProps } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { ApprovalOutcome } from './approval-outcome.js';
import { ApproveForm } from './approve-form.js';
import { EnrollmentLinkPanel } from './enrollment-link.js';
import { fetchSubmittedForm, type Approval, type SubmittedForm } from './enrollment-api.js';
import { SubmittedFormView } from './submitted-form.js';

/** The statuses of the CRM's enrollment (modules/crm/metadata/enrollment.json) in which there is work. */
const WORKFLOW = ['sent', 'submitted', 'approved'];

type Review = { state: 'loading' } | { state: 'ready'; form: SubmittedForm | null } | { state: 'refused' } | { state: 'failed'; message: string };

/** The CRM's enrollment, not some other module that happens to share its name. */
const isCrmEnrollment = (m: ModuleMeta) =>
  WORKFLOW.every((s) => fieldOf(m, 'status')?.enum?.includes(s)) && fieldOf(m, 'customer')?.ref === 'customer' && fieldOf(m, 'class')?.ref === 'class';

export function EnrollmentActions({ session, module: m, record, reload }: RecordProps) {
  const status = String(record.status);
  const id = Number(record.id);
  const offered = m.actions.includes('update') && isCrmEnrollment(m) && WORKFLOW.includes(status);
  const [review, setReview] = useState<Review>({ state: 'loading' });
  // Kept across the reload that follows an approval: the login and the mail are told only once.
  const [approval, setApproval] = useState<Approval>();

  useEffect(() => {
    if (!offered) return;
    setReview({ state: 'loading' });
    fetchSubmittedForm(id).then(
      (form) => setReview({ state: 'ready', form }),
      (e) => {
        if (onUnauthenticated(e)) return;
        if (e instanceof StratumError && e.status === 403) setReview({ state: 'refused' });
        // Before the customer sends it there is no form yet: that is the normal case.
        else if (e instanceof StratumError && e.status === 404 && status === 'sent') setReview({ state: 'ready', form: null });
        else setReview({ state: 'failed', message: messageOf(e) });
      },
    );
  }, [offered, status, id]);

  if (!offered) return null;
  const body = () => {
    if (review.state === 'loading') return html`<${Loading} />`;
    if (review.state === 'refused') return html`<${Alert} kind="info" testid="enrollment-not-yours">${t('crm.notYours')}</${Alert}>`;
    if (review.state === 'failed') return html`<${Alert}>${review.message}</${Alert}>`;
    if (status === 'sent') return html`<${EnrollmentLinkPanel} id=${id} />`;
    if (status === 'submitted') {
      return html`${review.form && html`<${SubmittedFormView} form=${review.form} />`}
        <${ApproveForm} session=${session} record=${record} onApproved=${(a: Approval) => { setApproval(a); reload(); }} />`;
    }
    return html`<${ApprovalOutcome} session=${session} record=${record} approval=${approval} />
      ${review.form && html`<details class="crm-form-details"><summary>${t('crm.form.title')}</summary><${SubmittedFormView} form=${review.form} heading=${false} /></details>`}`;
  };
  return html`<section class="panel crm-actions" data-testid="enrollment-actions" data-status=${status} aria-labelledby="enrollment-actions-heading">
    <h2 id="enrollment-actions-heading">${t(`crm.step.${status as 'sent' | 'submitted' | 'approved'}`)}</h2>
    ${body()}
  </section>`;
}
