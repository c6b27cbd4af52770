/**
 * What the teacher pages read, all through the ordinary data API: the server's rules decide what
 * a teacher sees (the classes they teach, their students, lessons, roll calls and homework).
 */
import { api, type Filter, type Rec } from '../../../../ui/plugin-sdk.js';

/** Every record of a list, page by page (a class's students may pass one page). */
export async function allRecords(module: string, filter: Filter<Rec> | undefined, fields: readonly string[], sort?: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for (let page = 1; ; page++) {
    const { data } = await api.data(module).list({ filter: filter, fields, ...(sort ? { sort } : {}), page, pageSize: 500, total: 'none' });
    out.push(...data);
    if (data.length < 500) return out;
  }
}

/** `{ "group value": count }` of one aggregate grouped by one field. */
export async function countBy(module: string, groupBy: string, filter: Filter<Rec>): Promise<Map<unknown, number>> {
  const rows = await api.data(module).aggregate({ groupBy: [groupBy], metrics: ['count()'], filter: filter });
  return new Map(rows.map((r) => [r[groupBy], Number(r['count()'])]));
}

export const CLASS_FIELDS = ['name', 'course.name', 'campus.name', 'startDate', 'endDate', 'status', 'teachers'] as const;

/**
 * The classes this user teaches: those they may see that name them as a teacher. (A filter on
 * `teachers` would need read access to users, which teachers do not have.)
 */
export async function taughtClasses(me: number): Promise<Rec[]> {
  const visible = await allRecords('class', undefined, CLASS_FIELDS, '-startDate');
  return visible.filter((c) => Array.isArray(c.teachers) && c.teachers.includes(me));
}

/** The students studying in each class, by class id. */
export function studentCounts(classIds: readonly number[]): Promise<Map<unknown, number>> {
  return countBy('class_member', 'class', { class: { in: classIds }, status: 'studying' });
}

/** A class's members with their students' names, sorted by name. */
export async function classMembers(classId: number): Promise<Rec[]> {
  const rows = await allRecords('class_member', { class: classId }, ['student.name', 'student.phone', 'status', 'score']);
  return rows.sort((a, b) => String(a.student?.name ?? '').localeCompare(String(b.student?.name ?? ''), 'zh'));
}

export const LESSON_FIELDS = ['class.name', 'number', 'date', 'title', 'content', 'homework'] as const;
