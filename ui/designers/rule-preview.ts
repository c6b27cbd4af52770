/**
 * "User X would see N of M records". The API has no way to count as another user, so: M is the
 * admin's count; the rule's own reach is the admin's count with the rule's filter; and N is the
 * admin's count with the condition the server compiles for X (`GET /api/data/<m>/explain?user=`),
 * which holds X's saved rules, all of them, and X's department. One difference is said on the
 * page: a condition on related records counts them all, where X would see only X's own.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, messageOf, type Rec } from '../api.js';
import { Alert } from '../components/feedback.js';
import { RefPicker } from '../components/ref-picker.js';
import { t } from '../i18n.js';
import { onUnauthenticated, type Session } from '../session.js';
import { conditionToFilter } from './rule-filter.js';

const count = async (module: string, filter?: Rec): Promise<number> =>
  (await api.data(module).list({ ...(filter ? { filter } : {}), pageSize: 1, fields: ['id'] })).meta.total ?? 0;

interface Outcome {
  total: number;
  matches?: number;
  user?: { name: string; sees?: number; noRead?: boolean; unrestricted?: string; rules: string[] };
}

export function RulePreview({ session, module, filter, dirty }: { session: Session; module: string; filter?: Rec; dirty: boolean }) {
  const [userId, setUserId] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const users = session.meta.get('user');

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const total = await count(module);
      const next: Outcome = { total, ...(filter ? { matches: await count(module, filter) } : {}) };
      if (userId !== null) {
        const explained = await api.request<{ user: { username: string }; actions: { read: { allowed: boolean; unrestricted?: unknown; ast: any; bases: { rules: { name: string }[] }[] } } }>(
          'GET', `/api/data/${module}/explain?user=${userId}`);
        const read = explained.actions.read;
        const name = explained.user.username;
        const rules = read.bases.flatMap((b) => b.rules.map((r) => r.name));
        next.user = !read.allowed ? { name, noRead: true, rules }
          : read.unrestricted ? { name, unrestricted: String(read.unrestricted), sees: total, rules }
          : { name, sees: await count(module, conditionToFilter(read.ast)), rules };
      }
      setOutcome(next);
    } catch (e) {
      if (!onUnauthenticated(e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return html`<section class="panel rule-preview" data-testid="rule-preview">
    <h2 class="designer-heading">${t('preview.heading')}</h2>
    <div class="preview-controls">
      ${users && html`<div class="field">
        <label class="label" for="preview-user">${t('preview.user')}</label>
        <${RefPicker} target=${users} value=${userId} id="preview-user" onChange=${(id: number | null) => { setUserId(id); setOutcome(undefined); }} />
      </div>`}
      <button type="button" class="button" onClick=${run} disabled=${busy || !module}>${t('preview.run')}</button>
    </div>
    ${error && html`<${Alert}>${error}</${Alert}>`}
    ${outcome && html`<div class="preview-outcome" data-testid="preview-outcome">
      ${outcome.matches !== undefined && html`<p data-testid="preview-matches">${t('preview.matches', { n: outcome.matches, m: outcome.total })}</p>`}
      ${outcome.user && html`<p data-testid="preview-user-sees"><strong>${outcome.user.noRead
        ? t('preview.userNoRead', { user: outcome.user.name })
        : outcome.user.unrestricted
        ? t('preview.userAll', { user: outcome.user.name, m: outcome.total, why: outcome.user.unrestricted })
        : t('preview.userSees', { user: outcome.user.name, n: outcome.user.sees!, m: outcome.total })}</strong></p>
        <p class="muted">${t('preview.rulesApplying', { rules: outcome.user.rules.join(', ') || t('preview.noRules') })}</p>
        ${dirty && html`<${Alert} kind="warning">${t('preview.unsaved')}</${Alert}>`}
        <p class="hint">${t('preview.how')}</p>`}
    </div>`}
  </section>`;
}
