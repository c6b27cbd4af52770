/**
 * All the homework of one lesson as one zip, for grading. Read through the caller's own
 * visibility: a teacher gets the lessons of the classes they teach, and of those the submissions
 * of their students; the route itself needs homework:update (graders, not students). Files are
 * streamed from disk; a submission whose file is not a stored upload is listed in MISSING.txt.
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { Modules } from '../../../core/generated/modules.js';
import type { RouteContext } from '../../../core/plugins/define-plugin.js';
import { storedFile } from '../files/stored-files.js';
import { recordId } from '../public-url.js';

interface Row {
  id: number;
  file: string | null;
  submittedAt: string | null;
  student: { id: number; name: string } | number;
}

export async function homeworkZip({ params, records }: RouteContext<Modules>): Promise<Response> {
  const lesson = await records('lesson').get(recordId(params.id, 'lesson'));
  const cls = await records('class').get(lesson.class);
  const rows: Row[] = [];
  for (let page = 1; ; page++) {
    const { data } = await records('homework').list({ filter: { lesson: lesson.id }, fields: 'id,file,submittedAt,student.name', sort: 'id', page, pageSize: 500, total: 'none' });
    rows.push(...(data as unknown as Row[]));
    if (data.length < 500) break;
  }
  const folder = safeName(`${cls.name} - lesson ${lesson.number}`);
  const zip = new yazl.ZipFile();
  const missing: string[] = [];
  for (const row of rows) {
    const name = typeof row.student === 'object' ? row.student.name : `student ${row.student}`;
    const file = await storedFile('homework', row.file);
    if (!file) missing.push(`homework ${row.id} (${name}): no file kept for it${row.file ? ` (${row.file})` : ''}`);
    else zip.addFile(file.path, `${folder}/${safeName(name)} - homework ${row.id}.${file.kind.ext}`);
  }
  if (missing.length > 0) zip.addBuffer(Buffer.from(missing.join('\n') + '\n'), `${folder}/MISSING.txt`);
  zip.end();
  // yazl's outputStream is a stream.PassThrough; its types say only NodeJS.ReadableStream.
  return new Response(Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="lesson-${lesson.id}-homework.zip"; filename*=UTF-8''${encodeURIComponent(`${folder}.zip`)}`,
      'cache-control': 'private, no-store',
    },
  });
}

/** A name for a zip entry: no path separators or characters that file systems refuse. */
function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim().slice(0, 100) || '_';
}
