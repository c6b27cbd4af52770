/** A choice among the courses the student may see (their own classes' courses), or none. */
import { html, api, type Rec } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { useLoad } from './use-load.js';

export function CourseSelect({ name, value, onChange, error }: { name: string; value: string; onChange: (value: string) => void; error?: string | undefined }) {
  const courses = useLoad(async () => (await api.data('course').list({ fields: ['name'] as never, sort: 'name' as never, pageSize: 100 })).data as Rec[], []);
  const id = `f-${name}`;
  return html`<div class="field">
    <label class="label" for=${id}>${t('portal.course')}</label>
    <select id=${id} name=${name} value=${value} onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value)} aria-invalid=${error ? 'true' : undefined}>
      <option value="">${t('portal.courseNone')}</option>
      ${courses.data?.map((c) => html`<option value=${String(c.id)}>${c.name}</option>`)}
    </select>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </div>`;
}
