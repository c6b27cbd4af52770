/**
 * "Mark returned" on a loan's page. The server offers it only on an open loan to someone who may
 * update it (`allowed` in plugin.ts); the route checks again, as the caller.
 */
import { Alert, api, html, messageOf, useState, type RecordProps } from '../../../ui/plugin-sdk.js';
import { t } from './words.js';

export function ReturnButton({ record, reload }: RecordProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function markReturned() {
    setBusy(true);
    setError(undefined);
    try {
      await api.request('POST', `/api/plugins/library/loans/${record.id}/return`);
      // Read the loan again: its page shows the return date, and the button goes (the server no longer offers it).
      reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  return html`<button type="button" class="button" data-testid="mark-returned" disabled=${busy} onClick=${markReturned}>${t('markReturned')}</button>
    ${error && html`<${Alert}>${error}<//>`}`;
}
