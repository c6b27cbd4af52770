/** The top of a lesson's teacher pages: where it is (class › lesson › page), its date, and tabs between roll call and homework. */
import { html, api, Breadcrumbs, type Rec } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { lessonName } from './teacher-words.js';

export const loadLesson = (id: number): Promise<Rec> =>
  api.data('lesson').get(id, { fields: ['class.name', 'number', 'date', 'title', 'homework'] });

export function LessonHead({ lesson, page }: { lesson: Rec; page: 'attendance' | 'homework' }) {
  const cls = lesson.class as Rec;
  const here = page === 'attendance' ? t('teacher.rollCall') : t('teacher.homework');
  const tab = (p: typeof page, label: string) => html`<a href=${`/teach/lessons/${lesson.id}/${p}`} class=${`tab${p === page ? ' active' : ''}`} aria-current=${p === page ? 'page' : undefined}>${label}</a>`;
  return html`<${Breadcrumbs} items=${[{ label: String(cls?.name ?? ''), href: `/teach/classes/${cls?.id}` }, { label: lessonName(lesson), href: `/m/lesson/${lesson.id}` }, { label: here }]} />
    <div class="page-head">
      <h1>${lessonName(lesson)}</h1>
    </div>
    <p class="muted">${[cls?.name, lesson.date].filter(Boolean).join(' · ')}</p>
    <nav class="tabs" aria-label=${lessonName(lesson)}>${tab('attendance', t('teacher.lesson.rollCall'))}${tab('homework', t('teacher.lesson.homework'))}</nav>`;
}
