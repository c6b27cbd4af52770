/** A labelled input of the public and portal forms, with its error under it (linked for screen readers). */
import { html } from '../../../../ui/plugin-sdk.js';

interface Props {
  name: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  type?: 'text' | 'email' | 'tel' | 'search';
  required?: boolean;
  multiline?: boolean;
  autocomplete?: string;
  hint?: string;
}

export function TextField({ name, label, value, onInput, error, type = 'text', required = false, multiline = false, autocomplete, hint }: Props) {
  const id = `f-${name}`;
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const common = {
    id, name, value, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described, 'aria-required': required ? 'true' : undefined,
    onInput: (e: Event) => onInput((e.target as HTMLInputElement).value),
  };
  return html`<div class="field">
    <label class="label" for=${id}>${label}${required && html` <span class="req" aria-hidden="true">*</span>`}</label>
    ${multiline ? html`<textarea rows="4" ...${common} />` : html`<input type=${type} autocomplete=${autocomplete} ...${common} />`}
    ${hint && !error && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${error && html`<p class="field-error" id=${`${id}-error`} role="alert">${error}</p>`}
  </div>`;
}
