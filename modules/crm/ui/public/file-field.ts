/** A file input that says which files it takes (kinds and size), with its error under it. */
import { html } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { kindNames, sizeText } from './upload.js';

interface Props {
  name: string;
  label: string;
  types: readonly string[];
  maxBytes: number;
  onChange: (file: File | null) => void;
  error?: string | undefined;
  required?: boolean;
}

export function FileField({ name, label, types, maxBytes, onChange, error, required = false }: Props) {
  const id = `f-${name}`;
  return html`<div class="field">
    <label class="label" for=${id}>${label}${required && html` <span class="req" aria-hidden="true">*</span>`}</label>
    <input type="file" id=${id} name=${name} accept=${types.join(',')} aria-invalid=${error ? 'true' : undefined}
      aria-describedby=${error ? `${id}-error` : `${id}-hint`} aria-required=${required ? 'true' : undefined}
      onChange=${(e: Event) => onChange((e.target as HTMLInputElement).files?.[0] ?? null)} />
    ${error
      ? html`<p class="field-error" id=${`${id}-error`} role="alert">${error}</p>`
      : html`<p class="hint" id=${`${id}-hint`}>${t('upload.hint', { kinds: kindNames(types), max: sizeText(maxBytes) })}</p>`}
  </div>`;
}
