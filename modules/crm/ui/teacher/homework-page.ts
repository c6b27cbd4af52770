/**
 * The homework of a lesson: every submission with a link to download them all as one zip
 * (the CRM's homework.zip route), and a score and comment per student, each row saved on its own
 * with the ordinary PATCH. The server checks the score's range; its message shows on the field.
 */
import { html, useEffect, useState, api, messageOf, StratumError, Alert, ErrorPanel, Loading, formatDateTime, onUnauthenticated, type Rec, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { LessonHead, loadLesson } from './lesson-head.js';
import { allRecords, classMembers } from './teacher-data.js';

const HOMEWORK_FIELDS = ['student.name', 'submittedAt', 'content', 'score', 'comment', 'gradedAt', 'version'];

interface Loaded {
  lesson: Rec;
  submissions: Rec[];
  missing: string[];
}

async function load(id: number): Promise<Loaded> {
  const lesson = await loadLesson(id);
  const [submissions, members] = await Promise.all([
    allRecords('homework', { lesson: id }, HOMEWORK_FIELDS),
    classMembers((lesson.class as Rec).id),
  ]);
  submissions.sort((a, b) => String(a.student?.name ?? '').localeCompare(String(b.student?.name ?? ''), 'zh'));
  const handed = new Set(submissions.map((h) => h.student?.id));
  const missing = members.filter((m) => m.status === 'studying' && !handed.has(m.student?.id)).map((m) => String(m.student?.name ?? `#${m.student?.id}`));
  return { lesson, submissions, missing };
}

export function HomeworkPage({ session, id }: { session: Session; id: number }) {
  const [data, setData] = useState<Loaded>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    load(id).then(setData, (e) => !onUnauthenticated(e) && setError(e instanceof StratumError && e.status === 404 ? t('error.notFound') : messageOf(e)));
  }, [id]);
  if (error) return html`<${ErrorPanel} message=${error} />`;
  if (!data) return html`<${Loading} />`;
  const { lesson, submissions, missing } = data;
  const grading = !!session.meta.get('homework')?.actions.includes('update');
  return html`<${LessonHead} lesson=${lesson} page="homework" />
    <div class="panel homework" data-testid="homework">
      ${lesson.homework && html`<p><strong>${t('teacher.lessonHomework')}:</strong> ${lesson.homework}</p>`}
      <p class="muted">${t('teacher.homeworkIntro')}</p>
      ${grading && submissions.length > 0 && html`<p><a class="button" href=${`/api/plugins/crm/lessons/${id}/homework.zip`} download data-testid="download-all">${t('teacher.downloadAll', { n: submissions.length })}</a></p>`}
      ${missing.length > 0 && html`<p class="muted" data-testid="not-handed-in">${t('teacher.notHandedIn', { n: missing.length, names: missing.join(', ') })}</p>`}
      ${submissions.length === 0 ? html`<p class="empty-inline muted">${t('teacher.noSubmissions')}</p>` : html`<div class="table-wrap"><table class="records grading-table">
        <thead><tr><th>${t('teacher.student')}</th><th>${t('teacher.submittedAt')}</th><th>${t('teacher.studentNotes')}</th><th>${t('teacher.score')}</th><th>${t('teacher.comment')}</th><th></th></tr></thead>
        <tbody>${submissions.map((h) => html`<${GradeRow} key=${h.id} homework=${h} editable=${grading} commentMax=${session.meta.get('homework')?.fields.find((f) => f.name === 'comment')?.maxLength} />`)}</tbody>
      </table></div>`}
    </div>`;
}

function GradeRow({ homework, editable, commentMax }: { homework: Rec; editable: boolean; commentMax?: number }) {
  const [record, setRecord] = useState(homework);
  const [score, setScore] = useState(homework.score === null || homework.score === undefined ? '' : String(homework.score));
  const [comment, setComment] = useState(String(homework.comment ?? ''));
  const [errors, setErrors] = useState<{ score?: string; comment?: string; other?: string }>({});
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const name = String(record.student?.name ?? `#${record.student?.id}`);

  const save = async (e: Event) => {
    e.preventDefault();
    const value = score.trim() === '' ? null : Number(score);
    if (value !== null && !Number.isFinite(value)) return setErrors({ score: t('valid.number') });
    setErrors({});
    setState('saving');
    try {
      const saved = await api.data('homework').update(record.id, { score: value, comment: comment.trim() === '' ? null : comment, gradedAt: value === null ? null : new Date().toISOString() }, { version: record.version });
      setRecord({ ...record, ...saved, student: record.student });
      setState('saved');
    } catch (err) {
      setState('idle');
      if (onUnauthenticated(err)) return;
      const found: { score?: string; comment?: string; other?: string } = {};
      if (err instanceof StratumError) for (const d of err.details) if (d.path === '/score' || d.path === '/comment') found[d.path.slice(1) as 'score' | 'comment'] = `${t(d.path === '/score' ? 'teacher.score' : 'teacher.comment')} ${d.message}`;
      if (!found.score && !found.comment) found.other = messageOf(err);
      setErrors(found);
    }
  };
  const edited = () => state === 'saved' && setState('idle');
  // A row is a form of its own: Enter in the score saves this student's grade only.
  const form = `grade-${record.id}`;
  return html`<tr data-id=${record.id} data-student=${name} class=${errors.score || errors.comment || errors.other ? 'has-error' : ''}>
    <th scope="row" class="student-name">${name}</th>
    <td class="nowrap">${record.submittedAt ? formatDateTime(record.submittedAt) : '—'}</td>
    <td class="student-notes">${record.content ?? ''}</td>
    <td class="score-cell">
      <input form=${form} type="text" inputmode="decimal" class="score" value=${score} disabled=${!editable} aria-label=${`${t('teacher.score')}: ${name}`} aria-invalid=${errors.score ? 'true' : undefined}
        onInput=${(e: Event) => { setScore((e.target as HTMLInputElement).value); edited(); }} />
      ${errors.score && html`<p class="field-error" role="alert">${errors.score}</p>`}
    </td>
    <td class="comment-cell">
      <textarea form=${form} rows="2" class="comment" value=${comment} maxLength=${commentMax} disabled=${!editable} aria-label=${`${t('teacher.comment')}: ${name}`} aria-invalid=${errors.comment ? 'true' : undefined}
        onInput=${(e: Event) => { setComment((e.target as HTMLTextAreaElement).value); edited(); }}></textarea>
      ${errors.comment && html`<p class="field-error" role="alert">${errors.comment}</p>`}
      ${errors.other && html`<p class="field-error" role="alert">${errors.other}</p>`}
    </td>
    <td class="grade-actions">
      ${editable && html`<form id=${form} onSubmit=${save} noValidate>
        <button type="submit" class="button" disabled=${state === 'saving'} aria-label=${`${t('teacher.saveGrade')}: ${name}`}>${state === 'saving' ? t('form.saving') : t('teacher.saveGrade')}</button>
      </form>`}
      <span class="muted grade-state" data-testid="grade-state">${state === 'saved' ? `✓ ${t('teacher.gradeSaved')}` : record.gradedAt ? t('teacher.gradedAt', { at: formatDateTime(record.gradedAt) }) : t('teacher.ungraded')}</span>
    </td>
  </tr>`;
}
