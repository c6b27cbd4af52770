/**
 * A student hands in homework for a lesson: one file (PDF, image or zip, checked by content,
 * at most MAX_UPLOAD_BYTES) and an optional note. The lesson must be one the student sees (their
 * classes'), and the submission is written as the student, through their own permissions.
 */
import type { Modules } from '../../../core/generated/modules.js';
import { forbidden, refuseAll, type RouteContext } from '../../../core/plugins/define-plugin.js';
import { HOMEWORK_KINDS } from '../files/file-kinds.js';
import { readUpload, requireSameOrigin } from '../files/read-upload.js';
import { discardFile, storeFile } from '../files/stored-files.js';
import { recordId } from '../public-url.js';

export async function submitHomework({ params, records, actor, req, json }: RouteContext<Modules>): Promise<Response> {
  requireSameOrigin(req);
  const lesson = await records('lesson').get(recordId(params.id, 'lesson'));
  const me = (await records('student').list({ filter: { user: actor.id }, fields: 'id', pageSize: 1, total: 'none' })).data[0];
  if (!me) throw forbidden('homework:create', 'Homework is handed in by a student: no student record is linked to your login');
  const upload = await readUpload(req, 'file', HOMEWORK_KINDS);
  if (!upload.file) refuseAll([upload.fileProblem!]);
  const stored = await storeFile('homework', upload.file.bytes, upload.file.kind);
  try {
    const note = upload.fields.content?.trim();
    const homework = await records('homework').create({
      lesson: lesson.id, student: me.id, file: stored, submittedAt: new Date().toISOString(), ...(note ? { content: note } : {}),
    });
    return json(homework, 201);
  } catch (e) {
    await discardFile(stored);
    throw e;
  }
}
