/**
 * The rule designer: a rule's name, module, actions and grantees (role and user pickers), its
 * filter built with the list page's filter builder (the same filter language), and a preview of
 * what a user would see. Saved through `/api/data/rule` like any record.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf, StratumError, type Rec } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { FilterBuilder, rowsToFilter, type FilterRow } from '../components/filter-builder.js';
import { MultiRefPicker } from '../components/ref-picker.js';
import { setFlash, takeFlash } from '../flash.js';
import { currentLang, moduleTitle, t } from '../i18n.js';
import { navigate } from '../router.js';
import { onUnauthenticated, type Session } from '../session.js';
import { RulePreview } from './rule-preview.js';
import { filterToRows } from './rule-filter.js';

const ACTIONS = ['read', 'create', 'update', 'delete'] as const;

interface Draft {
  name: string;
  module: string;
  actions: string[];
  roles: number[];
  users: number[];
  /** The filter as JSON text: what is stored, editable by hand. */
  filterText: string;
}

const EMPTY: Draft = { name: '', module: '', actions: ['read'], roles: [], users: [], filterText: '{}' };

const draftOf = (r: Rec): Draft => ({
  name: r.name ?? '', module: r.module ?? '', actions: r.actions ?? [], roles: r.roles ?? [], users: r.users ?? [], filterText: JSON.stringify(r.filter ?? {}, null, 2),
});

function parseFilter(text: string): Rec | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function RuleDesigner({ session, id }: { session: Session; id?: number }) {
  const [draft, setDraft] = useState<Draft | undefined>(id ? undefined : EMPTY);
  const [saved, setSaved] = useState<Draft | undefined>(id ? undefined : EMPTY);
  const [version, setVersion] = useState<number>();
  const [loadError, setLoadError] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string>();
  const [flash, setFlashState] = useState(takeFlash);
  const [busy, setBusy] = useState(false);
  // Bumped when the filter JSON is replaced from outside the builder, so that it starts over from it.
  const [builderKey, setBuilderKey] = useState(0);

  useEffect(() => {
    if (!id) return;
    api.data('rule').get(id).then((r) => {
      setDraft(draftOf(r));
      setSaved(draftOf(r));
      setVersion(r.version);
    }, (e) => !onUnauthenticated(e) && setLoadError(e instanceof StratumError && e.status === 404 ? t('error.notFound') : messageOf(e)));
  }, [id]);

  const crumbs = [{ label: t('designer.rules'), href: '/admin/rules' }, { label: draft?.name || (id ? `#${id}` : t('rule.newTitle')) }];
  if (loadError) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${loadError} />`;
  if (!draft) return html`<${Breadcrumbs} items=${crumbs} /><${Loading} />`;

  const modules = [...session.meta.values()].sort((a, b) => Number(a.builtin) - Number(b.builtin) || moduleTitle(a).localeCompare(moduleTitle(b), currentLang()));
  const m = session.meta.get(draft.module);
  const filter = parseFilter(draft.filterText);
  const rows = m && filter ? filterToRows(filter, m, session.meta) : undefined;
  const dirty = JSON.stringify({ ...draft, filterText: filter }) !== JSON.stringify({ ...saved, filterText: saved ? parseFilter(saved.filterText) : undefined });
  const change = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const roleMeta = session.meta.get('role');
  const userMeta = session.meta.get('user');

  const applyRows = (next: FilterRow[]) => change({ filterText: JSON.stringify(m ? rowsToFilter(next, m, session.meta) ?? {} : {}, null, 2) });

  const save = async (e: Event) => {
    e.preventDefault();
    setErrors({});
    setBanner(undefined);
    setFlashState(undefined);
    if (!filter) {
      setErrors({ filter: t('rule.filterInvalid') });
      return;
    }
    setBusy(true);
    const body = { name: draft.name.trim(), module: draft.module, actions: draft.actions, roles: draft.roles, users: draft.users, filter };
    try {
      if (id) {
        const r = await api.data('rule').update(id, body, version !== undefined ? { version } : {});
        setVersion(r.version);
        setSaved(draft);
        setFlashState(t('rule.saved'));
      } else {
        const r = await api.data('rule').create(body);
        setFlash(t('rule.saved'));
        navigate(`/admin/rules/${r.id}`);
      }
    } catch (err) {
      if (onUnauthenticated(err)) return;
      if (!(err instanceof StratumError)) return setBanner(messageOf(err));
      const onFields: Record<string, string> = {};
      const elsewhere: string[] = [];
      for (const d of err.details) {
        const name = d.path.split('/')[1] ?? '';
        if (['name', 'module', 'actions', 'roles', 'users', 'filter'].includes(name)) onFields[name] = onFields[name] ? `${onFields[name]}; ${d.message}` : `${d.path}: ${d.message}`;
        else elsewhere.push(d.path ? `${d.path}: ${d.message}` : d.message);
      }
      setErrors(onFields);
      setBanner([err.message, ...elsewhere].join(' · '));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    try {
      await api.data('rule').delete(id!);
      setFlash(t('rule.deleted'));
      navigate('/admin/rules');
    } catch (err) {
      if (!onUnauthenticated(err)) setBanner(messageOf(err));
    }
  };

  const fieldError = (key: string) => errors[key] && html`<p class="field-error" role="alert">${errors[key]}</p>`;
  const box = (key: string) => `field${errors[key] ? ' has-error' : ''}`;

  return html`<${Breadcrumbs} items=${crumbs} />
    <div class="page-head">
      <h1>${id ? t('rule.editTitle', { name: saved?.name ?? '' }) : t('rule.newTitle')}</h1>
      <span class="spacer"></span>
      ${id && html`<button type="button" class="button button-danger-quiet" onClick=${remove}>${t('rule.delete')}</button>`}
    </div>
    ${flash && html`<${Alert} kind="success" testid="flash">${flash}</${Alert}>`}
    ${banner && html`<${Alert} testid="designer-error">${banner}</${Alert}>`}
    <form id="rule-form" class="panel designer-form" onSubmit=${save} noValidate data-testid="rule-designer">
      <div class="form-grid">
        <div class=${box('name')}>
          <label class="label" for="rule-name">${t('rule.name')}<span class="req" aria-hidden="true"> *</span></label>
          <input id="rule-name" value=${draft.name} onInput=${(e: Event) => change({ name: (e.target as HTMLInputElement).value })} />
          ${fieldError('name')}
        </div>
        <div class=${box('module')}>
          <label class="label" for="rule-module">${t('rule.module')}<span class="req" aria-hidden="true"> *</span></label>
          <select id="rule-module" value=${draft.module} onChange=${(e: Event) => { change({ module: (e.target as HTMLSelectElement).value, filterText: '{}' }); setBuilderKey((k) => k + 1); }}>
            <option value="">${t('rule.chooseModule')}</option>
            ${modules.map((x) => html`<option value=${x.name}>${moduleTitle(x)} (${x.name})</option>`)}
            ${draft.module && !m && html`<option value=${draft.module}>${draft.module}</option>`}
          </select>
          ${fieldError('module')}
        </div>
        <div class=${`${box('actions')} field-wide`}>
          <span class="label" id="rule-actions">${t('rule.actions')}</span>
          <div class="checks" role="group" aria-labelledby="rule-actions">${ACTIONS.map((a) => html`<label class="check-label">
            <input type="checkbox" checked=${draft.actions.includes(a)} onChange=${(e: Event) => change({ actions: (e.target as HTMLInputElement).checked ? ACTIONS.filter((x) => x === a || draft.actions.includes(x)) : draft.actions.filter((x) => x !== a) })} /> ${a}</label>`)}</div>
          ${fieldError('actions')}
        </div>
        ${roleMeta && html`<div class=${box('roles')}>
          <label class="label" for="rule-roles">${t('rule.roles')}</label>
          <${MultiRefPicker} target=${roleMeta} value=${draft.roles} id="rule-roles" onChange=${(ids: number[]) => change({ roles: ids })} />
          ${fieldError('roles')}
        </div>`}
        ${userMeta && html`<div class=${box('users')}>
          <label class="label" for="rule-users">${t('rule.users')}</label>
          <${MultiRefPicker} target=${userMeta} value=${draft.users} id="rule-users" onChange=${(ids: number[]) => change({ users: ids })} />
          ${fieldError('users')}
        </div>`}
      </div>
    </form>
    <section class="panel rule-filter">
      <h2 class="designer-heading">${t('rule.filterHeading')}</h2>
      <p class="hint">${t('rule.filterHint')}</p>
      ${m && (rows
        ? html`<${FilterBuilder} key=${`${draft.module}/${builderKey}`} module=${m} meta=${session.meta} rows=${rows} onApply=${applyRows} />`
        : html`<p class="muted">${t('rule.filterUnbuilt')}</p>`)}
      <div class=${box('filter')}>
        <label class="label" for="rule-filter">${t('rule.filterJson')}</label>
        <textarea id="rule-filter" class="mono" rows="6" value=${draft.filterText} data-testid="rule-filter-json"
          onInput=${(e: Event) => change({ filterText: (e.target as HTMLTextAreaElement).value })}
          onBlur=${() => setBuilderKey((k) => k + 1)}></textarea>
        ${!filter && html`<p class="field-error">${t('rule.filterInvalid')}</p>`}
        ${fieldError('filter')}
      </div>
    </section>
    <div class="actions designer-actions">
      <button type="submit" form="rule-form" class="button button-primary" disabled=${busy}>${busy ? t('rule.saving') : t('rule.save')}</button>
      <a class="button button-quiet" href="/admin/rules">${t('form.cancel')}</a>
    </div>
    ${draft.module && html`<${RulePreview} session=${session} module=${draft.module} filter=${filter} dirty=${dirty} />`}`;
}
