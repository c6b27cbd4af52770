/**
 * Sales approves a submitted enrollment with how the tuition was paid. The server creates the
 * payment, the student with their login and the class membership in one transaction; a refusal of
 * any part writes nothing, and its message lands on the field it names (or above the form).
 */
import { html, useState, fieldOf, messageOf, StratumError, Alert, onUnauthenticated, type Rec, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import type { CrmKey } from '../words/index.js';
import { approveEnrollment, type Approval, type ApproveInput } from './enrollment-api.js';

/** The payment methods with words of their own; another value the definition adds shows as itself. */
const METHOD_WORDS: Readonly<Record<string, CrmKey>> = {
  cash: 'crm.method.cash', card: 'crm.method.card', alipay: 'crm.method.alipay', wechat: 'crm.method.wechat', transfer: 'crm.method.transfer',
};
export const methodLabel = (method: string): string => (Object.hasOwn(METHOD_WORDS, method) ? t(METHOD_WORDS[method]!) : method);

const FIELDS = ['method', 'amount', 'paidOn'] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, () => string> = { method: () => t('crm.approve.method'), amount: () => t('crm.approve.amount'), paidOn: () => t('crm.approve.paidOn') };

/** Whether the browser holds the input's typed text invalid (it then reports its value as ''). */
const unreadable = (name: Field): boolean => {
  const input = document.getElementById(`approve-${name}`) as HTMLInputElement | null;
  return !!input && (input.validity.badInput || input.validity.typeMismatch);
};

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function ApproveForm({ session, record, onApproved }: { session: Session; record: Rec; onApproved: (a: Approval) => void }) {
  // The route hands the method to the payment it creates: the payment's enum is the one it accepts.
  const payment = session.meta.get('payment');
  const methods = (payment && fieldOf(payment, 'method')?.enum) ?? Object.keys(METHOD_WORDS);
  const [values, setValues] = useState<Record<Field, string>>({ method: '', amount: record.price === null || record.price === undefined ? '' : String(record.price), paidOn: today() });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (name: Field) => (e: Event) => {
    const value = (e.target as HTMLInputElement).value;
    setValues((v) => ({ ...v, [name]: value }));
    setErrors((x) => ({ ...x, [name]: undefined }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBanner(undefined);
    const input: ApproveInput = {};
    // Text the browser cannot read as a number or a date (31 February) is '' in `values`: it must
    // not be sent as left empty (the server would then take today, or the price).
    const problems: Partial<Record<Field, string>> = {};
    if (unreadable('amount')) problems.amount = t('crm.approve.amountNumber');
    if (unreadable('paidOn')) problems.paidOn = `${LABELS.paidOn()} ${t('valid.badDate')}`;
    if (values.method === '') problems.method = t('crm.approve.chooseMethod');
    else input.method = values.method;
    if (values.amount.trim() !== '' && !problems.amount) {
      const amount = Number(values.amount);
      if (Number.isFinite(amount)) input.amount = amount;
      else problems.amount = t('crm.approve.amountNumber');
    }
    if (values.paidOn !== '' && !problems.paidOn) input.paidOn = values.paidOn;
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      onApproved(await approveEnrollment(Number(record.id), input));
    } catch (err) {
      setBusy(false);
      if (onUnauthenticated(err)) return;
      const onFields: Partial<Record<Field, string>> = {};
      if (err instanceof StratumError) {
        for (const d of err.details) {
          const name = d.path.split('/')[1] as Field;
          // The server's messages are fragments ("must be less than …"): named by the field, as the generic form does.
          if (FIELDS.includes(name)) onFields[name] = onFields[name] ?? `${LABELS[name]()} ${d.message}`;
        }
      }
      setErrors(onFields);
      setBanner(messageOf(err));
    }
  };

  const field = (name: Field, control: unknown) => {
    const error = errors[name];
    return html`<div class=${`field${error ? ' has-error' : ''}`} data-field=${name}>
      <label class="label" for=${`approve-${name}`}>${LABELS[name]()}</label>
      ${control}
      ${error && html`<p class="field-error" id=${`approve-${name}-error`} role="alert">${error}</p>`}
    </div>`;
  };
  const aria = (name: Field) => ({ id: `approve-${name}`, 'aria-invalid': errors[name] ? 'true' : undefined, 'aria-describedby': errors[name] ? `approve-${name}-error` : undefined });

  return html`<form class="crm-approve" onSubmit=${submit} noValidate data-testid="approve-form" aria-labelledby="approve-heading">
    <h3 id="approve-heading">${t('crm.approve.title')}</h3>
    <p class="crm-intro">${t('crm.approve.intro')}</p>
    ${banner && html`<${Alert} testid="approve-error">${banner}</${Alert}>`}
    <div class="form-grid">
      ${field('method', html`<select value=${values.method} onChange=${set('method')} ...${aria('method')}>
        <option value="">${t('form.choose')}</option>
        ${methods.map((m) => html`<option value=${m}>${methodLabel(m)}</option>`)}
      </select>`)}
      ${field('amount', html`<input type="number" inputmode="decimal" step="any" value=${values.amount} onInput=${set('amount')} ...${aria('amount')} />`)}
      ${field('paidOn', html`<input type="date" value=${values.paidOn} onInput=${set('paidOn')} ...${aria('paidOn')} />`)}
    </div>
    <div class="actions">
      <button type="submit" class="button button-primary" disabled=${busy}>${busy ? t('crm.approve.approving') : t('crm.approve.submit')}</button>
    </div>
  </form>`;
}
