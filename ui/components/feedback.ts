/** Loading, error and notice blocks, one look everywhere. */
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { t } from '../i18n.js';

export const Loading = () => html`<p class="loading" role="status">${t('loading')}</p>`;

export function Alert({ kind = 'error', children, testid }: { kind?: 'error' | 'info' | 'success' | 'warning'; children: ComponentChildren; testid?: string }) {
  return html`<div class=${`alert alert-${kind}`} role=${kind === 'error' ? 'alert' : 'status'} data-testid=${testid}>${children}</div>`;
}

export function ErrorPanel({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return html`<div class="panel error-panel" role="alert">
    <h2>${t('error.title')}</h2>
    <p>${message}</p>
    ${onRetry && html`<button type="button" class="button" onClick=${onRetry}>${t('error.retry')}</button>`}
  </div>`;
}

export interface Crumb {
  label: string;
  href?: string;
}

/** Home › Customers › Ada Lovelace › Edit: the last one is where you are. */
export function Breadcrumbs({ items }: { items: readonly Crumb[] }) {
  const all: Crumb[] = [{ label: t('nav.home'), href: '/' }, ...items];
  // The tab and the history list say where each page is, too.
  document.title = `${all.slice(1).map((c) => c.label).reverse().join(' · ') || t('nav.home')} · ${t('app.name')}`;
  return html`<nav class="crumbs" aria-label="Breadcrumb"><ol>
    ${all.map((c, i) => html`<li>${i < all.length - 1 && c.href ? html`<a href=${c.href}>${c.label}</a>` : html`<span aria-current=${i === all.length - 1 ? 'page' : undefined}>${c.label}</span>`}</li>`)}
  </ol></nav>`;
}
