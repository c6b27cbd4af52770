/**
 * On a record's detail page, for admins: "why does user X see this record" — the server's answer
 * (`GET /api/data/<m>/<id>/explain?user=`), condition by condition: each base module's, with the
 * rules OR-ed in it and the department's, and whether the record passes each.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, messageOf } from '../api.js';
import { Alert } from '../components/feedback.js';
import { RefPicker } from '../components/ref-picker.js';
import { t } from '../i18n.js';
import { onUnauthenticated, type Session } from '../session.js';

interface Explained {
  user: { id: number; username: string };
  visible: boolean;
  unrestricted?: unknown;
  bases: {
    base: string;
    path: string;
    passes: boolean;
    rules: { id: number; name: string; passes: boolean; error?: string }[];
    department?: { codes: string[]; reason: string; passes: boolean };
    error?: string;
  }[];
}

const verdict = (passes: boolean) => html`<span class=${`verdict ${passes ? 'verdict-pass' : 'verdict-fail'}`}>${t(passes ? 'explain.passes' : 'explain.fails')}</span>`;

export function RecordExplain({ session, module, id }: { session: Session; module: string; id: number }) {
  const users = session.meta.get('user');
  const [userId, setUserId] = useState<number | null>(null);
  const [answer, setAnswer] = useState<Explained>();
  const [error, setError] = useState<string>();
  if (!users) return null;

  const run = async () => {
    if (userId === null) return;
    setError(undefined);
    try {
      setAnswer(await api.request<Explained>('GET', `/api/data/${module}/${id}/explain?user=${userId}`));
    } catch (e) {
      if (!onUnauthenticated(e)) setError(messageOf(e));
    }
  };

  return html`<details class="panel explain" data-testid="record-explain">
    <summary>${t('explain.heading')}</summary>
    <div class="preview-controls">
      <div class="field">
        <label class="label" for="explain-user">${t('preview.user')}</label>
        <${RefPicker} target=${users} value=${userId} id="explain-user" onChange=${(v: number | null) => { setUserId(v); setAnswer(undefined); }} />
      </div>
      <button type="button" class="button" onClick=${run} disabled=${userId === null}>${t('explain.run')}</button>
    </div>
    ${error && html`<${Alert}>${error}</${Alert}>`}
    ${answer && html`<div data-testid="explain-answer">
      <p><strong>${t(answer.visible ? 'explain.visible' : 'explain.hidden', { user: answer.user.username })}</strong></p>
      ${answer.unrestricted ? html`<p>${t('explain.unrestricted', { why: String(answer.unrestricted) })}</p>` : answer.bases.length === 0 ? html`<p class="muted">${t('explain.noBases')}</p>` : html`<ul class="explain-bases">
        ${answer.bases.map((b) => html`<li>
          ${t('explain.base', { base: b.base, path: b.path ? ` (${b.path})` : '' })}: ${verdict(b.passes)}${b.error && html` <span class="field-error">${b.error}</span>`}
          <ul>
            ${b.rules.map((r) => html`<li><a href=${`/admin/rules/${r.id}`}>${r.name}</a>: ${verdict(r.passes)}${r.error && html` <span class="field-error">${r.error}</span>`}</li>`)}
            ${b.department && html`<li>${t('explain.department', { codes: b.department.codes.join(', ') || '—', reason: b.department.reason })}: ${verdict(b.department.passes)}</li>`}
          </ul>
        </li>`)}
      </ul>`}
    </div>`}
  </details>`;
}
