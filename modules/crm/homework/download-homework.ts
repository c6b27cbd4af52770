/**
 * One handed-in homework file, for whoever may read the submission: the student
 * who handed it in (they see only their own homework), the teachers of the class, admins. The
 * record is read through the caller's own visibility first, so the file of a submission they may
 * not see answers 404 as the record does; the file is opened only by a stored upload's path.
 */
import { readFile } from 'node:fs/promises';
import { notFound } from '../../../core/errors.js';
import type { Modules } from '../../../core/generated/modules.js';
import type { RouteContext } from '../../../core/plugins/define-plugin.js';
import { storedFile } from '../files/stored-files.js';
import { recordId } from '../public-url.js';

export async function downloadHomework({ params, records }: RouteContext<Modules>): Promise<Response> {
  const id = recordId(params.id, 'homework');
  const homework = await records('homework').get(id);
  const file = await storedFile('homework', homework.file);
  if (!file) throw notFound(`The file of homework ${id}`);
  return new Response(new Uint8Array(await readFile(file.path)), {
    headers: {
      'content-type': file.kind.mime,
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="homework-${id}.${file.kind.ext}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}
