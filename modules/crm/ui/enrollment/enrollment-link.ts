/**
 * Sales creates the enrollment link and sends it to the customer (WeChat, QQ, SMS). The
 * server keeps only the token's hash, so a link is shown once, when it is made; a new one
 * replaces the earlier link, which then stops working.
 */
import { html, useRef, useState, messageOf, Alert, formatDateTime, onUnauthenticated } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { createLink, type EnrollmentLink } from './enrollment-api.js';

type Copy = 'idle' | 'copied' | 'by-hand';

export function EnrollmentLinkPanel({ id }: { id: number }) {
  const [link, setLink] = useState<EnrollmentLink>();
  const [replaced, setReplaced] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [copy, setCopy] = useState<Copy>('idle');
  const input = useRef<HTMLInputElement>(null);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const made = await createLink(id);
      setReplaced(link !== undefined);
      setLink(made);
      setCopy('idle');
    } catch (e) {
      if (!onUnauthenticated(e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  // The clipboard API needs a secure context and the page's focus; else the link is selected for Ctrl+C.
  const copyLink = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.page);
      setCopy('copied');
    } catch {
      input.current?.select();
      setCopy(document.execCommand('copy') ? 'copied' : 'by-hand');
    }
  };

  const days = link ? Math.max(1, Math.round((Date.parse(link.expiresAt) - Date.now()) / 86_400_000)) : 0;
  return html`<p class="crm-intro">${t('crm.link.intro')}</p>
    ${error && html`<${Alert} testid="link-error">${error}</${Alert}>`}
    ${link && html`<div class="crm-link" data-testid="enrollment-link">
      <${Alert} kind="success">${replaced ? t('crm.link.replacedNow') : t('crm.link.created')}</${Alert}>
      <label class="label" for="enrollment-link-url">${t('crm.link.label')}</label>
      <div class="crm-link-row">
        <input id="enrollment-link-url" class="mono" type="text" readOnly value=${link.page} ref=${input} onFocus=${(e: Event) => (e.target as HTMLInputElement).select()} />
        <button type="button" class="button" onClick=${copyLink} data-testid="copy-link">${copy === 'copied' ? t('crm.link.copied') : t('crm.link.copy')}</button>
      </div>
      ${copy === 'by-hand' && html`<p class="hint" role="status">${t('crm.link.copyByHand')}</p>`}
      <p class="hint" data-testid="link-expiry">${t('crm.link.expires', { at: formatDateTime(link.expiresAt), days })}</p>
      <p class="hint">${t('crm.link.onlyNow')}</p>
    </div>`}
    <div class="actions crm-link-actions">
      <button type="button" class=${link ? 'button' : 'button button-primary'} onClick=${create} disabled=${busy} data-testid="create-link">
        ${busy ? t('crm.link.creating') : link ? t('crm.link.createNew') : t('crm.link.create')}</button>
      <span class="hint">${t('crm.link.replaces')}</span>
    </div>`;
}
