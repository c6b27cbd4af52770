/** Enum values and dates of the teacher pages in the reader's language; a value the strings do not know is shown as stored. */
import { fieldTitle, type ModuleMeta } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import type { CrmKey } from '../words/index.js';
import { TEACHER_EN } from '../words/teacher.js';

function known(key: string): key is CrmKey {
  return key in TEACHER_EN;
}

/** Planned / running / finished. */
export const classStatus = (value: unknown): string => (known(`teacher.status.${String(value)}`) ? t(`teacher.status.${String(value)}` as CrmKey) : String(value ?? ''));

/** Present / late / absent / leave: attendance's enum values (modules/crm/metadata/attendance.json). */
export const attendanceStatus = (value: string): string => (known(`teacher.attendance.${value}`) ? t(`teacher.attendance.${value}` as CrmKey) : value);

export const dateRange = (from: unknown, to: unknown): string => (from || to ? t('teacher.dates', { from: String(from ?? '…'), to: String(to ?? '…') }) : '');

/** "Lesson 3: Files and exceptions", or "Lesson 3" without a title. */
export const lessonName = (lesson: { number?: unknown; title?: unknown }): string =>
  lesson.title ? t('teacher.lessonTitle', { n: String(lesson.number), title: String(lesson.title) }) : t('teacher.lessonTitleBare', { n: String(lesson.number) });

/** A field's label in the reader's language, from the module's definition (`x-i18n`). */
export function fieldLabel(m: ModuleMeta | undefined, name: string): string {
  const f = m?.fields.find((x) => x.name === name);
  return f ? fieldTitle(f) : name;
}
