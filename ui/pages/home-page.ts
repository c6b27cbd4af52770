import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { Breadcrumbs, Loading } from '../components/feedback.js';
import { currentLang, moduleTitle, t } from '../i18n.js';
import type { Session } from '../session.js';
import { navigate } from '../router.js';
import { holds, landingFor, panelsOf } from '../plugins/manifest.js';
import { PluginPiece } from '../plugins/load-piece.js';

export function HomePage({ session }: { session: Session }) {
  // A role with pages made for it (a plugin's `landing`) starts there; the modules stay in the menu.
  const landing = landingFor(session.me);
  useEffect(() => {
    if (landing) navigate(landing, { replace: true });
  }, [landing]);
  if (landing) return html`<${Loading} />`;
  const panels = panelsOf('home').filter(({ panel }) => holds(panel.requires, session.me, session.meta));
  const modules = [...session.meta.values()].filter((m) => !m.builtin).sort((a, b) => moduleTitle(a).localeCompare(moduleTitle(b), currentLang()));
  const admin = [...session.meta.values()].filter((m) => m.builtin);
  const card = (m: (typeof modules)[number]) => html`<li><a class="card" href=${`/m/${m.name}`}>
    <strong>${moduleTitle(m)}</strong>
    ${m.description && html`<span class="muted" title=${m.description}>${m.description}</span>`}
  </a></li>`;
  return html`<${Breadcrumbs} items=${[]} />
    <h1>${t('home.welcome', { name: session.me.name ?? session.me.username })}</h1>
    ${session.meta.size === 0
      ? html`<p class="empty">${t('home.empty')}</p>`
      : html`${panels.map(({ plugin, panel }) => html`<${PluginPiece} key=${`${plugin.plugin}.${panel.component}`} plugin=${plugin} component=${panel.component} props=${{ session }} quiet=${true} />`)}
        <p class="muted">${t('home.intro')}</p>
        ${modules.length > 0 && html`<ul class="cards">${modules.map(card)}</ul>`}
        ${admin.length > 0 && html`<h2 class="section-heading">${t('nav.admin')}</h2><ul class="cards">${admin.map(card)}</ul>`}`}`;
}
