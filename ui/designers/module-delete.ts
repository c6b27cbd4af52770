/**
 * Deleting a module from its designer: the dry run first (how many records go to the trash, what
 * else is affected), then the delete, confirmed with the dry run's token.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, messageOf } from '../api.js';
import { Alert } from '../components/feedback.js';
import { setFlash } from '../flash.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { onUnauthenticated } from '../session.js';
import { ChangePreview, refusedPlan, type Plan } from './change-preview.js';
import { META_CHANGED } from './meta-changed.js';

export function ModuleDelete({ name }: { name: string }) {
  const [plan, setPlan] = useState<Plan>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const path = `/api/modules/${encodeURIComponent(name)}`;

  const failed = (err: unknown) => {
    if (onUnauthenticated(err)) return;
    setError(messageOf(err));
    const again = refusedPlan(err);
    if (again) setPlan(again);
  };
  const check = async () => {
    setError(undefined);
    setBusy(true);
    try {
      setPlan((await api.request<{ plan: Plan }>('DELETE', path, { query: { dryRun: 'true' } })).plan);
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!plan) return;
    setError(undefined);
    setBusy(true);
    try {
      await api.request('DELETE', path, { query: { confirm: plan.token } });
      window.dispatchEvent(new Event(META_CHANGED));
      setFlash(t('module.deleted', { name }));
      navigate('/admin/modules');
    } catch (err) {
      setBusy(false);
      failed(err);
    }
  };

  return html`<section class="panel module-delete" aria-labelledby="module-delete-heading">
    <h2 class="designer-heading" id="module-delete-heading">${t('module.deleteHeading')}</h2>
    <p class="muted">${t('module.deleteIntro')}</p>
    ${error && html`<${Alert} testid="delete-error">${error}</${Alert}>`}
    ${plan
      ? html`<${ChangePreview} plan=${plan} heading=${t('change.deleteHeading')} applyLabel=${t('module.deleteConfirm')} cancelLabel=${t('change.cancel')} testid="delete-preview"
          checking=${false} busy=${busy} onApply=${remove} onCancel=${() => setPlan(undefined)} />`
      : html`<button type="button" class="button button-danger-quiet" disabled=${busy} onClick=${check}>${t('module.delete')}</button>`}
  </section>`;
}
