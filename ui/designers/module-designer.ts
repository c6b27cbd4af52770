/**
 * The module designer: a module's name and labels, one row per field (type, choices, reference
 * target, required, unique, and its place on the list page), a live preview of the definition,
 * and Apply (POST for a new module, PUT for an existing one). The server decides what is
 * allowed; its refusals are shown on the field their JSON pointer names.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, StratumError } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { setFlash, takeFlash } from '../flash.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { onUnauthenticated } from '../session.js';
import { definitionOf, draftOf, emptyField, emptyModule, errorTarget, FIELD_TYPES, type FieldDraft, type FieldType, type Json, type ModuleDraft } from './module-draft.js';
import { loadDefinitions, sourceLabel, type StoredModule } from './modules-page.js';

/** Asks the app to re-read `/api/meta/modules`, so that the menu shows a module just applied. */
export const META_CHANGED = 'stratum:meta-changed';

const SORTABLE = new Set<FieldType>(['string', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum', 'ref']);
const NEEDS_TARGET = new Set<FieldType>(['ref', 'many']);

type Errors = { fields: Record<string, string[]>; module: Record<string, string[]>; other: string[] };
const NO_ERRORS: Errors = { fields: {}, module: {}, other: [] };

export function ModuleDesigner({ name }: { name?: string }) {
  const [draft, setDraft] = useState<ModuleDraft | undefined>(name ? undefined : emptyModule());
  const [stored, setStored] = useState<StoredModule[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [banner, setBanner] = useState<string>();
  const [flash, setFlashState] = useState(takeFlash);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadDefinitions().then((all) => {
      setStored(all);
      if (!name) return;
      const mine = all.find((m) => m.name === name);
      if (mine) setDraft(draftOf(mine.definition));
      else setLoadError(t('error.unknownModule', { module: name }));
    }, (e) => !onUnauthenticated(e) && setLoadError(messageOf(e)));
  }, [name]);

  const crumbs = [{ label: t('designer.modules'), href: '/admin/modules' }, { label: name ?? t('module.newTitle') }];
  if (loadError) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${loadError} />`;
  if (!draft) return html`<${Breadcrumbs} items=${crumbs} /><${Loading} />`;

  const source = name ? stored.find((m) => m.name === name)?.source : 'api';
  const readOnly = source !== undefined && source !== 'api';
  const definition = definitionOf(draft);
  const change = (patch: Partial<ModuleDraft>) => setDraft({ ...draft, ...patch });
  const changeField = (key: number, patch: Partial<FieldDraft>) => setDraft({ ...draft, fields: draft.fields.map((f) => (f.key === key ? { ...f, ...patch } : f)) });
  const targets = [...new Set([...stored.map((m) => m.name), ...(draft.name.trim() ? [draft.name.trim()] : [])])].sort();

  const apply = async (e: Event) => {
    e.preventDefault();
    if (readOnly) return;
    setBusy(true);
    setBanner(undefined);
    setErrors(NO_ERRORS);
    setFlashState(undefined);
    try {
      if (name) await api.request('PUT', `/api/modules/${name}`, { body: definition });
      else await api.request('POST', '/api/modules', { body: definition });
      const applied = String(definition.$id);
      window.dispatchEvent(new Event(META_CHANGED));
      setBusy(false);
      if (name) {
        const all = await loadDefinitions();
        setStored(all);
        setDraft(draftOf(all.find((m) => m.name === name)!.definition));
        setFlashState(t('module.updated', { name: applied }));
      } else {
        setFlash(t('module.created', { name: applied }));
        navigate(`/admin/modules/${applied}`);
      }
    } catch (err) {
      setBusy(false);
      if (onUnauthenticated(err)) return;
      if (!(err instanceof StratumError)) return setBanner(messageOf(err));
      setBanner(err.message);
      setErrors(placeErrors(err.details, definition));
    }
  };

  const moduleError = (key: string) => errors.module[key] && html`<p class="field-error" role="alert">${errors.module[key]!.join('; ')}</p>`;
  const sortOptions = draft.fields.filter((f) => f.name.trim() && SORTABLE.has(f.type));

  return html`<${Breadcrumbs} items=${crumbs} />
    <div class="page-head">
      <h1>${name ? t('module.editTitle', { name }) : t('module.newTitle')}</h1>
      <span class="spacer"></span>
      ${name && html`<a class="button" href=${`/m/${name}`}>${t('modules.open')}</a>`}
    </div>
    ${flash && html`<${Alert} kind="success" testid="flash">${flash}</${Alert}>`}
    ${readOnly && html`<${Alert} kind="info">${t('module.readOnly', { where: sourceLabel(source!) })}</${Alert}>`}
    ${name && !readOnly && html`<p class="muted">${t('module.additive')}</p>`}
    <div class="designer">
      <form class="panel designer-form" onSubmit=${apply} noValidate data-testid="module-designer">
        ${banner && html`<${Alert} testid="designer-error"><p>${banner}</p>
          ${errors.other.length > 0 && html`<ul>${errors.other.map((p) => html`<li>${p}</li>`)}</ul>`}</${Alert}>`}
        <fieldset disabled=${readOnly} class="plain">
          <div class="form-grid">
            <div class=${`field${errors.module.name ? ' has-error' : ''}`}>
              <label class="label" for="module-id">${t('module.id')}<span class="req" aria-hidden="true"> *</span></label>
              <input id="module-id" class="mono" value=${draft.name} disabled=${!!name} pattern="[a-z][a-z0-9_]*" autocomplete="off"
                onInput=${(e: Event) => change({ name: (e.target as HTMLInputElement).value })} />
              ${!name && html`<p class="hint">${t('module.idHint')}</p>`}
              ${moduleError('name')}
            </div>
            <div class=${`field${errors.module.title ? ' has-error' : ''}`}>
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
          ${draft.fields.map((f, i) => html`<${FieldRow} key=${f.key} field=${f} index=${i} targets=${targets}
            errors=${errors.fields[f.name.trim()]} onChange=${(patch: Partial<FieldDraft>) => changeField(f.key, patch)}
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
          <button type="submit" class="button button-primary" disabled=${busy || readOnly}>${busy ? t('module.applying') : t('module.apply')}</button>
          <a class="button button-quiet" href="/admin/modules">${t('form.cancel')}</a>
        </div>
      </form>
      <section class="panel designer-preview">
        <h2 class="designer-heading">${t('module.preview')}</h2>
        <pre class="mono json" data-testid="definition-preview">${JSON.stringify(definition, null, 2)}</pre>
      </section>
    </div>`;
}

/** The server's details, each on the field or module input its pointer names; `/required/1` names the second required field. */
function placeErrors(details: readonly { path: string; message: string }[], definition: Json): Errors {
  const out: Errors = { fields: {}, module: {}, other: [] };
  for (const d of details) {
    const required = /^\/required\/(\d+)/.exec(d.path);
    const target = required ? { field: String(definition.required?.[Number(required[1])] ?? '') } : errorTarget(d.path);
    if (target && 'field' in target && definition.properties?.[target.field]) (out.fields[target.field] ??= []).push(`${d.path}: ${d.message}`);
    else if (target && 'module' in target) (out.module[target.module] ??= []).push(d.message);
    else out.other.push(d.path ? `${d.path}: ${d.message}` : d.message);
  }
  return out;
}

interface RowProps {
  field: FieldDraft;
  index: number;
  targets: string[];
  errors?: string[];
  onChange: (patch: Partial<FieldDraft>) => void;
  onRemove: () => void;
}

function FieldRow({ field: f, index, targets, errors, onChange, onRemove }: RowProps) {
  const id = (part: string) => `f${f.key}-${part}`;
  const existing = !!f.original;
  const kept = f.type === 'kept';
  const text = (key: 'name' | 'title' | 'zh' | 'options' | 'optionTitles' | 'optionZh') => (e: Event) => onChange({ [key]: (e.target as HTMLInputElement).value });
  const check = (key: 'required' | 'unique' | 'inList' | 'search' | 'filter' | 'scoped', label: string, disabled = false) => html`<label class="check-label">
    <input type="checkbox" checked=${f[key]} disabled=${disabled} onChange=${(e: Event) => onChange({ [key]: (e.target as HTMLInputElement).checked })} /> ${label}</label>`;
  return html`<fieldset class=${`field-row${errors ? ' has-error' : ''}`} data-testid="field-row" data-field=${f.name.trim()}>
    <legend class="sr-only">${t('module.fieldsHeading')} ${index + 1}</legend>
    <div class="field-row-grid">
      <div class="field">
        <label class="label" for=${id('name')}>${t('field.name')}</label>
        <input id=${id('name')} class="mono" value=${f.name} disabled=${existing} autocomplete="off" onInput=${text('name')} />
      </div>
      <div class="field">
        <label class="label" for=${id('title')}>${t('field.title')}</label>
        <input id=${id('title')} value=${f.title} onInput=${text('title')} />
      </div>
      <div class="field">
        <label class="label" for=${id('zh')}>${t('field.zh')}</label>
        <input id=${id('zh')} lang="zh" value=${f.zh} onInput=${text('zh')} />
      </div>
      <div class="field">
        <label class="label" for=${id('type')}>${t('field.type')}</label>
        <select id=${id('type')} value=${f.type} disabled=${kept} onChange=${(e: Event) => onChange({ type: (e.target as HTMLSelectElement).value as FieldType })}>
          ${FIELD_TYPES.map((type) => html`<option value=${type}>${t(`type.${type}`)}</option>`)}
          ${kept && html`<option value="kept">${t('type.kept')}</option>`}
        </select>
      </div>
      ${f.type === 'enum' && html`<div class="field field-wide">
        <label class="label" for=${id('options')}>${t('field.options')}</label>
        <input id=${id('options')} value=${f.options} onInput=${text('options')} placeholder="gold, silver, bronze" />
      </div>
      <div class="field field-wide">
        <label class="label" for=${id('option-titles')}>${t('field.optionTitles')}</label>
        <input id=${id('option-titles')} value=${f.optionTitles} onInput=${text('optionTitles')} placeholder="Gold, Silver, Bronze" />
      </div>
      <div class="field field-wide">
        <label class="label" for=${id('option-zh')}>${t('field.optionZh')}</label>
        <input id=${id('option-zh')} lang="zh" value=${f.optionZh} onInput=${text('optionZh')} placeholder="金牌, 银牌, 铜牌" />
      </div>`}
      ${NEEDS_TARGET.has(f.type) && html`<div class="field">
        <label class="label" for=${id('target')}>${t('field.target')}</label>
        <select id=${id('target')} value=${f.target} onChange=${(e: Event) => onChange({ target: (e.target as HTMLSelectElement).value })}>
          <option value="">${t('form.choose')}</option>
          ${targets.map((m) => html`<option value=${m}>${m}</option>`)}
        </select>
      </div>`}
    </div>
    <div class="checks">
      ${check('required', t('field.required'), kept && f.original?.['x-inverse'])}
      ${check('unique', t('field.unique'), f.type === 'many' || f.type === 'file' || kept)}
      ${check('inList', t('field.inList'), kept)}
      ${check('search', t('field.search'), f.type !== 'string' && f.type !== 'text')}
      ${check('filter', t('field.filter'), kept || f.type === 'file')}
      ${f.type === 'ref' && html`<span title=${t('field.scopedHint')}>${check('scoped', t('field.scoped'))}</span>`}
      <span class="spacer"></span>
      ${kept && html`<span class="muted">${t('field.kept')}</span>`}
      <button type="button" class="button button-danger-quiet" onClick=${onRemove}>${t('field.remove')}</button>
    </div>
    ${errors && html`<ul class="field-error" role="alert">${errors.map((m) => html`<li>${m}</li>`)}</ul>`}
  </fieldset>`;
}
