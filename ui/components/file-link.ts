/** A file a record holds, as a link that downloads it (`GET /api/data/<m>/<id>/files/<field>`). */
import { html } from 'htm/preact';
import type { Rec } from '../api.js';
import { formatBytes } from '../format.js';
import { t } from '../i18n.js';

export const fileUrl = (module: string, id: number, field: string) =>
  `/api/data/${encodeURIComponent(module)}/${id}/files/${encodeURIComponent(field)}`;

export function FileLink({ module, id, field, handle, size = false }: { module: string; id: number; field: string; handle: Rec; size?: boolean }) {
  const name = String(handle.name ?? '');
  return html`<a class="file-link" href=${fileUrl(module, id, field)} download=${name} title=${t('file.download', { name })}>${name}</a>${
    size && typeof handle.size === 'number' ? html` <span class="muted">(${formatBytes(handle.size)})</span>` : ''}`;
}
