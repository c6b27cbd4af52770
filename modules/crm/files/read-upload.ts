/**
 * Reads a multipart form with one file (an enrollment's ID document, a homework): the text fields, and
 * the file checked for size and for its kind by its first bytes. Refusals are the standard error
 * with a pointer to the field, so that a form can show each next to its input.
 */
import type { HonoRequest } from 'hono';
import { HttpError, httpError, type ErrorDetail } from '../../../core/plugins/define-plugin.js';
import { sniff, type FileKind } from './file-kinds.js';

/**
 * The largest file accepted. The API refuses any request body over 2 MiB (core/http-app.ts), so a
 * larger file cannot arrive anyway; it is checked here too, so that the answer stays the same
 * should that limit be raised.
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

export interface CheckedFile {
  readonly bytes: Uint8Array;
  readonly kind: FileKind;
}

export interface Upload {
  readonly fields: Readonly<Record<string, string>>;
  /** The file, when present and of an allowed kind. */
  readonly file?: CheckedFile;
  /** Otherwise what is wrong with it, for the caller to report with its own field checks. */
  readonly fileProblem?: ErrorDetail;
}

/** 415 unless multipart, 413 when the file is too large, 400 when the body is not a form. */
export async function readUpload(req: HonoRequest, fileField: string, allowed: readonly FileKind[]): Promise<Upload> {
  const type = req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw httpError(415, 'unsupported_media_type', `Send the form as multipart/form-data, with the file in the field "${fileField}"`);
  }
  let form: FormData;
  try {
    form = await req.raw.formData();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw httpError(400, 'invalid_form', 'The multipart body could not be read', [{ path: '', message: 'is not a valid multipart form', code: 'invalid_form' }]);
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === 'string') fields[key] = value;
  const file = form.get(fileField);
  if (!(file instanceof Blob) || file.size === 0) return { fields, fileProblem: { path: `/${fileField}`, message: 'attach a file', code: 'required' } };
  if (file.size > MAX_UPLOAD_BYTES) throw tooLarge(fileField);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniff(bytes, allowed);
  if (!kind) {
    const names = allowed.map((k) => k.ext.toUpperCase()).join(', ');
    return { fields, fileProblem: { path: `/${fileField}`, message: `must be a ${names} file (told by its content, not by its name)`, code: 'file_type' } };
  }
  return { fields, file: { bytes, kind } };
}

function tooLarge(field: string): HttpError {
  // The engine's answer to an upload over its limit (core/api/read-file-upload.ts), pointing at this form's file field.
  return httpError(413, 'too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB; nothing was kept`, [
    { path: `/${field}`, message: `must be at most ${MAX_UPLOAD_BYTES} bytes`, code: 'too_large' },
  ]);
}

/**
 * A multipart form lacks the JSON-only guard of the other routes: a page of another site may post
 * one. The session cookie is SameSite=Lax already; this also refuses a browser's request whose
 * Origin is another site. Scripts with a Bearer token send no Origin and pass.
 */
export function requireSameOrigin(req: HonoRequest): void {
  const origin = req.header('origin');
  if (origin === undefined) return;
  const own = new Set([new URL(req.url).origin, ...(process.env.PUBLIC_URL ? [new URL(process.env.PUBLIC_URL).origin] : [])]);
  if (!own.has(origin)) throw httpError(403, 'cross_origin', `An upload posted from ${origin} is refused: send it from this server's own pages`);
}
