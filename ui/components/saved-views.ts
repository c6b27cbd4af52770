/**
 * Saved views of a list: the list's state lives in its URL query (filters, search, sort, the
 * department node…), so a view is that query under a name, stored on the server in the personal
 * module `saved_view` (only its creator ever sees it). A view is a tab; the tab whose query is the
 * current one is open, and it can be renamed or deleted.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, StratumError, type Rec } from '../api.js';
import { t } from '../i18n.js';
import { navigate, type Location } from '../router.js';
import { onUnauthenticated } from '../session.js';
import { Alert } from './feedback.js';

interface View {
  id: number;
  name: string;
  query: string;
}

/** The list's state as stored in a view: its query without the page (a view opens on page 1), in a stable order. */
export function viewQuery(query: URLSearchParams): string {
  const copy = new URLSearchParams(query);
  copy.delete('page');
  copy.sort();
  return copy.toString();
}

type Editing = { kind: 'save' } | { kind: 'rename'; view: View } | { kind: 'delete'; view: View };

export function SavedViews({ module, location }: { module: string; location: Location }) {
  const [views, setViews] = useState<View[]>([]);
  const [editing, setEditing] = useState<Editing>();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string }>();
  const [reloads, setReloads] = useState(0);
  const current = viewQuery(location.query);
  const open = views.find((v) => viewQuery(new URLSearchParams(v.query)) === current);

  useEffect(() => {
    let live = true;
    api.data('saved_view').list({ filter: { module }, sort: 'name', pageSize: 100, fields: ['name', 'query'] }).then(
      (r) => live && setViews(r.data.map((v: Rec) => ({ id: Number(v.id), name: String(v.name), query: String(v.query) }))),
      (e) => live && !onUnauthenticated(e) && setMessage({ kind: 'error', text: messageOf(e) }),
    );
    return () => {
      live = false;
    };
  }, [module, reloads]);

  const failed = (e: unknown, tried: string) => {
    if (onUnauthenticated(e)) return;
    const duplicate = e instanceof StratumError && e.code === 'duplicate';
    setMessage({ kind: 'error', text: duplicate ? t('views.duplicate', { name: tried }) : messageOf(e) });
  };
  const start = (next: Editing) => {
    setMessage(undefined);
    setName(next.kind === 'rename' ? next.view.name : '');
    setEditing(next);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = name.trim();
    try {
      if (editing?.kind === 'rename') await api.data('saved_view').update(editing.view.id, { name: trimmed });
      else await api.data('saved_view').create({ module, name: trimmed, query: current });
      setMessage({ kind: 'success', text: t('views.saved', { name: trimmed }) });
      setEditing(undefined);
      setReloads((n) => n + 1);
    } catch (err) {
      failed(err, trimmed);
    }
  };
  const remove = async (view: View) => {
    try {
      await api.data('saved_view').delete(view.id);
      setMessage({ kind: 'success', text: t('views.deleted', { name: view.name }) });
      setEditing(undefined);
      setReloads((n) => n + 1);
      navigate(`/m/${module}`);
    } catch (err) {
      failed(err, view.name);
    }
  };

  const tab = (href: string, label: string, active: boolean, id?: number) => html`<li role="presentation">
    <a href=${href} class=${`view-tab${active ? ' active' : ''}`} aria-current=${active ? 'page' : undefined} data-view=${id ?? ''}>${label}</a></li>`;

  return html`<div class="saved-views" data-testid="saved-views">
    <nav aria-label=${t('views.label')}>
      <ul class="view-tabs">
        ${tab(`/m/${module}`, t('views.all'), current === '')}
        ${views.map((v) => tab(`/m/${module}${v.query ? `?${v.query}` : ''}`, v.name, v === open, v.id))}
      </ul>
    </nav>
    <span class="spacer"></span>
    ${!editing && html`<div class="view-actions">
      ${open
        ? html`<button type="button" class="button button-quiet" onClick=${() => start({ kind: 'rename', view: open })}>${t('views.rename')}</button>
          <button type="button" class="button button-quiet button-danger-quiet" onClick=${() => start({ kind: 'delete', view: open })}>${t('views.delete')}</button>`
        : current !== '' && html`<button type="button" class="button" title=${t('views.saveTitle')} onClick=${() => start({ kind: 'save' })} data-testid="save-view">${t('views.save')}</button>`}
    </div>`}
    ${editing && editing.kind !== 'delete' && html`<form class="view-form" onSubmit=${submit}>
      <input value=${name} onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} aria-label=${t('views.name')}
        placeholder=${t('views.name')} maxLength=${100} required autofocus data-testid="view-name" />
      <button type="submit" class="button button-primary">${editing.kind === 'rename' ? t('views.renameSubmit') : t('views.saveSubmit')}</button>
      <button type="button" class="button button-quiet" onClick=${() => setEditing(undefined)}>${t('form.cancel')}</button>
    </form>`}
    ${editing?.kind === 'delete' && html`<div class="view-form" role="alertdialog" aria-label=${t('views.delete')}>
      <span>${t('views.confirmDelete', { name: editing.view.name })}</span>
      <button type="button" class="button button-danger" onClick=${() => remove(editing.view)} autofocus>${t('detail.delete')}</button>
      <button type="button" class="button button-quiet" onClick=${() => setEditing(undefined)}>${t('form.cancel')}</button>
    </div>`}
  </div>
  ${message && html`<${Alert} kind=${message.kind}>${message.text}</${Alert}>`}`;
}
