/**
 * A class as its teacher works with it: its lessons (with how far each roll call and each
 * homework has got), a form for the next lesson, and its students.
 */
import { html, useEffect, useState, api, messageOf, StratumError, Breadcrumbs, ErrorPanel, Loading, moduleTitle, onUnauthenticated, type Rec, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { LessonForm } from './lesson-form.js';
import { allRecords, CLASS_FIELDS, classMembers, countBy } from './teacher-data.js';
import { classStatus, dateRange, fieldLabel } from './teacher-words.js';

interface Loaded {
  cls: Rec;
  members: Rec[];
  lessons: Rec[];
  called: Map<unknown, number>;
  handedIn: Map<unknown, number>;
  graded: Map<unknown, number>;
}

async function load(id: number): Promise<Loaded> {
  const [cls, members, lessons] = await Promise.all([
    api.data('class').get(id, { fields: CLASS_FIELDS }),
    classMembers(id),
    allRecords('lesson', { class: id }, ['number', 'date', 'title'], 'number'),
  ]);
  const ids = lessons.map((l) => l.id as number);
  const [called, handedIn, graded] = ids.length === 0 ? [new Map(), new Map(), new Map()] : await Promise.all([
    countBy('attendance', 'lesson', { lesson: { in: ids } }),
    countBy('homework', 'lesson', { lesson: { in: ids } }),
    countBy('homework', 'lesson', { lesson: { in: ids }, score: { isNull: false } }),
  ]);
  return { cls, members, lessons, called, handedIn, graded };
}

export function TeacherClassPage({ session, id }: { session: Session; id: number }) {
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    load(id).then(setData, (e) => !onUnauthenticated(e) && setError(e instanceof StratumError && e.status === 404 ? t('error.notFound') : messageOf(e)));
  }, [id]);
  const classMeta = session.meta.get('class');
  const crumbs = [{ label: classMeta ? moduleTitle(classMeta) : 'Class', href: '/m/class' }, { label: data?.cls.name ?? `#${id}` }];
  if (error) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${error} />`;
  if (!data) return html`<${Breadcrumbs} items=${crumbs} /><${Loading} />`;
  const { cls, members, lessons } = data;
  const studying = members.filter((m) => m.status === 'studying').length;
  const lessonMeta = session.meta.get('lesson');
  const nextNumber = Math.max(0, ...lessons.map((l) => Number(l.number) || 0)) + 1;

  return html`<${Breadcrumbs} items=${crumbs} />
    <div class="page-head">
      <h1>${cls.name}</h1>
      <span class=${`teach-badge teach-badge-${cls.status}`}>${classStatus(cls.status)}</span>
    </div>
    <p class="muted" data-testid="class-intro">${t('teacher.classIntro', { course: cls.course?.name ?? '—', campus: cls.campus?.name ?? '—', dates: dateRange(cls.startDate, cls.endDate) })}</p>

    <section class="teacher-section" data-testid="lessons" aria-labelledby="lessons-heading">
      <h2 id="lessons-heading">${t('teacher.lessons')}<span class="count">${lessons.length}</span></h2>
      ${lessons.length === 0 ? html`<p class="empty-inline muted">${t('teacher.noLessons')}</p>` : html`<div class="table-wrap"><table class="records">
        <thead><tr><th class="num">${t('teacher.lesson.number')}</th><th>${fieldLabel(lessonMeta, 'date')}</th><th>${fieldLabel(lessonMeta, 'title')}</th><th>${t('teacher.lesson.rollCall')}</th><th>${t('teacher.lesson.homework')}</th></tr></thead>
        <tbody>${lessons.map((l) => {
          const called = data.called.get(l.id) ?? 0;
          const handed = data.handedIn.get(l.id) ?? 0;
          return html`<tr data-id=${l.id} data-number=${l.number}>
            <td class="num">${l.number}</td>
            <td>${l.date ?? ''}</td>
            <td><a href=${`/m/lesson/${l.id}`}>${l.title || '—'}</a></td>
            <td><a href=${`/teach/lessons/${l.id}/attendance`}>${t('teacher.lesson.rollCall')}</a> <span class="muted">${called > 0 ? t('teacher.lesson.called', { n: called, total: studying }) : t('teacher.lesson.notCalled')}</span></td>
            <td><a href=${`/teach/lessons/${l.id}/homework`}>${t('teacher.lesson.homework')}</a> <span class="muted">${handed > 0 ? t('teacher.lesson.handedIn', { n: handed, graded: data.graded.get(l.id) ?? 0 }) : t('teacher.lesson.noneHandedIn')}</span></td>
          </tr>`;
        })}</tbody>
      </table></div>`}
    </section>

    ${lessonMeta?.actions.includes('create') && html`<section class="teacher-section"><${LessonForm} key=${nextNumber} session=${session} lessonMeta=${lessonMeta} cls=${cls} nextNumber=${nextNumber} /></section>`}

    <section class="teacher-section" data-testid="students" aria-labelledby="students-heading">
      <h2 id="students-heading">${t('teacher.students')}<span class="count">${members.length}</span></h2>
      ${members.length === 0 ? html`<p class="empty-inline muted">${t('teacher.noStudents')}</p>` : html`<div class="table-wrap"><table class="records">
        <thead><tr><th>${t('teacher.student')}</th><th>${fieldLabel(session.meta.get('student'), 'phone')}</th><th>${t('teacher.member.status')}</th><th class="num">${t('teacher.member.score')}</th></tr></thead>
        <tbody>${members.map((m) => html`<tr data-id=${m.id}>
          <td>${m.student?.name ?? `#${m.student?.id ?? m.student}`}</td>
          <td>${m.student?.phone ?? ''}</td>
          <td>${m.status}</td>
          <td class="num">${m.score ?? ''}</td>
        </tr>`)}</tbody>
      </table></div>`}
    </section>`;
}

