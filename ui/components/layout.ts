/** The frame of every page after login: top bar (language, user, logout) and the module menu. */
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import type { ModuleMeta } from '../api.js';
import { currentLang, moduleTitle, t, type Lang } from '../i18n.js';
import { LanguageSelect } from './language-select.js';
import type { Session } from '../session.js';
import { DESIGNER_LINKS } from '../designers/routes.js';
import { menuSections } from '../plugins/manifest.js';

interface Props {
  session: Session;
  path: string;
  onLang: (lang: Lang) => void;
  onLogout: () => void;
  children: ComponentChildren;
}

export function Layout({ session, path, onLang, onLogout, children }: Props) {
  const modules = [...session.meta.values()].sort((a, b) => moduleTitle(a).localeCompare(moduleTitle(b), currentLang()));
  const active = /^\/m\/([^/]+)/.exec(path)?.[1];
  const group = (label: string, items: ModuleMeta[], id: string) => items.length === 0 ? null : html`
    <h2 class="menu-heading" id=${id}>${label}</h2>
    <ul aria-labelledby=${id}>
      ${items.map((m) => html`<li><a href=${`/m/${m.name}`} class=${m.name === active ? 'active' : ''} aria-current=${m.name === active ? 'page' : undefined} data-module=${m.name}>${moduleTitle(m)}</a></li>`)}
    </ul>`;
  return html`<div class="shell">
    <header class="topbar">
      <a class="brand" href="/">${t('app.name')}</a>
      <div class="topbar-end">
        <${LanguageSelect} onLang=${onLang} />
        <span class="user" data-testid="user">${session.me.name ?? session.me.username}</span>
        <button type="button" class="button button-quiet" onClick=${onLogout}>${t('nav.logout')}</button>
      </div>
    </header>
    <nav class="sidebar" aria-label=${t('nav.modules')} data-testid="menu">
      ${group(t('nav.modules'), modules.filter((m) => !m.builtin), 'menu-modules')}
      ${menuSections(session.me, session.meta).map((section, i) => html`<h2 class="menu-heading" id=${`menu-plugin-${i}`}>${section.title}</h2>
        <ul aria-labelledby=${`menu-plugin-${i}`}>${section.pages.map((p) => html`<li><a href=${p.href} class=${path === p.href || path.startsWith(`${p.href}/`) ? 'active' : ''} aria-current=${path === p.href ? 'page' : undefined} data-plugin=${p.plugin} data-testid=${p.testid}>${p.title}</a></li>`)}</ul>`)}
      ${group(t('nav.admin'), modules.filter((m) => m.builtin), 'menu-admin')}
      ${session.me.isAdmin && html`<h2 class="menu-heading" id="menu-designers">${t('nav.designers')}</h2>
        <ul aria-labelledby="menu-designers">${DESIGNER_LINKS.map((l) => html`<li><a href=${l.href} class=${path.startsWith(l.href) ? 'active' : ''} data-testid=${l.testid}>${l.label()}</a></li>`)}</ul>`}
    </nav>
    <main class="content">${children}</main>
  </div>`;
}
