/**
 * The multipart body of `POST /api/files`: one file in the part named `file`. Refusals are the
 * standard error with a pointer, so that a form shows them on its file input.
 */
import type { HonoRequest } from 'hono';
import { HttpError, httpError } from '../errors.js';
import { MAX_FILE_BYTES } from '../files/limits.js';

export const FILE_PART = 'file';

export interface ReadFile {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly type: string;
}

/** 415 unless multipart, 400 (pointer `/file`) for a form without a file, 413 `too_large` (pointer `/file`) beyond the limit. */
export async function readFileUpload(req: HonoRequest): Promise<ReadFile> {
  const contentType = req.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw httpError(415, 'unsupported_media_type', `Send the file as multipart/form-data, in the part "${FILE_PART}"`);
  }
  let form: FormData;
  try {
    form = await req.raw.formData();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw httpError(400, 'invalid_form', 'The multipart body could not be read; nothing was kept', [{ path: '', message: 'is not a valid multipart form', code: 'invalid_form' }]);
  }
  const file = form.get(FILE_PART);
  if (!(file instanceof Blob)) {
    throw httpError(400, 'invalid_form', `The form has no file in the part "${FILE_PART}"; nothing was kept`, [{ path: `/${FILE_PART}`, message: 'attach a file', code: 'required' }]);
  }
  if (file.size > MAX_FILE_BYTES) throw fileTooLarge();
  return { bytes: new Uint8Array(await file.arrayBuffer()), name: safeName(file instanceof File ? file.name : ''), type: mediaType(file.type) };
}

export const fileTooLarge = () => httpError(413, 'too_large', `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; nothing was kept`, [
  { path: `/${FILE_PART}`, message: `must be at most ${MAX_FILE_BYTES} bytes (2 MiB)`, code: 'too_large' },
]);

/** The name as the uploader gave it, without a path or control characters, at most 255 characters. */
function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[/\\]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return [...(base || 'file')].slice(0, 255).join('');
}

/** A plain `type/subtype` (parameters dropped), else application/octet-stream: it is sent back as Content-Type. */
function mediaType(type: string): string {
  const plain = type.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/.test(plain) ? plain : 'application/octet-stream';
}

/**
 * A multipart form lacks the JSON-only guard of the other routes: a page of another site could
 * post one. The session cookie is SameSite=Lax already; this also refuses a browser's request
 * whose Origin is another site. Scripts with a Bearer token send no Origin and pass.
 */
export function requireSameOrigin(req: HonoRequest): void {
  const origin = req.header('origin');
  if (origin === undefined) return;
  const own = new Set([new URL(req.url).origin, ...(process.env.PUBLIC_URL ? [new URL(process.env.PUBLIC_URL).origin] : [])]);
  if (!own.has(origin)) throw httpError(403, 'cross_origin', `An upload posted from ${origin} is refused: send it from this server's own pages`);
}
