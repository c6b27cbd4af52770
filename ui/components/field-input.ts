/** One form control per field kind, with its label, hint and error message. */
import { html } from 'htm/preact';
import { widgetFor } from '../plugins/manifest.js';
import { PluginPiece } from '../plugins/load-piece.js';
import type { FieldMeta, ModuleMeta, RelationMeta } from '../api.js';
import { validityError, type Raw } from '../form-values.js';
import { enumTitle, fieldTitle, moduleTitle, t } from '../i18n.js';
import { MultiRefPicker, RefPicker } from './ref-picker.js';
import { FileInput } from './file-input.js';

interface Props {
  field: FieldMeta;
  value: Raw;
  onChange: (value: Raw) => void;
  error?: string;
  meta: ReadonlyMap<string, ModuleMeta>;
  /** Editing an existing record: an empty password keeps the current one. */
  editing: boolean;
}

export const inputId = (name: string) => `field-${name}`;

/**
 * The message of each field whose control on the page the browser holds invalid. A date or
 * number input with unreadable text (31 February, "abc") reports its value as '', so the raw
 * values alone cannot tell it from a field left empty: a form calls this before it sends.
 */
export function controlErrors(fields: readonly FieldMeta[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const control = document.getElementById(inputId(f.name));
    const message = control && 'validity' in control ? validityError(f, (control as HTMLInputElement).validity) : undefined;
    if (message) out[f.name] = message;
  }
  return out;
}

export function FieldInput({ field: f, value, onChange, error, meta, editing }: Props) {
  const id = inputId(f.name);
  const errorId = `${id}-error`;
  const aria = { id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': error ? errorId : f.description ? `${id}-hint` : undefined, 'aria-required': f.required ? 'true' : undefined };
  const text = (e: Event) => onChange((e.target as HTMLInputElement).value);
  const control = () => {
    const widget = widgetFor(f.fieldType);
    if (widget) return html`<${PluginPiece} plugin=${widget.plugin} component=${widget.component} props=${{ field: f, value, onChange, id, error }} />`;
    if (f.kind === 'ref') {
      const target = f.ref ? meta.get(f.ref) : undefined;
      if (target) return html`<${RefPicker} target=${target} value=${typeof value === 'number' ? value : null} onChange=${onChange} id=${id} invalid=${!!error} describedBy=${aria['aria-describedby']} />`;
      return html`<input type="number" step="1" min="1" value=${value ?? ''} onInput=${(e: Event) => { const v = (e.target as HTMLInputElement).value; onChange(v === '' ? null : Number(v)); }} ...${aria} />`;
    }
    if (f.namesModule) {
      // The modules the caller can see, by title; a stored name they cannot see stays choosable.
      const known = [...meta.values()].map((m) => ({ name: m.name, title: moduleTitle(m) })).sort((a, b) => a.title.localeCompare(b.title));
      const current = typeof value === 'string' && value !== '' && !meta.has(value) ? [{ name: value, title: value }] : [];
      return html`<select value=${value ?? ''} onChange=${text} ...${aria}>
        <option value="">${t('form.choose')}</option>
        ${[...current, ...known].map((m) => html`<option value=${m.name}>${m.title === m.name ? m.name : `${m.title} (${m.name})`}</option>`)}
      </select>`;
    }
    switch (f.kind) {
      case 'file':
        return html`<${FileInput} field=${f} value=${value} onChange=${onChange} id=${id} invalid=${!!error} describedBy=${aria['aria-describedby']} />`;
      case 'boolean':
        return html`<input type="checkbox" class="checkbox" checked=${value === true} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked)} ...${aria} />`;
      case 'enum':
        return html`<select value=${value ?? ''} onChange=${text} ...${aria}>
          <option value="">${f.required ? t('form.choose') : t('form.none')}</option>
          ${f.enum!.map((v) => html`<option value=${v}>${enumTitle(f, v)}</option>`)}
        </select>`;
      case 'text':
        return html`<textarea rows="4" value=${value ?? ''} onInput=${text} ...${aria}></textarea>`;
      case 'password':
        return html`<input type="password" autocomplete="new-password" value=${value ?? ''} onInput=${text} placeholder=${editing ? t('form.passwordKeep') : ''} ...${aria} />`;
      case 'date':
        return html`<input type="date" value=${value ?? ''} onInput=${text} ...${aria} />`;
      case 'datetime':
        return html`<input type="datetime-local" value=${value ?? ''} onInput=${text} ...${aria} />`;
      case 'integer':
      case 'number':
        return html`<input type="number" inputmode=${f.kind === 'integer' ? 'numeric' : 'decimal'} step=${f.kind === 'integer' ? '1' : 'any'} min=${f.minimum} max=${f.maximum} value=${value ?? ''} onInput=${text} ...${aria} />`;
      case 'json':
        if (f.items) {
          const chosen = Array.isArray(value) ? (value as string[]) : [];
          return html`<div class="checks" role="group" aria-labelledby=${`${id}-label`} id=${id}>${f.items.map((item) => html`<label class="check-label">
            <input type="checkbox" checked=${chosen.includes(item)} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? [...chosen, item] : chosen.filter((c) => c !== item))} /> ${enumTitle(f, item)}</label>`)}</div>`;
        }
        if (f.stringList) return html`<input type="text" value=${value ?? ''} onInput=${text} placeholder=${t('form.commaList')} ...${aria} />`;
        return html`<textarea rows="4" class="mono" value=${value ?? ''} onInput=${text} placeholder=${t('form.json')} ...${aria}></textarea>`;
      default: {
        const type = f.format === 'email' ? 'email' : f.format === 'uri' ? 'url' : 'text';
        return html`<input type=${type} value=${value ?? ''} onInput=${text} maxLength=${f.maxLength} ...${aria} />`;
      }
    }
  };
  const wide = f.kind === 'text' || (f.kind === 'json' && !f.items && !f.stringList);
  return html`<div class=${`field${error ? ' has-error' : ''}${f.kind === 'boolean' ? ' field-inline' : ''}${wide ? ' field-wide' : ''}`} data-field=${f.name}>
    <label class="label" for=${id} id=${`${id}-label`}>${fieldTitle(f)}${f.required && html`<span class="req" title=${t('form.required')} aria-hidden="true"> *</span>`}</label>
    ${control()}
    ${f.description && html`<p class="hint" id=${`${id}-hint`}>${f.description}</p>`}
    ${error && html`<p class="field-error" id=${errorId} role="alert">${fieldTitle(f)} ${error}</p>`}
  </div>`;
}

/** A many-to-many relation (`user.roles`) in a form. */
export function RelationInput({ relation: r, value, onChange, error, meta }: { relation: RelationMeta; value: readonly number[]; onChange: (ids: number[]) => void; error?: string; meta: ReadonlyMap<string, ModuleMeta> }) {
  const id = inputId(r.name);
  const target = meta.get(r.target)!;
  return html`<div class=${`field${error ? ' has-error' : ''}`} data-field=${r.name}>
    <label class="label" for=${id}>${fieldTitle(r)}</label>
    <${MultiRefPicker} target=${target} value=${value} onChange=${onChange} id=${id} invalid=${!!error} />
    ${error && html`<p class="field-error" role="alert">${fieldTitle(r)} ${error}</p>`}
  </div>`;
}
