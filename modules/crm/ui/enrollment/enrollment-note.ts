/**
 * What an enrollment's page says instead of the enrollment actions: that a rejected or cancelled
 * enrollment has no more work, or that the caller may see this one but not work on it (its
 * consultant, their manager or an admin does). The server decides which, per record (plugin.ts).
 */
import { html, Alert, type RecordProps } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';

export function EnrollmentNote({ module: m, record }: RecordProps) {
  const status = String(record.status);
  if (status === 'rejected' || status === 'cancelled') return html`<p class="muted crm-note" data-testid="enrollment-closed">${t(`crm.closed.${status}`)}</p>`;
  // Only one who works on enrollments (a colleague) is told whose this one is; a reader (a student) is not.
  return m.actions.includes('update') ? html`<${Alert} kind="info" testid="enrollment-not-yours">${t('crm.notYours')}</${Alert}>` : null;
}
