/**
 * One of the student's classes: their grade and rank, and each lesson with its homework:
 * what they handed in, its score and the teacher's comment, or the form to hand it in.
 */
import { html, api, Alert, ErrorPanel, Loading, formatDateTime, type Rec } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { HomeworkForm } from './homework-form.js';
import { GradeLine } from './overview-page.js';
import { rankIn, type Rank } from './rank.js';
import type { StudentSelf } from './student.js';
import { useLoad } from './use-load.js';

interface ClassView {
  cls: Rec;
  member?: Rec;
  rank?: Rank;
  lessons: Rec[];
  /** The student's own homework, by lesson id. */
  homework: Map<number, Rec>;
}

async function loadClass(self: StudentSelf, classId: number): Promise<ClassView> {
  const [cls, members, lessons, homework] = await Promise.all([
    api.data('class').get(classId, { fields: ['name', 'startDate', 'endDate', 'course.name', 'campus.name'] as never }),
    api.data('class_member').list({ filter: { class: classId, student: self.id }, fields: ['score', 'status'] as never, pageSize: 1 }),
    api.data('lesson').list({ filter: { class: classId }, fields: ['number', 'date', 'title', 'content', 'homework'] as never, sort: 'number' as never, pageSize: 200 }),
    api.data('homework').list({ filter: { student: self.id, 'lesson.class': classId }, fields: ['lesson', 'submittedAt', 'content', 'score', 'comment', 'gradedAt', 'file'] as never, pageSize: 200 }),
  ]);
  const member = members.data[0];
  return {
    cls, member, rank: await rankIn(classId, member?.score), lessons: lessons.data,
    homework: new Map(homework.data.map((h: Rec) => [Number(h.lesson), h])),
  };
}

export function ClassPage({ self, classId }: { self: StudentSelf; classId: number }) {
  const view = useLoad(() => loadClass(self, classId), [self.id, classId]);
  if (view.error) return html`<${ErrorPanel} message=${view.error} onRetry=${view.reload} />`;
  if (!view.data) return html`<${Loading} />`;
  const { cls, member, rank, lessons, homework } = view.data;
  document.title = `${cls.name} · ${t('portal.title')} · ${t('app.name')}`;
  return html`<h1>${cls.name}</h1>
    <p class="muted">${[cls.course?.name, cls.campus?.name, [cls.startDate, cls.endDate].filter(Boolean).join(' – ')].filter(Boolean).join(' · ')}</p>
    <section class="panel portal-grade" aria-label=${t('portal.grade')} data-testid="class-grade">
      <${GradeLine} score=${member?.score} rank=${rank} />
      <p class="hint">${t('portal.rankHint')}</p>
    </section>
    <h2 class="section-heading">${t('portal.lessons')}</h2>
    ${lessons.length === 0 && html`<p class="empty">${t('portal.noLessons')}</p>`}
    <div class="portal-list">${lessons.map((lesson) => html`<${Lesson} key=${lesson.id} lesson=${lesson} handedIn=${homework.get(Number(lesson.id))} onDone=${view.reload} />`)}</div>`;
}

function Lesson({ lesson, handedIn, onDone }: { lesson: Rec; handedIn: Rec | undefined; onDone: () => void }) {
  return html`<article class="panel lesson" data-testid="lesson" data-number=${lesson.number}>
    <h3>${t('portal.lesson', { n: lesson.number })}${lesson.title && html`: ${lesson.title}`} ${lesson.date && html`<span class="muted">· ${lesson.date}</span>`}</h3>
    ${lesson.content && html`<p class="pre">${lesson.content}</p>`}
    ${lesson.homework && html`<p><strong>${t('portal.assignment')}</strong> ${lesson.homework}</p>`}
    ${handedIn ? html`<${HandedIn} homework=${handedIn} />`
      : lesson.homework ? html`<${HomeworkForm} lesson=${Number(lesson.id)} onDone=${onDone} />`
      : null}
  </article>`;
}

function HandedIn({ homework }: { homework: Rec }) {
  const kind = /\.([a-z]{3})$/.exec(String(homework.file ?? ''))?.[1]?.toUpperCase();
  // Only an upload kept by the server (modules/crm/files) can be downloaded; older records may name other paths.
  const stored = /^uploads\/homework\//.test(String(homework.file ?? ''));
  return html`<div class="handed-in" data-testid="handed-in">
    <${Alert} kind="success">
      <p>${t('portal.homework.handedIn', { at: homework.submittedAt ? formatDateTime(homework.submittedAt) : '—' })}${kind && ` (${kind})`}
        ${stored && html` · <a href=${`/api/plugins/crm/homework/${homework.id}/file`} download data-testid="homework-file">${t('portal.homework.download')}</a>`}</p>
      ${homework.content && html`<p class="pre">${homework.content}</p>`}
    </${Alert}>
    <dl class="facts">
      <dt>${t('portal.homework.score')}</dt><dd data-testid="homework-score">${homework.score ?? t('portal.homework.notGraded')}</dd>
      ${homework.comment && html`<dt>${t('portal.homework.comment')}</dt><dd>${homework.comment}</dd>`}
    </dl>
  </div>`;
}
