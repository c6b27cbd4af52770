/**
 * On a customer's page: sales chooses the class, the enrollment is created through the generic
 * API (as any record), and its page opens, where the link is made. Classes that ended are not
 * offered, nor those the customer already has an enrollment in (one per class, x-unique).
 */
import { html, useEffect, useState, api, fieldOf, messageOf, StratumError, Alert, setFlash, navigate, onUnauthenticated, type ModuleMeta, type Rec, type RecordProps } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';

/** The CRM's enrollment, creatable by this caller with a customer and a class. */
const canStart = (enrollment: ModuleMeta | undefined): enrollment is ModuleMeta =>
  !!enrollment && enrollment.actions.includes('create') && ['customer', 'class'].every((name) => fieldOf(enrollment, name)?.writable) && fieldOf(enrollment, 'class')?.ref === 'class';

export function StartEnrollment({ session, record }: RecordProps) {
  const enrollment = session.meta.get('enrollment');
  const classes = session.meta.get('class');
  const offered = canStart(enrollment) && fieldOf(enrollment, 'customer')?.ref === 'customer' && !!classes;
  const [options, setOptions] = useState<Rec[]>();
  const [taken, setTaken] = useState<Set<number>>(new Set());
  const [chosen, setChosen] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!offered) return;
    const status = fieldOf(classes, 'status');
    const open = status?.filterable && status.enum?.includes('finished') ? { status: { ne: 'finished' } } : undefined;
    const fields = ['name', ...(fieldOf(classes, 'startDate') ? ['startDate'] : [])];
    Promise.all([
      api.data('class').list({ ...(open ? { filter: open } : {}), fields, sort: classes.label === 'id' ? 'id' : classes.label, pageSize: 200 }),
      api.data('enrollment').list({ filter: { customer: record.id }, fields: ['class'], pageSize: 200 }).catch(() => ({ data: [] as Rec[] })),
    ]).then(([open, existing]) => {
      setOptions(open.data);
      setTaken(new Set(existing.data.map((e) => Number(typeof e.class === 'object' ? e.class?.id : e.class))));
    }, (e) => !onUnauthenticated(e) && setBanner(messageOf(e)));
  }, [offered, record.id]);

  if (!offered) return null;

  const start = async (e: Event) => {
    e.preventDefault();
    setBanner(undefined);
    if (chosen === '') return setFieldError(t('crm.start.chooseClass'));
    setBusy(true);
    try {
      const created = await api.data('enrollment').create({ customer: record.id, class: Number(chosen) });
      setFlash(t('crm.start.created'));
      navigate(`/m/enrollment/${created.id}`);
    } catch (err) {
      setBusy(false);
      if (onUnauthenticated(err)) return;
      const onClass = err instanceof StratumError ? err.details.find((d) => d.path === '/class') : undefined;
      setFieldError(onClass?.message);
      setBanner(messageOf(err));
    }
  };

  const label = (c: Rec) => [c.name ?? `#${c.id}`, c.startDate ? t('crm.start.starts', { date: String(c.startDate) }) : ''].filter(Boolean).join(' · ');
  return html`<form class="panel crm-actions crm-start" onSubmit=${start} noValidate data-testid="start-enrollment" aria-labelledby="start-enrollment-heading">
    <h2 id="start-enrollment-heading">${t('crm.start.title')}</h2>
    <p class="crm-intro">${t('crm.start.intro')}</p>
    ${banner && html`<${Alert} testid="start-error">${banner}</${Alert}>`}
    <div class="crm-start-row">
      <div class=${`field${fieldError ? ' has-error' : ''}`} data-field="class">
        <label class="label" for="start-class">${t('crm.start.class')}</label>
        <select id="start-class" value=${chosen} disabled=${!options} aria-invalid=${fieldError ? 'true' : undefined} aria-describedby=${fieldError ? 'start-class-error' : undefined}
          onChange=${(e: Event) => { setChosen((e.target as HTMLSelectElement).value); setFieldError(undefined); }}>
          <option value="">${options ? t('form.choose') : t('loading')}</option>
          ${options?.map((c) => html`<option value=${c.id} disabled=${taken.has(Number(c.id))}>${label(c)}${taken.has(Number(c.id)) ? ` (${t('crm.start.already')})` : ''}</option>`)}
        </select>
        ${fieldError && html`<p class="field-error" id="start-class-error" role="alert">${fieldError}</p>`}
      </div>
      <button type="submit" class="button button-primary" disabled=${busy || !options}>${busy ? t('crm.start.starting') : t('crm.start.submit')}</button>
    </div>
  </form>`;
}
