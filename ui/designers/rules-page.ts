/** The rule designer's first page: every visibility rule, its module, actions and grantees. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, type Rec } from '../api.js';
import { Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { fetchLabels } from '../components/ref-picker.js';
import { moduleTitle, t } from '../i18n.js';
import { onUnauthenticated, type Session } from '../session.js';

export function RulesPage({ session }: { session: Session }) {
  const [rules, setRules] = useState<Rec[]>();
  const [names, setNames] = useState<{ roles: Map<number, string>; users: Map<number, string> }>({ roles: new Map(), users: new Map() });
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.data('rule').list({ sort: 'module,name', pageSize: 500, fields: ['name', 'module', 'actions', 'roles', 'users'] }).then(async (page) => {
      setRules(page.data);
      const ids = (key: 'roles' | 'users') => [...new Set(page.data.flatMap((r) => (r[key] ?? []) as number[]))];
      const role = session.meta.get('role');
      const user = session.meta.get('user');
      setNames({
        roles: role ? await fetchLabels(role, ids('roles')).catch(() => new Map()) : new Map(),
        users: user ? await fetchLabels(user, ids('users')).catch(() => new Map()) : new Map(),
      });
    }, (e) => !onUnauthenticated(e) && setError(messageOf(e)));
  }, []);
  const moduleName = (name: string) => {
    const m = session.meta.get(name);
    return m ? moduleTitle(m) : name;
  };
  return html`<${Breadcrumbs} items=${[{ label: t('designer.rules') }]} />
    <div class="page-head">
      <h1>${t('designer.rules')}</h1>
      <span class="spacer"></span>
      <a class="button button-primary" href="/admin/rules/new">${t('rules.new')}</a>
    </div>
    <p class="muted">${t('rules.intro')}</p>
    ${error ? html`<${ErrorPanel} message=${error} />` : !rules ? html`<${Loading} />` : rules.length === 0 ? html`<div class="empty"><p>${t('rules.empty')}</p></div>` : html`<div class="table-wrap"><table class="records" data-testid="rules">
      <thead><tr><th>${t('rules.name')}</th><th>${t('rules.module')}</th><th>${t('rules.actions')}</th><th>${t('rules.grantees')}</th></tr></thead>
      <tbody>${rules.map((r) => html`<tr data-id=${r.id}>
        <td><a href=${`/admin/rules/${r.id}`}>${r.name}</a></td>
        <td>${moduleName(r.module)}</td>
        <td>${(r.actions ?? []).join(', ')}</td>
        <td>${[...((r.roles ?? []) as number[]).map((id) => names.roles.get(id) ?? `#${id}`), ...((r.users ?? []) as number[]).map((id) => names.users.get(id) ?? `#${id}`)].join(', ') || html`<span class="muted">—</span>`}</td>
      </tr>`)}</tbody>
    </table></div>`}`;
}
