/** The frame of the pages anyone may open without an account: the name, and the language to read in. */
import { html, LanguageSelect, type Lang } from '../../../../ui/plugin-sdk.js';
import type { ComponentChildren } from 'preact';
import { t } from '../words/index.js';

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
