/**
 * Recording a lesson from its class's page: the lesson's own fields as the generic form shows
 * them (number, date, title, content, homework), the class filled in and the teacher set to the
 * one recording it. The server's refusals land on the field they name.
 */
import { html, useState, api, messageOf, StratumError, Alert, controlErrors, FieldInput, setFlash, initialRaw, parseRaw, navigate, onUnauthenticated, type ModuleMeta, type Rec, type Raw, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';

const FIELDS = ['number', 'date', 'title', 'content', 'homework'];

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function LessonForm({ session, lessonMeta, cls, nextNumber }: { session: Session; lessonMeta: ModuleMeta; cls: Rec; nextNumber: number }) {
  const fields = FIELDS.map((name) => lessonMeta.fields.find((f) => f.name === name && f.writable)).filter((f) => f !== undefined);
  const [raws, setRaws] = useState<Record<string, Raw>>(() => ({ ...Object.fromEntries(fields.map((f) => [f.name, initialRaw(f)])), number: String(nextNumber), date: today() }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const number = Number(raws.number) || nextNumber;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBanner(undefined);
    const payload: Rec = { class: cls.id };
    const problems: Record<string, string> = {};
    for (const f of fields) {
      const raw = raws[f.name] ?? null;
      if ((raw === '' || raw === null) && !f.required) continue;
      const parsed = parseRaw(f, raw);
      if ('error' in parsed) problems[f.name] = parsed.error;
      else payload[f.name] = parsed.value;
    }
    // A date or number the browser cannot read is '' in `raws`: without this it would be sent as left empty.
    Object.assign(problems, controlErrors(fields));
    setErrors(problems);
    if (Object.keys(problems).length > 0) return setBanner(t('form.invalid'));
    // The lesson is the teacher's who records it, when they teach the class (an admin entering it for them is not).
    if (Array.isArray(cls.teachers) && cls.teachers.includes(session.me.id) && lessonMeta.fields.some((f) => f.name === 'teacher' && f.writable)) payload.teacher = session.me.id;
    setBusy(true);
    try {
      const lesson = await api.data('lesson').create(payload);
      setFlash(t('teacher.lessonCreated', { n: String(lesson.number) }));
      navigate(`/teach/lessons/${lesson.id}/attendance`);
    } catch (err) {
      setBusy(false);
      if (onUnauthenticated(err)) return;
      const onFields: Record<string, string> = {};
      if (err instanceof StratumError) {
        for (const d of err.details) {
          const name = d.path.split('/')[1] ?? '';
          if (fields.some((f) => f.name === name)) onFields[name] = onFields[name] ?? d.message;
        }
      }
      setErrors(onFields);
      setBanner(messageOf(err));
    }
  };

  return html`<form class="panel record-form lesson-form" onSubmit=${submit} noValidate data-testid="lesson-form" aria-labelledby="lesson-form-heading">
    <h2 id="lesson-form-heading">${t('teacher.newLesson', { n: number })}</h2>
    <p class="muted">${t('teacher.newLessonIntro')}</p>
    ${banner && html`<${Alert} testid="form-error">${banner}</${Alert}>`}
    <div class="form-grid">
      ${fields.map((f) => html`<${FieldInput} key=${f.name} field=${f} value=${raws[f.name] ?? initialRaw(f)} error=${errors[f.name] || undefined} meta=${session.meta} editing=${false}
        onChange=${(v: Raw) => { setRaws((r) => ({ ...r, [f.name]: v })); setErrors((e) => ({ ...e, [f.name]: '' })); }} />`)}
    </div>
    <div class="actions">
      <button type="submit" class="button button-primary" disabled=${busy}>${busy ? t('form.saving') : t('teacher.newLesson', { n: number })}</button>
    </div>
  </form>`;
}
