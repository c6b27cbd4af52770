/**
 * A file field in a form: choosing a file uploads it at once (`POST /api/files`), and the field's
 * value becomes the handle the server answers; saving the record attaches it. The size is checked
 * before anything is sent. Its own errors (too large, upload refused) show on the field.
 */
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { StratumError, type FieldMeta } from '../api.js';
import { fileOfRaw, type Raw } from '../form-values.js';
import { formatBytes } from '../format.js';
import { fieldTitle, t } from '../i18n.js';
import { uploadFile } from '../upload-file.js';

interface Props {
  field: FieldMeta;
  value: Raw;
  onChange: (value: Raw) => void;
  id: string;
  invalid: boolean;
  describedBy?: string | undefined;
}

export function FileInput({ field: f, value, onChange, id, invalid, describedBy }: Props) {
  const picker = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const [fresh, setFresh] = useState<string>();
  const handle = fileOfRaw(value);

  const choose = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // choosing the same file again is a new choice
    if (!file) return;
    setProblem(undefined);
    if (f.maxBytes !== undefined && file.size > f.maxBytes) {
      setProblem(t('file.tooLarge', { size: formatBytes(file.size), max: formatBytes(f.maxBytes) }));
      return;
    }
    setUploading(file.name);
    try {
      const uploaded = await uploadFile(file);
      setFresh(uploaded.id);
      onChange(JSON.stringify(uploaded));
    } catch (err) {
      // The server's limit, should it differ from the one the form knows, in the reader's language.
      if (err instanceof StratumError && err.code === 'too_large') setProblem(t('file.tooLarge', { size: formatBytes(file.size), max: formatBytes(f.maxBytes ?? 0) }));
      else setProblem(t('file.uploadFailed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setUploading(undefined);
    }
  };

  return html`<div class="file-input" data-testid=${`file-${f.name}`}>
    ${handle && html`<span class="file-chosen">
      <span class="file-name" data-testid="file-name">${handle.name}</span>
      <span class="muted"> (${formatBytes(handle.size)}${fresh === handle.id ? `, ${t('file.notSaved')}` : ''})</span>
    </span>`}
    <span class="file-actions">
      <button type="button" class="button" id=${id} aria-invalid=${invalid ? 'true' : undefined} aria-describedby=${describedBy}
        disabled=${uploading !== undefined} onClick=${() => picker.current?.click()}>${handle ? t('file.replace') : t('file.choose')}</button>
      ${handle && html`<button type="button" class="button button-quiet" onClick=${() => onChange(f.required ? '' : null)}>${t('file.remove')}</button>`}
      <input type="file" ref=${picker} class="sr-only" tabindex="-1" aria-hidden="true" data-testid="file-picker" onChange=${choose} />
      ${uploading !== undefined && html`<span class="muted" role="status">${t('file.uploading', { name: uploading })}</span>`}
      ${f.maxBytes !== undefined && html`<span class="muted">${t('file.maxSize', { size: formatBytes(f.maxBytes) })}</span>`}
    </span>
    ${problem && html`<p class="field-error" role="alert">${fieldTitle(f)} ${problem}</p>`}
  </div>`;
}
