/**
 * The trash of the module designer (`/admin/modules/trash`): fields and modules that a change
 * dropped, with their values, until they are restored or purged. Purging asks first; when the
 * server wants the purge confirmed with a plan's token, the admin's yes is that confirmation.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, StratumError } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { formatDateTime } from '../format.js';
import { t } from '../i18n.js';
import { onUnauthenticated } from '../session.js';
import { refusedPlan } from './change-preview.js';
import { META_CHANGED } from './meta-changed.js';

export interface TrashEntry {
  id: number | string;
  kind: 'field' | 'relation' | 'module';
  module: string;
  field?: string | null;
  rows: number;
  droppedAt: string;
  droppedBy?: unknown;
}

const whatOf = (e: TrashEntry): string =>
  e.kind === 'module' ? t('trash.module', { module: e.module }) : t(e.kind === 'relation' ? 'trash.relation' : 'trash.field', { field: e.field ?? '', module: e.module });

/** Who dropped it: a user as the server names them (an id, a name, or an embedded user). */
function byWhom(by: unknown): string {
  if (by === null || by === undefined) return '';
  if (typeof by === 'number') return `#${by}`;
  if (typeof by === 'object') {
    const u = by as Record<string, unknown>;
    return String(u.name ?? u.username ?? (u.id !== undefined ? `#${u.id}` : ''));
  }
  return String(by);
}

export function ModuleTrash() {
  const [entries, setEntries] = useState<TrashEntry[]>();
  const [loadError, setLoadError] = useState<string>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState<TrashEntry['id']>();
  const [busy, setBusy] = useState(false);

  const load = () => api.request<{ data: TrashEntry[] }>('GET', '/api/modules/trash').then((r) => setEntries(r.data),
    (e) => !onUnauthenticated(e) && setLoadError(messageOf(e)));
  useEffect(() => void load(), []);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
      setNotice(done);
      setConfirming(undefined);
      window.dispatchEvent(new Event(META_CHANGED));
      await load();
    } catch (err) {
      if (!onUnauthenticated(err)) setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const restore = (e: TrashEntry) => act(() => api.request('POST', `/api/modules/trash/${encodeURIComponent(String(e.id))}/restore`),
    e.kind === 'module' ? t('trash.restoredModule', { module: e.module }) : t('trash.restoredField', { field: e.field ?? '', module: e.module }));
  const purge = (e: TrashEntry) => act(async () => {
    const path = `/api/modules/trash/${encodeURIComponent(String(e.id))}`;
    try {
      await api.request('DELETE', path);
    } catch (err) {
      // The admin has said yes already: the token the refusal names confirms exactly this purge.
      const token = err instanceof StratumError && err.code === 'confirmation_required' ? (typeof err.info.token === 'string' ? err.info.token : refusedPlan(err)?.token) : undefined;
      if (!token) throw err;
      await api.request('DELETE', path, { query: { confirm: token } });
    }
  }, t('trash.purged'));

  const crumbs = [{ label: t('designer.modules'), href: '/admin/modules' }, { label: t('trash.title') }];
  if (loadError) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${loadError} />`;
  return html`<${Breadcrumbs} items=${crumbs} />
    <div class="page-head"><h1>${t('trash.title')}</h1></div>
    <p class="muted">${t('trash.intro')}</p>
    ${notice && html`<${Alert} kind="success" testid="flash">${notice}</${Alert}>`}
    ${error && html`<${Alert} testid="trash-error">${error}</${Alert}>`}
    ${!entries ? html`<${Loading} />` : entries.length === 0 ? html`<p class="empty-inline" data-testid="trash-empty">${t('trash.empty')}</p>`
      : html`<div class="table-wrap"><table class="records" data-testid="trash">
        <thead><tr><th>${t('trash.what')}</th><th class="num">${t('trash.rows')}</th><th>${t('trash.when')}</th><th>${t('trash.by')}</th><th></th></tr></thead>
        <tbody>${entries.map((e) => html`<tr data-entry=${String(e.id)} data-kind=${e.kind} data-module=${e.module} data-field=${e.field ?? undefined}>
          <td>${whatOf(e)}</td>
          <td class="num">${e.rows}</td>
          <td>${formatDateTime(e.droppedAt)}</td>
          <td>${byWhom(e.droppedBy)}</td>
          <td class="trash-actions">${confirming === e.id
            ? html`<span class="confirm">${t('trash.confirmPurge')}
                <button type="button" class="button button-danger" disabled=${busy} onClick=${() => purge(e)}>${t('trash.purge')}</button>
                <button type="button" class="button button-quiet" disabled=${busy} onClick=${() => setConfirming(undefined)}>${t('form.cancel')}</button></span>`
            : html`<button type="button" class="button" disabled=${busy} onClick=${() => restore(e)}>${t('trash.restore')}</button>
                <button type="button" class="button button-danger-quiet" disabled=${busy} onClick=${() => setConfirming(e.id)}>${t('trash.purge')}</button>`}</td>
        </tr>`)}</tbody>
      </table></div>`}`;
}
