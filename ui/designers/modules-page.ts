/** The module designer's first page: every module with where it is defined, "New module" and the trash. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { takeFlash } from '../flash.js';
import { t } from '../i18n.js';
import { onUnauthenticated } from '../session.js';
import type { Json } from './module-draft.js';

export interface StoredModule {
  name: string;
  source: 'api' | 'builtin' | 'files' | string;
  definition: Json;
}

export const loadDefinitions = async (): Promise<StoredModule[]> => (await api.request<{ data: StoredModule[] }>('GET', '/api/modules')).data;

export const sourceLabel = (source: string): string =>
  t(source === 'api' ? 'modules.source.api' : source === 'builtin' ? 'modules.source.builtin' : 'modules.source.files');

export function ModulesPage() {
  const [modules, setModules] = useState<StoredModule[]>();
  const [error, setError] = useState<string>();
  const [flash] = useState(takeFlash);
  useEffect(() => {
    loadDefinitions().then((m) => setModules(m.sort((a, b) => Number(a.source === 'builtin') - Number(b.source === 'builtin') || a.name.localeCompare(b.name))),
      (e) => !onUnauthenticated(e) && setError(messageOf(e)));
  }, []);
  return html`<${Breadcrumbs} items=${[{ label: t('designer.modules') }]} />
    <div class="page-head">
      <h1>${t('designer.modules')}</h1>
      <span class="spacer"></span>
      <a class="button" href="/admin/modules/trash" data-testid="trash-link">${t('modules.trash')}</a>
      <a class="button button-primary" href="/admin/modules/new">${t('modules.new')}</a>
    </div>
    ${flash && html`<${Alert} kind="success" testid="flash">${flash}</${Alert}>`}
    <p class="muted">${t('modules.intro')}</p>
    ${error ? html`<${ErrorPanel} message=${error} />` : !modules ? html`<${Loading} />` : html`<div class="table-wrap"><table class="records" data-testid="modules">
      <thead><tr><th>${t('modules.name')}</th><th>${t('modules.title')}</th><th class="num">${t('modules.fields')}</th><th>${t('modules.source')}</th><th></th></tr></thead>
      <tbody>${modules.map((m) => html`<tr data-module=${m.name}>
        <td><a href=${`/admin/modules/${m.name}`} class="mono">${m.name}</a></td>
        <td>${m.definition.title ?? ''}</td>
        <td class="num">${Object.keys(m.definition.properties ?? {}).length}</td>
        <td class="muted">${sourceLabel(m.source)}</td>
        <td><a class="ref-link" href=${`/m/${m.name}`}>${t('modules.open')}</a></td>
      </tr>`)}</tbody>
    </table></div>`}`;
}
