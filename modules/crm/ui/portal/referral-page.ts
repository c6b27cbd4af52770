/**
 * The student recommends someone (转介绍). The referral is created through the generic API
 * with the student as referrer; the consultants' department follows it up, and the student sees
 * the state of their own referrals.
 */
import { html, useState, api, messageOf, StratumError, Alert, Loading, formatDateTime, onUnauthenticated, type Rec } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { TextField } from '../public/text-field.js';
import { fieldErrors } from '../public/upload.js';
import type { CrmKey } from '../words/index.js';
import { CourseSelect } from './course-select.js';
import type { StudentSelf } from './student.js';
import { useLoad } from './use-load.js';

const FIELDS = ['name', 'phone', 'qq', 'course', 'notes'] as const;
const EMPTY = { name: '', phone: '', qq: '', course: '', notes: '' };
const STATUS: Readonly<Record<string, CrmKey>> = {
  new: 'portal.referral.status.new', contacted: 'portal.referral.status.contacted', converted: 'portal.referral.status.converted', invalid: 'portal.referral.status.invalid',
};

export function ReferralPage({ self }: { self: StudentSelf }) {
  const mine = useLoad(async () => (await api.data('referral').list({ filter: { referrer: self.id }, fields: ['name', 'phone', 'status', 'createdAt', 'course.name'] as never, sort: '-id' as never, pageSize: 100 })).data as Rec[], [self.id]);
  const [values, setValues] = useState<Record<(typeof FIELDS)[number], string>>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [busy, setBusy] = useState(false);
  const set = (field: (typeof FIELDS)[number]) => (value: string) => setValues((old) => ({ ...old, [field]: value }));
  document.title = `${t('portal.tab.referral')} · ${t('app.name')}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBanner(undefined);
    if (values.name.trim() === '') {
      setErrors({ name: t('public.required') });
      document.getElementById('f-name')?.focus();
      return;
    }
    if (values.phone.trim() === '' && values.qq.trim() === '') {
      setErrors({ phone: t('portal.referral.contactNeeded') });
      document.getElementById('f-phone')?.focus();
      return;
    }
    const payload: Rec = { referrer: self.id, name: values.name.trim() };
    for (const f of ['phone', 'qq', 'notes'] as const) if (values[f].trim() !== '') payload[f] = values[f].trim();
    if (values.course !== '') payload.course = Number(values.course);
    setBusy(true);
    try {
      const created = await api.data('referral').create(payload as never);
      setValues(EMPTY);
      setErrors({});
      setBanner({ kind: 'success', text: t('portal.referral.thanks', { name: String((created as Rec).name) }) });
      mine.reload();
    } catch (e) {
      if (onUnauthenticated(e)) return;
      if (!(e instanceof StratumError)) return setBanner({ kind: 'error', text: messageOf(e) });
      const { fields, other } = fieldErrors(e, [...FIELDS]);
      setErrors(fields);
      setBanner({ kind: 'error', text: [e.message, ...other].join(' ') });
    } finally {
      setBusy(false);
    }
  };

  return html`<h1>${t('portal.referral.title')}</h1>
    <p class="muted">${t('portal.referral.intro')}</p>
    <form class="panel portal-form" onSubmit=${submit} noValidate data-testid="referral-form">
      ${banner && html`<${Alert} kind=${banner.kind} testid=${`referral-${banner.kind}`}>${banner.text}</${Alert}>`}
      <div class="form-grid">
        <${TextField} name="name" label=${t('portal.referral.name')} value=${values.name} onInput=${set('name')} error=${errors.name} required />
        <${TextField} name="phone" label=${t('enroll.phone')} type="tel" value=${values.phone} onInput=${set('phone')} error=${errors.phone} />
        <${TextField} name="qq" label=${t('portal.referral.qq')} value=${values.qq} onInput=${set('qq')} error=${errors.qq} />
        <${CourseSelect} name="course" value=${values.course} onChange=${set('course')} error=${errors.course} />
      </div>
      <${TextField} name="notes" label=${t('portal.referral.notes')} value=${values.notes} onInput=${set('notes')} error=${errors.notes} multiline />
      <div class="actions"><button type="submit" class="button button-primary" disabled=${busy}>${t('portal.referral.submit')}</button></div>
    </form>
    <h2 class="section-heading">${t('portal.referral.mine')}</h2>
    ${mine.error && html`<${Alert}>${mine.error}</${Alert}>`}
    ${!mine.data && !mine.error && html`<${Loading} />`}
    ${mine.data?.length === 0 && html`<p class="empty">${t('portal.referral.none')}</p>`}
    ${mine.data && mine.data.length > 0 && html`<div class="table-wrap"><table class="records" data-testid="my-referrals">
      <thead><tr><th>${t('portal.referral.name')}</th><th>${t('enroll.phone')}</th><th>${t('portal.course')}</th><th>${t('portal.status')}</th><th>${t('portal.referral.when')}</th></tr></thead>
      <tbody>${mine.data.map((r) => html`<tr data-id=${r.id}><td>${r.name}</td><td>${r.phone ?? ''}</td><td>${r.course?.name ?? ''}</td>
        <td>${STATUS[r.status] ? t(STATUS[r.status]!) : r.status}</td><td>${r.createdAt ? formatDateTime(r.createdAt) : ''}</td></tr>`)}</tbody>
    </table></div>`}`;
}
