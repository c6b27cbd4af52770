/**
 * `POST /api/files` keeps an upload and answers its handle; `GET /api/data/<m>/<id>/files/<field>`
 * sends the file a record holds. There is no route that serves a file by its id: a file is read
 * only through its record, with the record's visibility and the field's read permission, which is
 * the one place that decides who sees it.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './env.js';
import { forbidden, notFound } from '../errors.js';
import { getRecord } from '../data/read-records.js';
import type { FileHandle } from '../schema/file-handle.js';
import type { DataContext } from '../data/context.js';
import { grantedActions } from '../rules/access.js';
import { MAX_UPLOAD_BODY } from '../files/limits.js';
import { fileTooLarge, readFileUpload, requireSameOrigin } from './read-file-upload.js';
import { fileBytes, saveFile } from '../files/stored-files.js';
import { queryOf } from './known-parameters.js';

const ID = '{[1-9][0-9]{0,14}}';

/** The upload route's path: app.ts leaves it out of the 2 MiB limit of other bodies, this one applies its own. */
export const UPLOAD_PATH = '/api/files';

export const uploadRoutes = new Hono<AppEnv>().post(
  '/',
  bodyLimit({ maxSize: MAX_UPLOAD_BODY, onError: () => { throw fileTooLarge(); } }),
  async (c) => {
    requireSameOrigin(c.req);
    queryOf(c, 'files.upload');
    const data = c.get('data');
    if (!mayWriteAFile(data)) throw forbidden('file upload', 'You may write no file field of any module, so there is nothing to upload a file for');
    const file = await readFileUpload(c.req);
    const handle = await saveFile(data.db, { ...file, createdBy: data.access.actor.id });
    return c.json(handle, 201);
  },
);

/** Mounted under /api/data, before the record routes. */
export const downloadRoutes = new Hono<AppEnv>().get(`/:module/:id${ID}/files/:field`, async (c) => {
  const data = c.get('data');
  const module = data.module(c.req.param('module'));
  queryOf(c, 'data.download');
  const name = c.req.param('field');
  const field = module.fields.get(name);
  // A field the caller may not read answers as one that does not exist: no hint that it is there.
  if (!field || field.kind !== 'file' || !data.access.canRead(module, field)) throw notFound(`File field "${name.slice(0, 64)}" of ${module.name}`);
  const id = Number(c.req.param('id'));
  const record = await getRecord(data, module, id, name);
  const handle = record[name] as FileHandle | null | undefined;
  const bytes = handle ? await fileBytes(data.db, handle.id) : undefined;
  if (!handle || !bytes) throw notFound(`The file of ${module.name} ${id} in ${name}`);
  return new Response(bytes, {
    headers: {
      'content-type': handle.type,
      'content-length': String(bytes.byteLength),
      'content-disposition': contentDisposition(handle.name),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, no-store',
    },
  });
});

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_') || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Whether some module has a file field the caller may write in a create or an update. */
function mayWriteAFile(data: DataContext): boolean {
  for (const module of data.graph.modules.values()) {
    const granted = grantedActions(data.access, module);
    if (!granted.includes('create') && !granted.includes('update')) continue;
    for (const f of module.fields.values()) if (f.kind === 'file' && data.access.canWrite(module, f)) return true;
  }
  return false;
}
