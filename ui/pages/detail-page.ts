/** One record: its fields, edit and delete, and the lists of records that refer to it (customer → follow-ups). */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, fieldOf, messageOf, StratumError, type ModuleMeta, type Rec, type RelationMeta } from '../api.js';
import { resolveColumn } from '../columns.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { RecordTable } from '../components/record-table.js';
import { fetchLabels } from '../components/ref-picker.js';
import { formatValue, recordLabel } from '../format.js';
import { fieldTitle, moduleTitle, t } from '../i18n.js';
import { takeFlash } from '../flash.js';
import { navigate } from '../router.js';
import { onUnauthenticated, type Session } from '../session.js';
import { RecordExplain } from '../designers/record-explain.js';
import { FileLink } from '../components/file-link.js';
import { RecordActions, useRecordCan } from '../record-actions.js';
import { holds, panelsOf, words } from '../plugins/manifest.js';
import { PluginPiece } from '../plugins/load-piece.js';

export function DetailPage({ session, module: name, id }: { session: Session; module: string; id: number }) {
  const m = session.meta.get(name);
  if (!m) return html`<${ErrorPanel} message=${t('error.unknownModule', { module: name })} />`;
  return html`<${Detail} session=${session} m=${m} id=${id} />`;
}

function Detail({ session, m, id }: { session: Session; m: ModuleMeta; id: number }) {
  const [record, setRecord] = useState<Rec>();
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [many, setMany] = useState(new Map<string, Map<number, string>>());
  const [flash] = useState(takeFlash);

  // References come back with their target's label (`customer.name`) where the caller may read it.
  const fetchFields = m.fields.filter((f) => !f.writeOnly).map((f) => {
    const target = f.ref ? session.meta.get(f.ref) : undefined;
    return target && target.label !== 'id' ? `${f.name}.${target.label}` : f.name;
  });
  const manyToMany = m.relations.filter((r) => r.kind === 'many-to-many');
  const load = () => {
    api.data(m.name).get(id, { fields: [...fetchFields, ...manyToMany.map((r) => r.name)] }).then(async (r) => {
      setRecord(r);
      const labels = new Map<string, Map<number, string>>();
      for (const rel of manyToMany) labels.set(rel.name, await fetchLabels(session.meta.get(rel.target)!, (r[rel.name] ?? []) as number[]).catch(() => new Map()));
      setMany(labels);
    }, (e) => !onUnauthenticated(e) && setError(e instanceof StratumError && e.status === 404 ? t('error.notFound') : messageOf(e)));
  };
  useEffect(load, []);
  // Edit, delete and the plugins' actions are offered per record, as the server says (its rules may allow some records only).
  const can = useRecordCan(m.name, id, record?.version);

  const title = moduleTitle(m);
  const label = record ? recordLabel(record, m) : `#${id}`;
  const crumbs = [{ label: title, href: `/m/${m.name}` }, { label }];
  if (error && !record) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${error} />`;
  if (!record) return html`<${Breadcrumbs} items=${crumbs} /><${Loading} />`;

  const remove = async () => {
    setConfirming(false);
    try {
      await api.data(m.name).delete(id);
      navigate(`/m/${m.name}`);
    } catch (e) {
      if (!onUnauthenticated(e)) setError(messageOf(e));
    }
  };
  const own = m.fields.filter((f) => !f.system && !f.writeOnly);
  const system = m.fields.filter((f) => f.system && f.name !== 'id');
  const value = (name: string) => {
    const f = fieldOf(m, name)!;
    const target = f.ref ? session.meta.get(f.ref) : undefined;
    const text = formatValue(record[name], f, target);
    const refId = f.ref && record[name] !== null && record[name] !== undefined ? (typeof record[name] === 'object' ? record[name].id : record[name]) : undefined;
    if (!text) return html`<span class="muted">—</span>`;
    if (f.kind === 'file') return html`<${FileLink} module=${m.name} id=${id} field=${name} handle=${record[name]} size=${true} />`;
    return target && refId !== undefined ? html`<a href=${`/m/${target.name}/${refId}`}>${text}</a>` : text;
  };
  const relatedLists = m.relations.filter((r) => r.kind === 'one-to-many' && r.via && session.meta.has(r.target));

  return html`<${Breadcrumbs} items=${crumbs} />
    <div class="page-head">
      ${m.label === 'id'
        ? html`<h1>${title} #${record.id}</h1>`
        : html`<h1>${label}</h1>
          <span class="muted">${title} #${record.id}</span>`}
      <span class="spacer"></span>
      ${can?.update && html`<a class="button button-primary" href=${`/m/${m.name}/${id}/edit`}>${t('detail.edit')}</a>`}
      ${can?.delete && (confirming
        ? html`<span class="confirm">${t('detail.confirmDelete')}
            <button type="button" class="button button-danger" onClick=${remove} autofocus>${t('detail.delete')}</button>
            <button type="button" class="button button-quiet" onClick=${() => setConfirming(false)}>${t('form.cancel')}</button></span>`
        : html`<button type="button" class="button button-danger-quiet" onClick=${() => setConfirming(true)}>${t('detail.delete')}</button>`)}
    </div>
    ${flash && html`<${Alert} kind="success" testid="flash">${flash}</${Alert}>`}
    ${error && html`<${Alert}>${error}</${Alert}>`}
    <section class="panel">
      <dl class="fields" data-testid="fields">
        ${own.map((f) => html`<div class="pair" data-field=${f.name}><dt>${fieldTitle(f)}</dt><dd>${value(f.name)}</dd></div>`)}
        ${manyToMany.map((r) => {
          const ids = (record[r.name] ?? []) as number[];
          const labels = many.get(r.name);
          return html`<div class="pair" data-field=${r.name}><dt>${fieldTitle(r)}</dt><dd>${ids.length === 0 ? html`<span class="muted">—</span>`
            : ids.map((v, i) => html`${i > 0 ? ', ' : ''}<a href=${`/m/${r.target}/${v}`}>${labels?.get(v) ?? `#${v}`}</a>`)}</dd></div>`;
        })}
      </dl>
      <details class="system">
        <summary>${t('detail.system')}</summary>
        <dl class="fields">${system.map((f) => html`<div class="pair"><dt>${fieldTitle(f)}</dt><dd>${value(f.name)}</dd></div>`)}</dl>
      </details>
    </section>
    <${RecordActions} session=${session} module=${m} record=${record} reload=${load} can=${can} />
    ${panelsOf(m.name).filter(({ panel }) => holds(panel.requires, session.me, session.meta)).map(({ plugin, panel }) => html`<section class="panel plugin-panel" data-plugin=${plugin.plugin}>
      ${panel.title && html`<h2>${words(panel.title)}</h2>`}
      <${PluginPiece} plugin=${plugin} component=${panel.component} props=${{ session, module: m, record, reload: load }} />
    </section>`)}
    ${relatedLists.map((r) => html`<${RelatedList} key=${r.name} session=${session} relation=${r} id=${id} />`)}
    ${session.me.isAdmin && html`<${RecordExplain} session=${session} module=${m.name} id=${id} />`}`;
}

const RELATED_PAGE = 10;

/** The records of `relation.target` whose `relation.via` is this record. */
function RelatedList({ session, relation: r, id }: { session: Session; relation: RelationMeta; id: number }) {
  const target = session.meta.get(r.target)!;
  const [result, setResult] = useState<{ data: Rec[]; total: number | null }>();
  const [error, setError] = useState<string>();
  const paths = (target.list.columns.length > 0 ? target.list.columns : [target.label]).filter((c) => c !== r.via && !c.startsWith(`${r.via}.`));
  const columns = (paths.length > 0 ? paths : ['id']).map((c) => resolveColumn(target, c, session.meta));
  useEffect(() => {
    api.data(target.name).list({ filter: { [r.via!]: id }, pageSize: RELATED_PAGE, fields: [...new Set(columns.map((c) => c.fetch))] })
      .then((p) => setResult({ data: p.data, total: p.meta.total }), (e) => !onUnauthenticated(e) && setError(messageOf(e)));
  }, []);
  const viaField = fieldOf(target, r.via!);
  const canAdd = target.actions.includes('create') && viaField?.writable;
  const all = `/m/${target.name}?f=${encodeURIComponent(JSON.stringify([{ field: r.via, op: 'eq', a: String(id) }]))}`;
  return html`<section class="related" data-relation=${r.name} data-testid=${`related-${r.name}`}>
    <div class="section-head">
      <h2>${fieldTitle(r)} ${result && result.total !== null && html`<span class="count">${result.total}</span>`}</h2>
      <span class="spacer"></span>
      ${result && result.total !== null && result.total > RELATED_PAGE && html`<a class="button button-quiet" href=${all}>${t('detail.viewAll', { n: result.total })}</a>`}
      ${canAdd && html`<a class="button" href=${`/m/${target.name}/new?${r.via}=${id}`}>${t('detail.add')}</a>`}
    </div>
    ${error ? html`<${Alert}>${error}</${Alert}>` : !result ? html`<${Loading} />` : result.data.length === 0
      ? html`<p class="muted empty-inline">${t('detail.relatedEmpty')}</p>`
      : html`<${RecordTable} module=${target} columns=${columns} rows=${result.data} />`}
  </section>`;
}
