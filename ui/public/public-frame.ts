/** The frame of the pages anyone may open without an account: the name, and the language to read in. */
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { currentLang, LANGS, t, type Lang } from '../i18n.js';

export function PublicFrame({ onLang, children }: { onLang: (lang: Lang) => void; children: ComponentChildren }) {
  return html`<div class="public">
    <header class="topbar">
      <span class="brand">${t('app.name')}</span>
      <div class="topbar-end">
        <label class="lang">
          <span class="sr-only">${t('nav.language')}</span>
          <select value=${currentLang()} onChange=${(e: Event) => onLang((e.target as HTMLSelectElement).value as Lang)} aria-label=${t('nav.language')} data-testid="lang">
            ${LANGS.map((l) => html`<option value=${l.code}>${l.name}</option>`)}
          </select>
        </label>
      </div>
    </header>
    <main class="public-content">${children}</main>
  </div>`;
}
