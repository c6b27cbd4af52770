/**
 * The page an enrollment link opens, without an account. It shows what the link's API
 * route describes (class, course, tuition, contract, the fields to fill in), checks the form and
 * the ID document before sending, and shows the server's refusals on their fields. A link that no
 * longer works (used, replaced, expired, locked) gets a page that says so and what to do.
 */
import { html, useEffect, useState, messageOf, StratumError, Alert, Loading, formatDateTime, currentLang, setLang, type Lang } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import type { CrmKey } from '../words/index.js';
import { FileField } from './file-field.js';
import { PublicFrame } from './public-frame.js';
import { TextField } from './text-field.js';
import { fieldErrors, fileProblem, MAX_UPLOAD_BYTES, postForm } from './upload.js';

/** `GET /api/plugins/crm/enroll/:token` (modules/crm/enrollment/public-form.ts). */
interface EnrollmentInfo {
  class: { name: string; semester: number | null; startDate: string | null; campus: string };
  course: { name: string; outline: string | null; periodWeeks: number | null };
  price: number | null;
  contract: { name: string; text: string } | null;
  expiresAt: string;
  form: { fields: string[]; file: { field: string; types: string[]; maxBytes?: number } };
}

type State =
  | { kind: 'loading' }
  | { kind: 'open'; info: EnrollmentInfo }
  | { kind: 'closed'; code: string; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'done' };

const FIELD_LABELS: Readonly<Record<string, CrmKey>> = { name: 'enroll.name', phone: 'enroll.phone', email: 'enroll.email', idNumber: 'enroll.idNumber' };
const INPUT_TYPES: Readonly<Record<string, 'email' | 'tel'>> = { email: 'email', phone: 'tel' };
const AUTOCOMPLETE: Readonly<Record<string, string>> = { name: 'name', phone: 'tel', email: 'email' };
/** The link's states that end it, each with what to do in the reader's language. */
const CLOSED: Readonly<Record<string, CrmKey>> = {
  not_found: 'enroll.closed.not_found',
  link_used: 'enroll.closed.link_used',
  link_revoked: 'enroll.closed.link_revoked',
  link_expired: 'enroll.closed.link_expired',
  enrollment_closed: 'enroll.closed.enrollment_closed',
  too_many_attempts: 'enroll.closed.too_many_attempts',
};
const closedBy = (e: unknown) => e instanceof StratumError && CLOSED[e.code] !== undefined && [404, 410, 429].includes(e.status);

export function EnrollmentPage({ token }: { token: string }) {
  const [, setLangState] = useState<Lang>(currentLang());
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = `/api/plugins/crm/enroll/${encodeURIComponent(token)}`;

  useEffect(() => {
    fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(async (res) => {
        const body = await res.json().catch(() => undefined);
        if (!res.ok) throw StratumError.fromReply(res.status, res.statusText, body);
        setState({ kind: 'open', info: body as EnrollmentInfo });
      })
      .catch((e: unknown) => setState(closedBy(e) ? { kind: 'closed', code: (e as StratumError).code, message: messageOf(e) } : { kind: 'failed', message: messageOf(e) }));
  }, [path]);

  const onLang = (lang: Lang) => {
    setLang(lang);
    setLangState(lang);
  };
  document.title = `${t('enroll.pageTitle')} · ${t('app.name')}`;
  return html`<${PublicFrame} onLang=${onLang}>
    ${state.kind === 'loading' && html`<${Loading} />`}
    ${state.kind === 'failed' && html`<${Alert}>${state.message}</${Alert}>`}
    ${state.kind === 'closed' && html`<section class="panel public-state" data-testid="enroll-closed" data-code=${state.code}>
      <h1>${t('enroll.closedTitle')}</h1>
      <p>${t(CLOSED[state.code]!)}</p>
    </section>`}
    ${state.kind === 'done' && html`<section class="panel public-state" data-testid="enroll-done" role="status">
      <h1>${t('enroll.thanksTitle')}</h1>
      <p>${t('enroll.thanks')}</p>
    </section>`}
    ${state.kind === 'open' && html`<${EnrollmentForm} info=${state.info} path=${path}
      onDone=${() => setState({ kind: 'done' })} onClosed=${(e: StratumError) => setState({ kind: 'closed', code: e.code, message: e.message })} />`}
  </${PublicFrame}>`;
}

function EnrollmentForm({ info, path, onDone, onClosed }: { info: EnrollmentInfo; path: string; onDone: () => void; onClosed: (e: StratumError) => void }) {
  const textFields = info.form.fields.filter((f) => f !== 'agree');
  const fileSpec = info.form.file;
  const maxBytes = fileSpec.maxBytes ?? MAX_UPLOAD_BYTES;
  const [values, setValues] = useState<Record<string, string>>({});
  const [file, setFile] = useState<File | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string[]>();
  const [busy, setBusy] = useState(false);

  /** A field's message goes once the field is changed: what is left is what still needs doing. */
  const clear = (field: string) => setErrors((old) => {
    const { [field]: _gone, ...rest } = old;
    return rest;
  });
  const show = (found: Record<string, string>) => {
    setErrors(found);
    const first = [...textFields, fileSpec.field, 'agree'].find((f) => found[f]);
    if (first) document.getElementById(`f-${first}`)?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBanner(undefined);
    const found: Record<string, string> = {};
    for (const f of textFields) if ((values[f] ?? '').trim() === '') found[f] = t('public.required');
    const problem = await fileProblem(file, fileSpec.types, maxBytes);
    if (problem) found[fileSpec.field] = problem;
    if (!agreed) found.agree = t('enroll.agreeRequired');
    if (Object.keys(found).length > 0) {
      setBanner([t('form.invalid')]);
      return show(found);
    }
    const form = new FormData();
    for (const f of textFields) form.set(f, values[f]!.trim());
    form.set('agree', 'on');
    form.set(fileSpec.field, file!, file!.name);
    setErrors({});
    setBusy(true);
    try {
      await postForm(path, form);
      onDone();
    } catch (e) {
      setBusy(false);
      if (closedBy(e)) return onClosed(e as StratumError);
      if (!(e instanceof StratumError)) return setBanner([messageOf(e)]);
      const { fields, other } = fieldErrors(e, [...textFields, fileSpec.field, 'agree']);
      setBanner([e.status === 400 ? t('form.invalid') : e.message, ...other]);
      show(fields);
    }
  };

  const { class: cls, course } = info;
  const fact = (label: string, value: string | number | null | undefined) => value === null || value === undefined || value === '' ? null : html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<h1>${t('enroll.title', { class: cls.name })}</h1>
    <p class="muted">${t('enroll.intro')}</p>
    <section class="panel public-section" aria-labelledby="enroll-class">
      <h2 id="enroll-class">${t('enroll.classHeading')}</h2>
      <dl class="facts" data-testid="enroll-class">
        ${fact(t('enroll.course'), course.name)}
        ${fact(t('enroll.class'), cls.name)}
        ${fact(t('enroll.campus'), cls.campus)}
        ${fact(t('enroll.startDate'), cls.startDate)}
        ${fact(t('enroll.duration'), course.periodWeeks === null ? null : t('enroll.weeks', { n: course.periodWeeks }))}
        ${fact(t('enroll.price'), info.price === null ? null : info.price.toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en', { style: 'currency', currency: 'CNY' }))}
        ${fact(t('enroll.expires'), formatDateTime(info.expiresAt))}
      </dl>
      ${course.outline && html`<details class="outline"><summary>${t('enroll.outline')}</summary><p class="pre">${course.outline}</p></details>`}
    </section>
    <section class="panel public-section" aria-labelledby="enroll-contract">
      <h2 id="enroll-contract">${t('enroll.contract')}${info.contract && html`: ${info.contract.name}`}</h2>
      ${info.contract
        ? html`<div class="contract-text pre" tabindex="0" data-testid="contract">${info.contract.text}</div>`
        : html`<p class="muted">${t('enroll.noContract')}</p>`}
    </section>
    <form class="panel public-section public-form" onSubmit=${submit} noValidate data-testid="enroll-form">
      <h2>${t('enroll.formHeading')}</h2>
      ${banner && html`<${Alert} testid="form-error">${banner.map((line) => html`<p>${line}</p>`)}</${Alert}>`}
      <div class="form-grid">
        ${textFields.map((f) => html`<${TextField} name=${f} label=${FIELD_LABELS[f] ? t(FIELD_LABELS[f]!) : f} value=${values[f] ?? ''} required
          type=${INPUT_TYPES[f] ?? 'text'} autocomplete=${AUTOCOMPLETE[f]} error=${errors[f]}
          onInput=${(v: string) => (setValues((old) => ({ ...old, [f]: v })), clear(f))} />`)}
        <${FileField} name=${fileSpec.field} label=${t('enroll.idDocument')} types=${fileSpec.types} maxBytes=${maxBytes} required
          error=${errors[fileSpec.field]} onChange=${(chosen: File | null) => (setFile(chosen), clear(fileSpec.field))} />
      </div>
      <div class="field">
        <label class="check-label" for="f-agree">
          <input type="checkbox" id="f-agree" name="agree" checked=${agreed} aria-invalid=${errors.agree ? 'true' : undefined}
            aria-describedby=${errors.agree ? 'f-agree-error' : undefined} onChange=${(e: Event) => (setAgreed((e.target as HTMLInputElement).checked), clear('agree'))} />
          ${t('enroll.agree')}
        </label>
        ${errors.agree && html`<p class="field-error" id="f-agree-error" role="alert">${errors.agree}</p>`}
      </div>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled=${busy}>${busy ? t('enroll.sending') : t('enroll.submit')}</button>
      </div>
    </form>`;
}
