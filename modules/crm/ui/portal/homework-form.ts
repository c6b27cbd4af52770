/**
 * Hand in homework for a lesson: one file (PDF, image or zip, at most 2 MB, checked here as
 * the server checks it) and an optional note, sent to `POST /api/plugins/crm/lessons/:id/homework`,
 * which writes it as the student.
 */
import { html, useState, messageOf, StratumError, Alert, onUnauthenticated, type Rec } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { FileField } from '../public/file-field.js';
import { TextField } from '../public/text-field.js';
import { fieldErrors, fileProblem, MAX_UPLOAD_BYTES, postForm } from '../public/upload.js';

/** What modules/crm/files/file-kinds.ts takes as homework. */
export const HOMEWORK_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'application/zip'] as const;

export function HomeworkForm({ lesson, onDone }: { lesson: number; onDone: (homework: Rec) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string>();
  const [busy, setBusy] = useState(false);
  const name = (field: string) => `${field}-${lesson}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBanner(undefined);
    const problem = await fileProblem(file, HOMEWORK_TYPES, MAX_UPLOAD_BYTES);
    if (problem) {
      setErrors({ file: problem });
      document.getElementById(`f-${name('file')}`)?.focus();
      return;
    }
    const form = new FormData();
    form.set('file', file!, file!.name);
    if (note.trim() !== '') form.set('content', note.trim());
    setBusy(true);
    try {
      onDone(await postForm<Rec>(`/api/plugins/crm/lessons/${lesson}/homework`, form));
    } catch (e) {
      setBusy(false);
      if (onUnauthenticated(e)) return;
      if (!(e instanceof StratumError)) return setBanner(messageOf(e));
      const { fields, other } = fieldErrors(e, ['file', 'content']);
      setErrors(fields);
      setBanner(e.code === 'conflict' || e.status === 409 ? t('portal.homework.already') : [e.message, ...other].join(' '));
    }
  };

  return html`<form class="homework-form" onSubmit=${submit} noValidate data-testid="homework-form">
    ${banner && html`<${Alert}>${banner}</${Alert}>`}
    <${FileField} name=${name('file')} label=${t('portal.homework.file')} types=${HOMEWORK_TYPES} maxBytes=${MAX_UPLOAD_BYTES} required error=${errors.file} onChange=${setFile} />
    <${TextField} name=${name('content')} label=${t('portal.homework.note')} value=${note} onInput=${setNote} error=${errors.content} multiline />
    <div class="actions"><button type="submit" class="button button-primary" disabled=${busy}>${busy ? t('enroll.sending') : t('portal.homework.submit')}</button></div>
  </form>`;
}
