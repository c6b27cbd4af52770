/**
 * A lesson's roll call saved in one request, all or nothing: each given student's status
 * and note, created where the lesson has no row for them yet and updated where it has, so that
 * saving twice never duplicates a row (attendance is also unique on lesson + student). Everything
 * is written as the caller, through their permissions and visibility: a teacher reaches only the
 * lessons of the classes they teach. A student must be a member of the lesson's class.
 */
import type { Attendance, Modules } from '../../../core/generated/modules.js';
import { HttpError, refuseAll, type RouteContext } from '../../../core/plugins/define-plugin.js';
import { recordId } from '../public-url.js';

const MAX_ROWS = 500;

interface RollCallRow {
  student: number;
  status: Attendance['status'];
  note: string | null;
}

export async function saveRollCall({ params, body, records, transaction, json }: RouteContext<Modules>): Promise<Response> {
  const lessonId = recordId(params.id, 'lesson');
  const rows = parseRows(await body());
  const saved = await transaction(async ({ records }) => {
    const lesson = await records('lesson').get(lessonId);
    const [members, existing] = await Promise.all([
      records('class_member').list({ filter: { class: lesson.class, student: { in: rows.map((r) => r.student) } }, fields: 'student', pageSize: MAX_ROWS, total: 'none' }),
      records('attendance').list({ filter: { lesson: lesson.id }, fields: 'id,student,status,note,version', pageSize: MAX_ROWS, total: 'none' }),
    ]);
    const inClass = new Set(members.data.map((m) => m.student));
    const strangers = rows.flatMap((r, i) => (inClass.has(r.student) ? [] : [{ path: `/rows/${i}/student`, message: `student ${r.student} is not a member of this lesson's class`, code: 'not_member' }]));
    if (strangers.length > 0) refuseAll(strangers);
    const byStudent = new Map(existing.data.map((a) => [a.student, a]));
    const out: Attendance[] = [];
    for (const [i, row] of rows.entries()) {
      const before = byStudent.get(row.student);
      try {
        if (!before) out.push(await records('attendance').create({ lesson: lesson.id, student: row.student, status: row.status, note: row.note }));
        else if (before.status !== row.status || (before.note ?? null) !== row.note) out.push(await records('attendance').update(before.id, { status: row.status, note: row.note }));
        else out.push(before);
      } catch (e) {
        // The engine names the field (`/status`); the caller needs the row too.
        if (e instanceof HttpError) throw new HttpError(e.status, e.code, `Row ${i} (student ${row.student}): ${e.message}. Nothing was saved.`, e.details.map((d) => ({ ...d, path: `/rows/${i}${d.path}` })), e.extra);
        throw e;
      }
    }
    return out;
  });
  return json({ data: saved });
}

/** The request's rows, or 400 naming each bad one; a student given twice is a mistake, not a last-wins. */
function parseRows(payload: unknown): RollCallRow[] {
  const rows = (payload as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows) || rows.length === 0 || rows.length > MAX_ROWS) {
    refuseAll([{ path: '/rows', message: `give 1 to ${MAX_ROWS} rows like {"student": 12, "status": "late", "note": "15 minutes"}`, code: 'invalid' }]);
  }
  const details = [];
  const seen = new Set<number>();
  for (const [i, row] of (rows as unknown[]).entries()) {
    const r = row as Partial<Record<keyof RollCallRow, unknown>> | null;
    if (typeof r !== 'object' || r === null) details.push({ path: `/rows/${i}`, message: 'must be an object with student, status and note', code: 'invalid' });
    else if (!Number.isSafeInteger(r.student) || (r.student as number) < 1) details.push({ path: `/rows/${i}/student`, message: 'must be a student id', code: 'invalid' });
    else if (seen.has(r.student as number)) details.push({ path: `/rows/${i}/student`, message: `student ${String(r.student)} is given twice`, code: 'duplicate' });
    else seen.add(r.student as number);
    if (r && typeof r === 'object' && typeof r.status !== 'string') details.push({ path: `/rows/${i}/status`, message: 'is required: present, late, absent or leave', code: 'required' });
  }
  if (details.length > 0) refuseAll(details);
  // The status's values and the note's length are the engine's to check, against attendance's definition.
  return (rows as Record<string, unknown>[]).map((r) => ({ student: r.student as number, status: r.status as Attendance['status'], note: blankToNull(r.note) }));
}

/** An empty note is no note; anything but a string is left for the engine to refuse. */
function blankToNull(note: unknown): string | null {
  if (note === undefined || note === null) return null;
  if (typeof note !== 'string') return note as string;
  return note.trim() === '' ? null : note.trim();
}
