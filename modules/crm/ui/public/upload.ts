/**
 * Forms with a file (the enrollment form's ID document; homework): the file is checked
 * here as the server checks it — its size, and its kind by its first bytes, not its name — so that
 * a wrong file is named at once; the server checks again, and its refusals come back on the field.
 */
import { StratumError, currentLang } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import type { CrmKey } from '../words/index.js';

/** The server's limit (modules/crm/files/read-upload.ts) where an answer does not give it. */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const MAGIC: Readonly<Record<string, { ext: string; bytes: readonly number[] }>> = {
  'image/jpeg': { ext: 'JPG', bytes: [0xff, 0xd8, 0xff] },
  'image/png': { ext: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  'application/pdf': { ext: 'PDF', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  'application/zip': { ext: 'ZIP', bytes: [0x50, 0x4b, 0x03, 0x04] },
};

/** `JPG, PNG, PDF` for a list of MIME types. */
export const kindNames = (types: readonly string[]): string => types.map((m) => MAGIC[m]?.ext ?? m).join(', ');

/** `1.5 MB`: sizes as people read them. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What is wrong with the chosen file, in the reader's language; undefined when it may be sent. */
export async function fileProblem(file: File | null | undefined, types: readonly string[], maxBytes = MAX_UPLOAD_BYTES): Promise<string | undefined> {
  if (!file || file.size === 0) return t('upload.required');
  if (file.size > maxBytes) return t('upload.tooLarge', { size: sizeText(file.size), max: sizeText(maxBytes) });
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const fits = types.some((type) => {
    const magic = MAGIC[type]?.bytes;
    return magic !== undefined && magic.length <= head.length && magic.every((b, i) => head[i] === b);
  });
  return fits ? undefined : t('upload.wrongType', { kinds: kindNames(types) });
}

/** POSTs a multipart form to the API with the page's session (if any); the JSON answer, or the API's error. */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' } });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!res.ok) throw StratumError.fromReply(res.status, res.statusText, body);
  return body as T;
}

/** The server's checks a reader can act on, in words for readers of other languages than its English. */
const TRANSLATED: Readonly<Record<string, CrmKey>> = { format: 'public.badFormat', pattern: 'public.badFormat', too_long: 'public.tooLong', enum: 'public.badFormat' };

/**
 * The API's refusal as messages per field (`/phone` → `phone`), in the reader's language for the
 * codes a person can act on; anything not on a known field is returned in `other`.
 */
export function fieldErrors(e: StratumError, known: readonly string[]): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const d of e.details) {
    const name = d.path.split('/')[1] ?? '';
    const translated = d.code && currentLang() !== 'en' ? TRANSLATED[d.code] : undefined;
    const message = d.code === 'required' ? t('public.required') : d.code === 'file_type' ? t('upload.wrongTypeServer') : translated ? t(translated) : d.message;
    if (known.includes(name)) fields[name] ??= message;
    else other.push(d.path ? `${d.path}: ${d.message}` : d.message);
  }
  return { fields, other };
}
