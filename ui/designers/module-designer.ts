/**
 * The module designer: a module's name and labels, one row per field (field-row.ts), a live
 * preview of the request, and Apply. A new module is created at once (POST); a change to a stored
 * module is first sent as a dry run, whose plan (change-preview.ts) says what happens to the
 * stored values, and applied only from there, confirmed with the plan's token. The server
 * decides what is allowed; its refusals are shown on the field their JSON pointer names.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, StratumError } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { setFlash, takeFlash } from '../flash.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { onUnauthenticated } from '../session.js';
import { ChangePreview, refusedPlan, type OnMisfit, type Plan } from './change-preview.js';
import { FieldRow } from './field-row.js';
import { META_CHANGED } from './meta-changed.js';
import { ModuleDelete } from './module-delete.js';
import { definitionOf, draftOf, emptyField, emptyModule, errorTarget, moved, withField, type FieldDraft, type FieldType, type Json, type ModuleDraft } from './module-draft.js';
import { requestOf } from './module-migration.js';
import { loadDefinitions, sourceLabel, type StoredModule } from './modules-page.js';

export { META_CHANGED };

const SORTABLE = new Set<FieldType>(['string', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum', 'ref']);

type Errors = { fields: Record<string, string[]>; module: Record<string, string[]>; other: string[] };
const NO_ERRORS: Errors = { fields: {}, module: {}, other: [] };

export function ModuleDesigner({ name }: { name?: string }) {
  const [draft, setDraftState] = useState<ModuleDraft | undefined>(name ? undefined : emptyModule());
  const [stored, setStored] = useState<StoredModule[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [banner, setBanner] = useState<string>();
  const [stale, setStale] = useState(false);
  const [flash, setFlashState] = useState(takeFlash);
  const [busy, setBusy] = useState(false);
  // The dry run of the draft as it is, and the admin's answers to values that do not fit.
  const [plan, setPlan] = useState<Plan>();
  const [checking, setChecking] = useState(false);
  const [onMisfit, setOnMisfit] = useState<Record<string, OnMisfit>>({});

  const load = () => loadDefinitions().then((all) => {
    setStored(all);
    if (!name) return;
    const mine = all.find((m) => m.name === name);
    if (mine) setDraftState(draftOf(mine.definition));
    else setLoadError(t('error.unknownModule', { module: name }));
  }, (e) => !onUnauthenticated(e) && setLoadError(messageOf(e)));
  useEffect(() => void load(), [name]);

  const crumbs = [{ label: t('designer.modules'), href: '/admin/modules' }, { label: name ?? t('module.newTitle') }];
  if (loadError) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${loadError} />`;
  if (!draft) return html`<${Breadcrumbs} items=${crumbs} /><${Loading} />`;

  const source = name ? stored.find((m) => m.name === name)?.source : 'api';
  const readOnly = source !== undefined && source !== 'api';
  const body = requestOf(draft, onMisfit);
  // Any edit makes the plan shown a plan of something else.
  const setDraft = (next: ModuleDraft) => {
    setDraftState(next);
    setPlan(undefined);
  };
  const change = (patch: Partial<ModuleDraft>) => setDraft({ ...draft, ...patch });
  const changeField = (key: number, patch: Partial<FieldDraft>) => setDraft(withField(draft, key, patch));
  const targets = [...new Set([...stored.map((m) => m.name), ...(draft.name.trim() ? [draft.name.trim()] : [])])].sort();
  const path = name ? `/api/modules/${encodeURIComponent(name)}` : '';

  const start = () => {
    setBanner(undefined);
    setStale(false);
    setErrors(NO_ERRORS);
    setFlashState(undefined);
  };
  const failed = (err: unknown, sent: Json) => {
    if (onUnauthenticated(err)) return;
    if (!(err instanceof StratumError)) return setBanner(messageOf(err));
    setBanner(err.message);
    if (err.code === 'stale_definition') setStale(true);
    const again = refusedPlan(err);
    if (again) setPlan(again);
    setErrors(placeErrors(again?.blockers.length ? again.blockers : err.details, sent, draft));
  };

  /** The dry run: what applying the draft would do, with these answers to values that do not fit. */
  const preview = async (answers = onMisfit) => {
    const sent = requestOf(draft, answers);
    start();
    setChecking(true);
    try {
      const reply = await api.request<{ plan: Plan }>('PUT', path, { query: { dryRun: 'true' }, body: sent });
      setPlan(reply.plan);
      setErrors(placeErrors(reply.plan.blockers, sent, draft));
    } catch (err) {
      setPlan(undefined);
      failed(err, sent);
    } finally {
      setChecking(false);
    }
  };

  const answer = (field: string, what: OnMisfit) => {
    const answers = { ...onMisfit, [field]: what };
    setOnMisfit(answers);
    void preview(answers);
  };

  /** Applies the plan shown, confirmed with its token, so that what changes is what was shown. */
  const applyPlan = async () => {
    if (!plan || !name) return;
    start();
    setBusy(true);
    try {
      const reply = await api.request<StoredModule>('PUT', path, { query: { confirm: plan.token }, body });
      window.dispatchEvent(new Event(META_CHANGED));
      setBusy(false);
      setPlan(undefined);
      setOnMisfit({});
      if (reply.name !== name) {
        setFlash(t('module.updated', { name: reply.name }));
        navigate(`/admin/modules/${reply.name}`);
        return;
      }
      const all = await loadDefinitions();
      setStored(all);
      setDraftState(draftOf(all.find((m) => m.name === name)!.definition));
      setFlashState(t('module.updated', { name }));
    } catch (err) {
      setBusy(false);
      failed(err, body);
    }
  };

  const create = async () => {
    start();
    setBusy(true);
    try {
      await api.request('POST', '/api/modules', { body });
      const created = String(body.$id);
      window.dispatchEvent(new Event(META_CHANGED));
      setFlash(t('module.created', { name: created }));
      navigate(`/admin/modules/${created}`);
    } catch (err) {
      setBusy(false);
      failed(err, body);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (readOnly || busy || checking) return;
    void (name ? preview() : create());
  };

  const reload = async () => {
    start();
    setPlan(undefined);
    setOnMisfit({});
    await load();
  };

  const moduleError = (key: string) => errors.module[key] && html`<p class="field-error" role="alert">${errors.module[key]!.join('; ')}</p>`;
  const sortOptions = draft.fields.filter((f) => f.name.trim() && SORTABLE.has(f.type));
  const renamedModule = !!name && draft.name.trim() !== '' && draft.name.trim() !== name;
  const defaults = Object.fromEntries(Object.entries<Json>(definitionOf(draft).properties ?? {}).map(([n, p]) => [n, p.default]));

  return html`<${Breadcrumbs} items=${crumbs} />
    <div class="page-head">
      <h1>${name ? t('module.editTitle', { name }) : t('module.newTitle')}</h1>
      <span class="spacer"></span>
      ${name && html`<a class="button" href=${`/m/${name}`}>${t('modules.open')}</a>`}
    </div>
    ${flash && html`<${Alert} kind="success" testid="flash">${flash}</${Alert}>`}
    ${readOnly && html`<${Alert} kind="info">${t('module.readOnly', { where: sourceLabel(source!) })}</${Alert}>`}
    ${name && !readOnly && html`<p class="muted">${t('module.changesIntro')}</p>`}
    <div class="designer">
      <div class="designer-main">
      <form class="panel designer-form" onSubmit=${submit} noValidate data-testid="module-designer">
        ${banner && html`<${Alert} testid="designer-error"><p>${banner}</p>
          ${errors.other.length > 0 && html`<ul>${errors.other.map((p) => html`<li>${p}</li>`)}</ul>`}
          ${stale && html`<p>${t('module.stale')}</p><button type="button" class="button" onClick=${reload}>${t('module.reload')}</button>`}</${Alert}>`}
        <fieldset disabled=${readOnly} class="plain">
          <div class="form-grid">
            <div class=${`field${errors.module.name ? ' has-error' : ''}`}>
              <label class="label" for="module-id">${t('module.id')}<span class="req" aria-hidden="true"> *</span></label>
              <input id="module-id" class="mono" value=${draft.name} pattern="[a-z][a-z0-9_]*" autocomplete="off"
                onInput=${(e: Event) => change({ name: (e.target as HTMLInputElement).value })} />
              <p class="hint">${renamedModule ? t('module.renamedFrom', { name: name! }) : name ? t('module.renameHint') : t('module.idHint')}</p>
              ${moduleError('name')}
            </div>            <div class=${`field${errors.module.title ? ' has-error' : ''}`}>
              <label class="label" for="module-title">${t('module.title')}</label>
              <input id="module-title" value=${draft.title} onInput=${(e: Event) => change({ title: (e.target as HTMLInputElement).value })} />
              ${moduleError('title')}
            </div>
            <div class=${`field${errors.module.zh ? ' has-error' : ''}`}>
              <label class="label" for="module-zh">${t('module.zhTitle')}</label>
              <input id="module-zh" lang="zh" value=${draft.zh} onInput=${(e: Event) => change({ zh: (e.target as HTMLInputElement).value })} />
              ${moduleError('zh')}
            </div>
            <div class="field field-wide">
              <label class="label" for="module-description">${t('module.description')}</label>
              <input id="module-description" value=${draft.description} onInput=${(e: Event) => change({ description: (e.target as HTMLInputElement).value })} />
            </div>
          </div>
          <h2 class="designer-heading">${t('module.fieldsHeading')}</h2>
          ${draft.fields.length === 0 && html`<p class="muted">${t('module.noFields')}</p>`}
          ${draft.fields.map((f, i) => html`<${FieldRow} key=${f.key} field=${f} index=${i} count=${draft.fields.length} targets=${targets}
            errors=${errors.fields[f.name.trim()]} onChange=${(patch: Partial<FieldDraft>) => changeField(f.key, patch)}
            onMove=${(by: -1 | 1) => setDraft(moved(draft, f.key, by))}
            onRemove=${() => setDraft({ ...draft, fields: draft.fields.filter((x) => x.key !== f.key) })} />`)}
          <button type="button" class="button" onClick=${() => change({ fields: [...draft.fields, emptyField()] })}>+ ${t('module.addField')}</button>
          <h2 class="designer-heading">${t('module.listHeading')}</h2>
          <div class=${`field designer-sort${errors.module.list ? ' has-error' : ''}`}>
            <label class="label" for="module-sort">${t('module.sort')}</label>
            <select id="module-sort" value=${draft.sort} onChange=${(e: Event) => change({ sort: (e.target as HTMLSelectElement).value })}>
              <option value="">${t('module.sortNone')}</option>
              ${sortOptions.map((f) => html`<option value=${f.name.trim()}>${f.title.trim() || f.name.trim()} ↑</option>
                <option value=${`-${f.name.trim()}`}>${f.title.trim() || f.name.trim()} ↓ ${t('module.sortDesc')}</option>`)}
              ${draft.sort && !sortOptions.some((f) => draft.sort.replace(/^-/, '') === f.name.trim()) && html`<option value=${draft.sort}>${draft.sort}</option>`}
            </select>
            ${moduleError('list')}
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" class="button button-primary" disabled=${busy || checking || readOnly}>${busy ? t('module.applying') : checking ? t('change.checking') : t('module.apply')}</button>
          <a class="button button-quiet" href="/admin/modules">${t('form.cancel')}</a>
        </div>
      </form>
      ${plan && html`<${ChangePreview} plan=${plan} heading=${t('change.heading')} applyLabel=${t('change.apply')} testid="change-preview"
        onMisfit=${onMisfit} onMisfitChange=${answer} defaults=${defaults} checking=${checking} busy=${busy}
        onApply=${applyPlan} onCancel=${() => setPlan(undefined)} />`}
      ${name && !readOnly && html`<${ModuleDelete} name=${name} />`}
      </div>
      <section class="panel designer-preview">
        <h2 class="designer-heading">${t('module.preview')}</h2>
        <pre class="mono json" data-testid="definition-preview">${JSON.stringify(body, null, 2)}</pre>
      </section>
    </div>`;
}

/**
 * The server's details, each on the field or module input its pointer names (in the body sent:
 * fields by their new names); `/required/1` names the second required field, and a pointer into
 * `x-migration` names a field by its stored name (renames) or its new one.
 */
function placeErrors(details: readonly { path: string; message: string; hint?: string; code?: string }[], sent: Json, draft: ModuleDraft): Errors {
  const out: Errors = { fields: {}, module: {}, other: [] };
  for (const d of details) {
    // Values that do not fit are the preview's to show, with what to do about them.
    const text = d.code === 'misfits' ? t('change.misfitsOnField') : d.hint ? `${d.message} (${d.hint})` : d.message;
    const required = /^\/required\/(\d+)/.exec(d.path);
    const migration = /^\/x-migration\/(renames|valueMap|onMisfit|moduleRename)(?:\/([^/]+))?/.exec(d.path);
    let target = required ? { field: String(sent.required?.[Number(required[1])] ?? '') } : errorTarget(d.path);
    if (migration) {
      const key = (migration[2] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
      target = migration[1] === 'moduleRename' ? { module: 'name' }
        : { field: migration[1] === 'renames' ? (draft.fields.find((f) => f.from === key)?.name.trim() ?? key) : key };
    }
    if (target && 'field' in target && sent.properties?.[target.field]) (out.fields[target.field] ??= []).push(text);
    else if (target && 'module' in target) (out.module[target.module] ??= []).push(text);
    else out.other.push(d.path ? `${d.path}: ${text}` : text);
  }
  return out;
}
