/**
 * Edits an `isbn` field: takes the number as printed (hyphens, spaces), stores it compact, and says
 * at once whether the check digit holds — with the same check as the server (../isbn.ts).
 */
import { html, type WidgetProps } from '../../../ui/plugin-sdk.js';
import { compactIsbn, isIsbn } from '../isbn.js';
import { t } from './words.js';

export function IsbnInput({ id, value, onChange, error }: WidgetProps) {
  const isbn = typeof value === 'string' ? value : '';
  return html`<input id=${id} data-testid="isbn-input" inputmode="numeric" autocomplete="off" placeholder="978-0-441-01359-3"
      value=${isbn} aria-invalid=${error ? 'true' : undefined}
      onInput=${(e: Event) => onChange(compactIsbn((e.target as HTMLInputElement).value) || null)} />
    ${isbn !== '' && html`<small data-testid="isbn-check">${isIsbn(isbn) ? t('isbnValid') : t('isbnInvalid')}</small>`}`;
}
