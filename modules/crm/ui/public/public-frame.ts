/** The frame of the pages anyone may open without an account: the name, and the language to read in. */
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { t, type Lang } from '../i18n.js';
import { LanguageSelect } from '../components/language-select.js';

export function PublicFrame({ onLang, children }: { onLang: (lang: Lang) => void; children: ComponentChildren }) {
  return html`<div class="public">
    <header class="topbar">
      <span class="brand">${t('app.name')}</span>
      <div class="topbar-end">
        <${LanguageSelect} onLang=${onLang} />
      </div>
    </header>
    <main class="public-content">${children}</main>
  </div>`;
}
