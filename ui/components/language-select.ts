/** The language switch of the top bar, on the app's pages and on the public ones alike. */
import { html } from 'htm/preact';
import { currentLang, LANGS, t, type Lang } from '../i18n.js';

export function LanguageSelect({ onLang }: { onLang: (lang: Lang) => void }) {
  return html`<label class="lang">
    <span class="sr-only">${t('nav.language')}</span>
    <select value=${currentLang()} onChange=${(e: Event) => onLang((e.target as HTMLSelectElement).value as Lang)} aria-label=${t('nav.language')} data-testid="lang">
      ${LANGS.map((l) => html`<option value=${l.code}>${l.name}</option>`)}
    </select>
  </label>`;
}
