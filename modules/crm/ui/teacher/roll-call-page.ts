/**
 * The roll call of a lesson on one screen: every student of the class with a status and a
 * note, saved in one request (PUT /api/plugins/crm/lessons/:id/attendance, one transaction) that
 * creates the missing rows and updates the others, so saving twice never duplicates a row.
 * Students who left the class are listed only when the lesson already has a row for them.
 */
import { html, useEffect, useState, api, messageOf, StratumError, Alert, ErrorPanel, Loading, takeFlash, onUnauthenticated, type Rec, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { LessonHead, loadLesson } from './lesson-head.js';
import { allRecords, classMembers } from './teacher-data.js';
import { attendanceStatus } from './teacher-words.js';

interface Row {
  student: number;
  name: string;
  status: string;
  note: string;
  /** The stored attendance row, when there is one. */
  saved?: Rec;
}

interface RowErrors {
  status?: string;
  note?: string;
  student?: string;
}

/** The class's rows, each as stored or, before its first save, with attendance's default status. */
async function loadRows(lesson: Rec, initial: string): Promise<Row[]> {
  const [members, attendance] = await Promise.all([
    classMembers((lesson.class as Rec).id),
    allRecords('attendance', { lesson: lesson.id }, ['student.name', 'status', 'note']),
  ]);
  const stored = new Map(attendance.map((a) => [a.student.id as number, a]));
  const rows: Row[] = members
    .filter((m) => m.status === 'studying' || stored.has(m.student.id))
    .map((m) => ({ student: m.student.id, name: m.student.name ?? `#${m.student.id}`, status: initial, note: '' }));
  // A row for someone no longer a member is still shown, so that nothing saved is hidden.
  for (const a of attendance) if (!rows.some((r) => r.student === a.student.id)) rows.push({ student: a.student.id, name: a.student.name, status: initial, note: '' });
  return rows.map((r) => {
    const a = stored.get(r.student);
    return a ? { ...r, status: a.status, note: a.note ?? '', saved: a } : r;
  });
}

export function RollCallPage({ session, id }: { session: Session; id: number }) {
  const statusField = session.meta.get('attendance')?.fields.find((f) => f.name === 'status');
  const statuses = statusField?.enum ?? [];
  // "present" in the CRM's definition: the usual case, so that only the exceptions need a click.
  const initial = String(statusField?.default ?? statuses[0] ?? '');
  const [lesson, setLesson] = useState<Rec>();
  const [rows, setRows] = useState<Row[]>();
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<RowErrors[]>([]);
  // What the last save did, kept as data so that it follows a change of language.
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text?: string; saved?: number } | undefined>(() => {
    const flash = takeFlash();
    return flash ? { kind: 'success', text: flash } : undefined;
  });
  const [busy, setBusy] = useState(false);

  const reload = async () => {
    const l = await loadLesson(id);
    setLesson(l);
    setRows(await loadRows(l, initial));
  };
  useEffect(() => {
    reload().catch((e) => !onUnauthenticated(e) && setLoadError(e instanceof StratumError && e.status === 404 ? t('error.notFound') : messageOf(e)));
  }, [id]);

  if (loadError) return html`<${ErrorPanel} message=${loadError} />`;
  if (!lesson || !rows) return html`<${Loading} />`;

  const change = (i: number, part: Partial<Row>) => {
    setRows((rs) => rs!.map((r, j) => (j === i ? { ...r, ...part } : r)));
    setErrors((es) => es.map((e, j) => (j === i ? {} : e)));
  };
  const save = async (e: Event) => {
    e.preventDefault();
    setBanner(undefined);
    setBusy(true);
    try {
      await api.request('PUT', `/api/plugins/crm/lessons/${id}/attendance`, { body: { rows: rows.map((r) => ({ student: r.student, status: r.status, note: r.note })) } });
      setErrors([]);
      await reload();
      setBanner({ kind: 'success', saved: rows.length });
    } catch (err) {
      if (onUnauthenticated(err)) return;
      // `/rows/3/status`: under the status of the fourth row.
      const found: RowErrors[] = [];
      if (err instanceof StratumError) {
        for (const d of err.details) {
          const [, , index, field] = d.path.split('/');
          const i = Number(index);
          if (Number.isInteger(i) && (field === 'status' || field === 'note' || field === 'student')) found[i] = { ...found[i], [field]: d.message };
        }
      }
      setErrors(found);
      setBanner({ kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  const tally = statuses.map((s) => `${attendanceStatus(s)} ${rows.filter((r) => r.status === s).length}`).join(' · ');
  const noteMax = session.meta.get('attendance')?.fields.find((f) => f.name === 'note')?.maxLength;
  const unsaved = rows.length > 0 && rows.every((r) => !r.saved);
  const editable = !!session.meta.get('attendance')?.actions.includes('create');
  return html`<${LessonHead} lesson=${lesson} page="attendance" />
    <form class="panel roll-call" onSubmit=${save} noValidate data-testid="roll-call">
      <p class="muted">${t('teacher.rollCallIntro')}</p>
      ${banner && html`<${Alert} kind=${banner.kind} testid=${banner.kind === 'error' ? 'form-error' : 'flash'}>${banner.saved !== undefined ? t('teacher.rollCallSaved', { n: banner.saved }) : banner.text}</${Alert}>`}
      ${unsaved && html`<${Alert} kind="info" testid="unsaved">${t('teacher.rollCallUnsaved')}</${Alert}>`}
      ${rows.length === 0 ? html`<p class="empty-inline muted">${t('teacher.noStudents')}</p>` : html`<div class="table-wrap"><table class="records roll-call-table">
        <thead><tr><th class="num">#</th><th>${t('teacher.student')}</th><th>${t('teacher.member.status')}</th><th>${t('teacher.note')}</th></tr></thead>
        <tbody>${rows.map((r, i) => {
          const err = errors[i] ?? {};
          return html`<tr data-student=${r.student} class=${err.status || err.note || err.student ? 'has-error' : ''}>
            <td class="num">${i + 1}</td>
            <th scope="row" class="student-name">${r.name}${!r.saved && html` <span class="muted unsaved-mark">${t('teacher.notSaved')}</span>`}
              ${err.student && html`<p class="field-error" role="alert">${err.student}</p>`}</th>
            <td>
              <div class="segmented" role="radiogroup" aria-label=${`${t('teacher.member.status')}: ${r.name}`}>
                ${statuses.map((s) => html`<label class=${`seg seg-${s}${r.status === s ? ' on' : ''}`}>
                  <input type="radio" name=${`status-${r.student}`} value=${s} checked=${r.status === s} disabled=${!editable} onChange=${() => change(i, { status: s })} />
                  <span>${attendanceStatus(s)}</span>
                </label>`)}
              </div>
              ${err.status && html`<p class="field-error" role="alert">${err.status}</p>`}
            </td>
            <td>
              <input type="text" class="note" value=${r.note} maxLength=${noteMax} placeholder=${t('teacher.notePlaceholder')} aria-label=${`${t('teacher.note')}: ${r.name}`} disabled=${!editable}
                aria-invalid=${err.note ? 'true' : undefined} onInput=${(e: Event) => change(i, { note: (e.target as HTMLInputElement).value })} />
              ${err.note && html`<p class="field-error" role="alert">${err.note}</p>`}
            </td>
          </tr>`;
        })}</tbody>
      </table></div>`}
      <p class="tally muted" data-testid="tally">${tally}</p>
      ${editable && rows.length > 0 && html`<div class="actions">
        <button type="submit" class="button button-primary" disabled=${busy}>${busy ? t('form.saving') : t('teacher.saveRollCall')}</button>
        <button type="button" class="button" disabled=${busy} onClick=${() => setRows(rows.map((r) => ({ ...r, status: initial })))}>${t('teacher.allPresent')}</button>
      </div>`}
    </form>`;
}
