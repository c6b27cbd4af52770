/** The form the customer sent through the link, and their ID document, for sales to check. */
import { html, formatDateTime } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { kindNames, sizeText } from '../public/upload.js';
import type { SubmittedForm } from './enrollment-api.js';

/** `heading`: false where a summary around it already names it. */
export function SubmittedFormView({ form, heading = true }: { form: SubmittedForm; heading?: boolean }) {
  const text = (v: string | null) => (v ? v : html`<span class="muted">—</span>`);
  const when = (v: string | null) => (v ? formatDateTime(v) : html`<span class="muted">—</span>`);
  const rows: [string, string, unknown][] = [
    ['name', t('crm.form.name'), text(form.name)],
    ['phone', t('crm.form.phone'), text(form.phone)],
    ['email', t('crm.form.email'), text(form.email)],
    ['idNumber', t('crm.form.idNumber'), text(form.idNumber)],
    ['agreedAt', t('crm.form.agreedAt'), when(form.agreedAt)],
    ['submittedAt', t('crm.form.submittedAt'), when(form.submittedAt)],
  ];
  const idDocument = form.idDocument;
  return html`<div class="crm-form" data-testid="submitted-form">
    ${heading && html`<h3>${t('crm.form.title')}</h3>`}
    <dl class="fields">
      ${rows.map(([name, label, value]) => html`<div class="pair" data-field=${name}><dt>${label}</dt><dd>${value}</dd></div>`)}
      <div class="pair" data-field="idDocument"><dt>${t('crm.form.idDocument')}</dt><dd>${idDocument
        ? html`<a href=${idDocument.url} download data-testid="id-document">${t('crm.form.download', { kind: kindNames([idDocument.type]), size: sizeText(idDocument.size) })}</a>`
        : html`<span class="muted">${t('crm.form.noDocument')}</span>`}</dd></div>
    </dl>
  </div>`;
}
