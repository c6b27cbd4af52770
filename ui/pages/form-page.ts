/**
 * Create and edit forms generated from the caller's writable fields. Checks run before submit;
 * the server's answer is then shown where it belongs: a field's message under the field, a
 * duplicate with the owner to contact, a stale edit with the fields that changed meanwhile.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, StratumError, type FieldMeta, type ModuleMeta, type Rec } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { controlErrors, FieldInput, inputId, RelationInput } from '../components/field-input.js';
import { formatValue, recordLabel } from '../format.js';
import { initialRaw, parseRaw, sameRaw, toRaw, type Raw } from '../form-values.js';
import { fieldTitle, moduleTitle, t } from '../i18n.js';
import { navigate, type Location } from '../router.js';
import { onUnauthenticated, type Session } from '../session.js';
import { setFlash } from '../flash.js';

interface Props {
  session: Session;
  module: string;
  id?: number;
  location: Location;
}

interface Stale {
  current: Rec;
  /** `touched`: this user changed the field too (their value wins on "apply my changes"). */
  changes: { field: FieldMeta; theirs: unknown; yours: Raw; touched: boolean }[];
}

interface Banner {
  message: string;
  duplicateOf?: number;
  problems?: string[];
}

export function FormPage({ session, module: name, id, location }: Props) {
  const m = session.meta.get(name);
  if (!m) return html`<${ErrorPanel} message=${t('error.unknownModule', { module: name })} />`;
  return html`<${RecordForm} session=${session} m=${m} id=${id} location=${location} />`;
}

function RecordForm({ session, m, id, location }: { session: Session; m: ModuleMeta; id?: number; location: Location }) {
  const editing = id !== undefined;
  const fields = m.fields.filter((f) => f.writable);
  const relations = m.relations.filter((r) => r.kind === 'many-to-many' && r.writable && session.meta.has(r.target));
  const [original, setOriginal] = useState<Rec>();
  const [raws, setRaws] = useState<Record<string, Raw>>({});
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<Banner>();
  const [stale, setStale] = useState<Stale>();
  const [busy, setBusy] = useState(false);

  const rawsOf = (record: Rec | undefined): Record<string, Raw> => {
    const out: Record<string, Raw> = {};
    for (const f of fields) out[f.name] = record ? toRaw(f, record[f.name]) : initialRaw(f);
    for (const r of relations) out[r.name] = record && Array.isArray(record[r.name]) ? (record[r.name] as number[]) : [];
    return out;
  };

  useEffect(() => {
    if (!editing) {
      // `/m/followup/new?customer=12`: a related list's "Add" fills in the reference.
      const start = rawsOf(undefined);
      // The person entering a record usually owns it (x-owner): a salesperson's own customers.
      // (Only for those who may read users: a reference must point at a record its writer can read.)
      const owner = m.owner && session.meta.has('user') ? fields.find((f) => f.name === m.owner && f.ref === 'user') : undefined;
      if (owner) start[owner.name] = session.me.id;
      for (const f of fields) {
        const given = location.query.get(f.name);
        if (given !== null) start[f.name] = f.kind === 'ref' ? Number(given) : given;
      }
      setRaws(start);
      return;
    }
    api.data(m.name).get(id).then((record) => {
      setOriginal(record);
      setRaws(rawsOf(record));
    }, (e) => !onUnauthenticated(e) && setLoadError(e instanceof StratumError && e.status === 404 ? t('error.notFound') : messageOf(e)));
  }, []);

  const title = moduleTitle(m);
  const allowed = m.actions.includes(editing ? 'update' : 'create');
  const crumbs = [{ label: title, href: `/m/${m.name}` }, ...(editing ? [{ label: original ? recordLabel(original, m) : `#${id}`, href: `/m/${m.name}/${id}` }, { label: t('form.edit') }] : [{ label: t('form.new', { module: title }) }])];
  if (loadError) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${loadError} />`;
  if (!allowed) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${`Missing permission: ${m.name}:${editing ? 'update' : 'create'}`} />`;
  if (editing && !original) return html`<${Breadcrumbs} items=${crumbs} /><${Loading} />`;

  const baseline = rawsOf(original);
  const set = (name: string) => (value: Raw) => {
    setRaws((r) => ({ ...r, [name]: value }));
    if (errors[name]) setErrors((e) => ({ ...e, [name]: '' }));
  };

  /** The payload to send, or the per-field messages of what is wrong. */
  const collect = (base: Record<string, Raw>, values: Record<string, Raw>): { payload: Rec; problems: Record<string, string> } => {
    const payload: Rec = {};
    const problems: Record<string, string> = {};
    for (const f of fields) {
      const raw = values[f.name] ?? initialRaw(f);
      if (editing && sameRaw(raw, base[f.name] ?? null)) continue;
      if (f.kind === 'password' && raw === '' && (editing || !f.required)) continue;
      // Left empty on create: the server applies the default.
      if (!editing && (raw === '' || raw === null) && f.default !== undefined) continue;
      if (!editing && (raw === '' || raw === null) && !f.required) continue;
      const parsed = parseRaw(f, raw);
      if ('error' in parsed) problems[f.name] = parsed.error;
      else payload[f.name] = parsed.value;
    }
    for (const r of relations) {
      const ids = (values[r.name] ?? []) as number[];
      if (!editing || !sameRaw(ids, base[r.name] ?? [])) payload[r.name] = ids;
    }
    return { payload, problems };
  };

  const focusFirst = (names: string[]) => {
    const first = [...fields.map((f) => f.name), ...relations.map((r) => r.name)].find((n) => names.includes(n));
    if (first) setTimeout(() => document.getElementById(inputId(first))?.focus(), 0);
  };

  const submit = async (e?: Event, base = baseline, version = original?.version as number | undefined, values = raws) => {
    e?.preventDefault();
    setBanner(undefined);
    const { payload, problems: parsed } = collect(base, values);
    // What the browser could not read outranks what the raw value ('' for it) seems to say.
    const problems = { ...parsed, ...controlErrors(fields) };
    if (Object.keys(problems).length > 0) {
      setErrors(problems);
      setBanner({ message: t('form.invalid') });
      focusFirst(Object.keys(problems));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = editing
        ? await api.data(m.name).update(id, payload, version !== undefined ? { version } : {})
        : await api.data(m.name).create(payload);
      setFlash(editing ? t('form.saved') : t('form.created', { module: title }));
      navigate(`/m/${m.name}/${saved.id}`);
    } catch (err) {
      setBusy(false);
      if (onUnauthenticated(err)) return;
      if (!(err instanceof StratumError)) {
        setBanner({ message: messageOf(err) });
        return;
      }
      if (err.code === 'stale' && editing) {
        await explainStale();
        return;
      }
      const onFields: Record<string, string> = {};
      const elsewhere: string[] = [];
      for (const d of err.details) {
        const name = d.path.split('/')[1] ?? '';
        if (fields.some((f) => f.name === name) || relations.some((r) => r.name === name)) onFields[name] = onFields[name] ?? d.message;
        else elsewhere.push(d.path ? `${d.path}: ${d.message}` : d.message);
      }
      setErrors(onFields);
      focusFirst(Object.keys(onFields));
      const existing = err.code === 'duplicate' ? (err.info.existing as { id?: number } | undefined)?.id : undefined;
      setBanner({ message: err.message, ...(existing !== undefined ? { duplicateOf: existing } : {}), ...(elsewhere.length > 0 ? { problems: elsewhere } : {}) });
    }
  };

  const explainStale = async () => {
    try {
      const current = await api.data(m.name).get(id!);
      const changes = fields
        .filter((f) => f.kind !== 'password' && !sameRaw(toRaw(f, current[f.name]), baseline[f.name] ?? null))
        .map((f) => ({ field: f, theirs: current[f.name], yours: raws[f.name] ?? null, touched: !sameRaw(raws[f.name] ?? null, baseline[f.name] ?? null) }));
      setStale({ current, changes });
    } catch (err) {
      if (!onUnauthenticated(err)) setBanner({ message: messageOf(err) });
    }
  };
  /** A three-way merge: the fields this user changed go onto the new version; the others keep theirs. */
  const keepMine = () => {
    const current = stale!.current;
    const theirs = rawsOf(current);
    const merged = { ...theirs };
    for (const [name, raw] of Object.entries(raws)) if (!sameRaw(raw, baseline[name] ?? null)) merged[name] = raw;
    setStale(undefined);
    setOriginal(current);
    setRaws(merged);
    void submit(undefined, theirs, current.version, merged);
  };
  const takeTheirs = () => {
    const current = stale!.current;
    setStale(undefined);
    setOriginal(current);
    setRaws(rawsOf(current));
  };

  const show = (f: FieldMeta, v: unknown) => formatValue(v, f, f.ref ? session.meta.get(f.ref) : undefined) || '—';
  return html`<${Breadcrumbs} items=${crumbs} />
    <h1>${editing ? `${t('form.edit')}: ${recordLabel(original, m)}` : t('form.new', { module: title })}</h1>
    <form class="panel record-form" onSubmit=${submit} noValidate data-testid="record-form">
      ${banner && html`<${Alert} testid="form-error">
        <p>${banner.message}</p>
        ${banner.problems && html`<ul>${banner.problems.map((p) => html`<li>${p}</li>`)}</ul>`}
        ${banner.duplicateOf !== undefined && html`<p><a href=${`/m/${m.name}/${banner.duplicateOf}`}>${t('form.duplicateOpen', { id: banner.duplicateOf })}</a></p>`}
      </${Alert}>`}
      ${stale && html`<${Alert} kind="warning" testid="stale">
        <p><strong>${t('form.staleTitle')}</strong></p>
        ${stale.changes.length === 0 ? html`<p>${t('form.staleNone')}</p>` : html`<p>${t('form.staleIntro', { version: stale.current.version })}</p>
          <table class="diff"><tbody>${stale.changes.map((c) => html`<tr data-field=${c.field.name}>
            <th scope="row">${fieldTitle(c.field)}</th>
            <td><span class="muted">${t('form.staleTheirs')}:</span> ${show(c.field, c.theirs)}</td>
            <td>${c.touched
              ? html`<span class="muted">${t('form.staleYours')}:</span> ${c.yours === '' || c.yours === null ? '—' : Array.isArray(c.yours) ? c.yours.join(', ') : String(c.yours)}`
              : html`<span class="muted">${t('form.staleUntouched')}</span>`}</td>
          </tr>`)}</tbody></table>`}
        <div class="actions">
          <button type="button" class="button button-primary" onClick=${keepMine}>${t('form.staleKeepMine')}</button>
          <button type="button" class="button" onClick=${takeTheirs}>${t('form.staleTakeTheirs')}</button>
        </div>
      </${Alert}>`}
      ${fields.length === 0 && relations.length === 0 && html`<p class="muted">${t('form.noWritable')}</p>`}
      <div class="form-grid">
        ${fields.map((f) => html`<${FieldInput} key=${f.name} field=${f} value=${raws[f.name] ?? initialRaw(f)} onChange=${set(f.name)} error=${errors[f.name] || undefined} meta=${session.meta} editing=${editing} />`)}
        ${relations.map((r) => html`<${RelationInput} key=${r.name} relation=${r} value=${(raws[r.name] ?? []) as number[]} onChange=${set(r.name)} error=${errors[r.name] || undefined} meta=${session.meta} />`)}
      </div>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled=${busy}>${busy ? t('form.saving') : editing ? t('form.save') : t('form.create')}</button>
        <a class="button button-quiet" href=${editing ? `/m/${m.name}/${id}` : `/m/${m.name}`}>${t('form.cancel')}</a>
      </div>
    </form>`;
}
