/**
 * One field of the module designer: name (a rename for a stored field), labels, type with its
 * choices or target, the checks, and under "more" its default, limits and help text. Where a
 * choice list loses a choice, it asks what the records holding that choice become.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { DEFAULTS, FIELD_TYPES, LIMITS, splitOptions, type FieldDraft, type FieldType, type Limit } from './module-draft.js';
import { removedChoices } from './module-migration.js';

const NEEDS_TARGET = new Set<FieldType>(['ref', 'many']);

interface Props {
  field: FieldDraft;
  index: number;
  count: number;
  targets: string[];
  errors?: string[];
  onChange: (patch: Partial<FieldDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

const LIMIT_LABELS: Record<Exclude<Limit, 'format'>, 'field.minimum' | 'field.maximum' | 'field.minLength' | 'field.maxLength' | 'field.pattern'> = {
  minimum: 'field.minimum', maximum: 'field.maximum', minLength: 'field.minLength', maxLength: 'field.maxLength', pattern: 'field.pattern',
};

export function FieldRow({ field: f, index, count, targets, errors, onChange, onMove, onRemove }: Props) {
  const id = (part: string) => `f${f.key}-${part}`;
  const kept = f.type === 'kept';
  const renamed = !!f.from && f.name.trim() !== '' && f.name.trim() !== f.from;
  const text = (key: 'name' | 'title' | 'zh' | 'options' | 'optionTitles' | 'optionZh' | 'description' | 'default' | Limit) => (e: Event) =>
    onChange({ [key]: (e.target as HTMLInputElement).value });
  const check = (key: 'required' | 'unique' | 'inList' | 'search' | 'filter' | 'scoped', label: string, disabled = false) => html`<label class="check-label">
    <input type="checkbox" checked=${f[key]} disabled=${disabled} onChange=${(e: Event) => onChange({ [key]: (e.target as HTMLInputElement).checked })} /> ${label}</label>`;
  const limits = LIMITS[f.type];
  // Open from the start where something is set; after that, the admin opens and closes it.
  const [more] = useState(() => f.description !== '' || (DEFAULTS.has(f.type) && f.default !== '') || limits.some((k) => f[k] !== '' && !(k === 'maxLength' && f.type === 'string')));
  const label = f.name.trim() || `${index + 1}`;
  return html`<fieldset class=${`field-row${errors ? ' has-error' : ''}`} data-testid="field-row" data-field=${f.name.trim()}>
    <legend class="sr-only">${t('module.fieldsHeading')} ${index + 1}</legend>
    <div class="field-row-grid">
      <div class="field">
        <label class="label" for=${id('name')}>${t('field.name')}</label>
        <input id=${id('name')} class="mono" value=${f.name} autocomplete="off" onInput=${text('name')} />
        ${renamed && html`<p class="hint" data-testid="renamed-from">${t('field.renamedFrom', { name: f.from! })}</p>`}
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
      ${removedChoices(f).map((c) => html`<div class="field field-wide value-map" data-testid="value-map">
        <label class="label" for=${id(`map-${c.value}`)}>${t('field.valueMap', { value: c.value })}</label>
        <select id=${id(`map-${c.value}`)} value=${c.to} onChange=${(e: Event) => onChange({ valueMap: { ...f.valueMap, [c.value]: (e.target as HTMLSelectElement).value } })}>
          <option value="">${t('field.valueMapNone')}</option>
          ${splitOptions(f.options).map((v) => html`<option value=${v}>${v}</option>`)}
        </select>
      </div>`)}
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
    <details class="field-more" open=${more}>
      <summary>${t('field.more')}</summary>
      <div class="field-row-grid">
        ${DEFAULTS.has(f.type) && html`<div class="field">
          <label class="label" for=${id('default')}>${t('field.default')}</label>
          ${DefaultInput({ f, id: id('default'), onInput: text('default') })}
        </div>`}
        ${limits.map((k) => k === 'format'
          ? html`<div class="field">
              <label class="label" for=${id('format')}>${t('field.format')}</label>
              <select id=${id('format')} value=${f.format} onChange=${text('format')}>
                <option value="">${t('format.none')}</option>
                <option value="email">${t('format.email')}</option>
                <option value="uri">${t('format.uri')}</option>
              </select>
            </div>`
          : html`<div class="field">
              <label class="label" for=${id(k)}>${t(LIMIT_LABELS[k])}</label>
              <input id=${id(k)} class=${k === 'pattern' ? 'mono' : ''} value=${f[k]} inputmode=${k === 'pattern' ? undefined : 'decimal'}
                placeholder=${k === 'maxLength' ? '200' : ''} onInput=${text(k)} />
            </div>`)}
        <div class="field field-wide">
          <label class="label" for=${id('description')}>${t('field.description')}</label>
          <input id=${id('description')} value=${f.description} onInput=${text('description')} />
        </div>
      </div>
    </details>
    <div class="checks">
      ${check('required', t('field.required'), kept && f.original?.['x-inverse'])}
      ${check('unique', t('field.unique'), f.type === 'many' || f.type === 'file' || kept)}
      ${check('inList', t('field.inList'), kept)}
      ${check('search', t('field.search'), f.type !== 'string' && f.type !== 'text')}
      ${check('filter', t('field.filter'), kept || f.type === 'file')}
      ${f.type === 'ref' && html`<span title=${t('field.scopedHint')}>${check('scoped', t('field.scoped'))}</span>`}
      <span class="spacer"></span>
      ${kept && html`<span class="muted">${t('field.kept')}</span>`}
      <span class="field-move">
        <button type="button" class="button button-quiet" disabled=${index === 0} onClick=${() => onMove(-1)}
          aria-label=${`${t('field.moveUp')}: ${label}`} title=${t('field.moveUp')}>↑</button>
        <button type="button" class="button button-quiet" disabled=${index === count - 1} onClick=${() => onMove(1)}
          aria-label=${`${t('field.moveDown')}: ${label}`} title=${t('field.moveDown')}>↓</button>
      </span>
      <button type="button" class="button button-danger-quiet" onClick=${onRemove}>${t('field.remove')}</button>
    </div>
    ${errors && html`<ul class="field-error" role="alert">${errors.map((m) => html`<li>${m}</li>`)}</ul>`}
  </fieldset>`;
}

/** The default as the field's type takes it: a choice, yes/no, or typed text. */
function DefaultInput({ f, id, onInput }: { f: FieldDraft; id: string; onInput: (e: Event) => void }) {
  if (f.type === 'enum') {
    const values = splitOptions(f.options);
    return html`<select id=${id} value=${f.default} onChange=${onInput}>
      <option value="">${t('field.noDefault')}</option>
      ${values.map((v) => html`<option value=${v}>${v}</option>`)}
      ${f.default !== '' && !values.includes(f.default) && html`<option value=${f.default}>${f.default}</option>`}
    </select>`;
  }
  if (f.type === 'boolean') {
    return html`<select id=${id} value=${f.default} onChange=${onInput}>
      <option value="">${t('field.noDefault')}</option>
      <option value="true">${t('value.yes')}</option>
      <option value="false">${t('value.no')}</option>
    </select>`;
  }
  return html`<input id=${id} value=${f.default} inputmode=${f.type === 'number' || f.type === 'integer' ? 'decimal' : undefined} onInput=${onInput} />`;
}
