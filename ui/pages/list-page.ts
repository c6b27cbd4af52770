/** The generated list of a module: search, filters, sortable columns, pages, bulk delete, CSV export. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, fieldOf, messageOf, type ModuleMeta, type Rec } from '../api.js';
import { resolveColumn } from '../columns.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { FilterBuilder, parseRows, rowsToFilter, type FilterRow } from '../components/filter-builder.js';
import { RecordTable } from '../components/record-table.js';
import { SavedViews } from '../components/saved-views.js';
import { ColumnChooser, chosenColumns } from '../components/column-chooser.js';
import { DepartmentTree, departmentFilter } from '../components/department-tree.js';
import { fieldTitle, moduleTitle, t } from '../i18n.js';
import { navigate, withQuery, type Location } from '../router.js';
import { onUnauthenticated, type Session } from '../session.js';

const PAGE_SIZE = 25;
/** The page sizes offered; `pageSize` in the URL, so that a saved view keeps it. */
const PAGE_SIZES = [10, 25, 50, 100];

export function ListPage({ session, module: name, location }: { session: Session; module: string; location: Location }) {
  const m = session.meta.get(name);
  if (!m) return html`<${ErrorPanel} message=${t('error.unknownModule', { module: name })} />`;
  return html`<${ModuleList} session=${session} m=${m} location=${location} />`;
}

function ModuleList({ session, m, location }: { session: Session; m: ModuleMeta; location: Location }) {
  const q = location.query.get('q') ?? '';
  const sortParam = location.query.get('sort') ?? '';
  const sort = sortParam || m.list.sort;
  const page = Math.max(1, Number(location.query.get('page') ?? 1) || 1);
  const pageSize = PAGE_SIZES.find((n) => String(n) === location.query.get('pageSize')) ?? PAGE_SIZE;
  const rows = parseRows(location.query.get('f'), m);
  const ownFilter = rowsToFilter(rows, m, session.meta);
  // The department node chosen in the tree (`dept=0010`) narrows the list to its code range.
  const dept = m.departmentPath ? location.query.get('dept') || undefined : undefined;
  const deptFilter = dept ? departmentFilter(m.departmentPath!, dept) : undefined;
  const filter = ownFilter && deptFilter ? { and: [ownFilter, deptFilter] } : ownFilter ?? deptFilter;
  // `cols` in the URL (the column chooser) so that a saved view keeps its columns.
  const chosen = chosenColumns(m, location.query.get('cols'));
  const columns = chosen.map((c) => resolveColumn(m, c, session.meta));
  const fields = [...new Set(columns.map((c) => c.fetch))];

  const [result, setResult] = useState<{ data: Rec[]; total: number | null }>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [selected, setSelected] = useState(new Set<number>());
  const [confirming, setConfirming] = useState(false);
  const [showFilters, setShowFilters] = useState(rows.length > 0);
  const [search, setSearch] = useState(q);
  const [reloads, setReloads] = useState(0);
  const [showTree, setShowTree] = useState(true);

  const query = {
    ...(filter ? { filter } : {}),
    ...(q ? { q } : {}),
    ...(sortParam ? { sort: sortParam } : {}),
    page,
    pageSize,
    fields,
  };
  useEffect(() => {
    let live = true;
    setError(undefined);
    api.data(m.name).list(query).then(
      (r) => live && setResult({ data: r.data, total: r.meta.total }),
      (e) => live && !onUnauthenticated(e) && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
    // m is a new object whenever the menu reloads; only what the query uses matters.
  }, [location.query.toString(), m.name, fields.join(','), reloads]);

  // Search as you type, without a history entry per keystroke.
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => navigate(withQuery(location, { q: search, page: undefined }), { replace: true }), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const title = moduleTitle(m);
  const can = (action: string) => m.actions.includes(action as never);
  const exportHref = `/api/data/${m.name}/export?${new URLSearchParams({
    ...(filter ? { filter: JSON.stringify(filter) } : {}),
    ...(q ? { q } : {}),
    ...(sortParam ? { sort: sortParam } : {}),
    fields: fields.join(','),
  }).toString()}`;
  const total = result?.total ?? null;
  const pages = total === null ? page : Math.max(1, Math.ceil(total / pageSize));
  // A role limited to some filter fields may search only when the search fields are among them.
  const searchable = m.list.search.map((s) => fieldOf(m, s.split('.')[0]!)).filter((f) => f?.filterable);
  const searchFields = searchable.map((f) => fieldTitle(f!)).join(', ');

  const onSelect = (ids: number[], on: boolean) => setSelected((s) => {
    const next = new Set(s);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    return next;
  });
  const bulkDelete = async () => {
    setConfirming(false);
    setNotice(undefined);
    try {
      const reply = await api.request<{ count: number }>('POST', `/api/data/${m.name}/bulk`, { body: { action: 'delete', ids: [...selected] } });
      setNotice(t('list.deleted', { n: reply.count }));
      setSelected(new Set());
      setReloads((n) => n + 1);
    } catch (e) {
      if (!onUnauthenticated(e)) setError(messageOf(e));
    }
  };
  const applyFilters = (next: FilterRow[]) => navigate(withQuery(location, { f: next.length > 0 ? JSON.stringify(next) : undefined, page: undefined }));

  return html`<${Breadcrumbs} items=${[{ label: title }]} />
    <div class="page-head">
      <h1>${title}</h1>
      <span class="spacer"></span>
      ${can('create') && html`<a class="button button-primary" href=${`/m/${m.name}/new`}>${t('list.new', { module: title })}</a>`}
    </div>
    ${m.description && html`<p class="muted">${m.description}</p>`}
    <${SavedViews} module=${m.name} location=${location} />
    <div class="toolbar">
      ${searchable.length > 0 && html`<form class="search" role="search" onSubmit=${(e: Event) => { e.preventDefault(); navigate(withQuery(location, { q: search, page: undefined })); }}>
        <input type="search" value=${search} onInput=${(e: Event) => setSearch((e.target as HTMLInputElement).value)}
          placeholder=${t('list.search', { fields: searchFields })} aria-label=${t('list.searchNone')} data-testid="search" />
      </form>`}
      <button type="button" class=${`button${showFilters ? ' pressed' : ''}`} aria-expanded=${showFilters} onClick=${() => setShowFilters(!showFilters)} data-testid="toggle-filters">
        ${rows.length > 0 ? t('list.filtersCount', { n: rows.length }) : t('list.filters')}</button>
      ${m.departmentPath && html`<button type="button" class=${`button${showTree ? ' pressed' : ''}`} aria-expanded=${showTree} onClick=${() => setShowTree(!showTree)} data-testid="toggle-tree">${t('tree.toggle')}</button>`}
      <${ColumnChooser} module=${m} meta=${session.meta} chosen=${chosen} onChange=${(cols: string | undefined) => navigate(withQuery(location, { cols }), { replace: true })} />
      <span class="spacer"></span>
      ${can('create') && html`<a class="button" href=${`/m/${m.name}/import`}>${t('list.import')}</a>`}
      <a class="button" href=${`/m/${m.name}/chart${rows.length > 0 ? `?f=${encodeURIComponent(location.query.get('f')!)}` : ''}`} data-testid="chart-link">${t('list.chart')}</a>
      <a class="button" href=${exportHref} download=${`${m.name}.csv`} data-testid="export">${t('list.export')}</a>
    </div>
    ${showFilters && html`<${FilterBuilder} key=${location.query.get('f') ?? ''} module=${m} meta=${session.meta} rows=${rows} onApply=${applyFilters} />`}
    ${notice && html`<${Alert} kind="success">${notice}</${Alert}>`}
    ${error && html`<${Alert}>${error}</${Alert}>`}
    ${selected.size > 0 && can('delete') && html`<div class="bulk-bar" data-testid="bulk-bar">
      ${confirming
        ? html`<span>${t('list.confirmDelete', { n: selected.size })}</span>
          <button type="button" class="button button-danger" onClick=${bulkDelete} autofocus>${t('detail.delete')}</button>
          <button type="button" class="button button-quiet" onClick=${() => setConfirming(false)}>${t('form.cancel')}</button>`
        : html`<span>${t('list.selected', { n: selected.size })}</span>
          <button type="button" class="button button-danger" onClick=${() => setConfirming(true)}>${t('list.deleteSelected')}</button>`}
    </div>`}
    <div class=${m.departmentPath && showTree ? 'with-tree' : ''}>
    ${m.departmentPath && showTree && html`<${DepartmentTree} module=${m} path=${m.departmentPath} filter=${ownFilter} q=${q} selected=${dept}
      departmentsReadable=${session.meta.has('department')} onSelect=${(code: string | undefined) => navigate(withQuery(location, { dept: code, page: undefined }))} />`}
    <div class="list-main">
    ${!result && !error ? html`<${Loading} />` : result && result.data.length === 0
      ? html`<div class="empty" data-testid="empty">
          ${page > 1
            ? html`<p>${t('list.pastEnd')}</p><a class="button" href=${withQuery(location, { page: undefined })}>${t('list.firstPage')}</a>`
            : q || filter
            ? html`<p>${t('list.emptyFiltered')}</p><a class="button" href=${`/m/${m.name}`} onClick=${() => setSearch('')}>${t('list.clear')}</a>`
            : html`<p>${t('list.empty', { module: title })}</p>${can('create') && html`<a class="button button-primary" href=${`/m/${m.name}/new`}>${t('list.new', { module: title })}</a>`}`}
        </div>`
      : result && html`<${RecordTable} module=${m} columns=${columns} rows=${result.data} sort=${sort}
          onSort=${(key: string) => navigate(withQuery(location, { sort: key, page: undefined }))}
          selected=${can('delete') ? selected : undefined} onSelect=${can('delete') ? onSelect : undefined} />
        <div class="pager" data-testid="pager">
          <span>${total === null ? '' : t('list.total', { from: (page - 1) * pageSize + 1, to: (page - 1) * pageSize + result.data.length, total })}</span>
          <span class="spacer"></span>
          <select value=${pageSize} aria-label=${t('list.pageSize')} data-testid="page-size"
            onChange=${(e: Event) => navigate(withQuery(location, { pageSize: Number((e.target as HTMLSelectElement).value) === PAGE_SIZE ? undefined : (e.target as HTMLSelectElement).value, page: undefined }))}>
            ${PAGE_SIZES.map((n) => html`<option value=${n}>${t('list.perPage', { n })}</option>`)}
          </select>
          ${page > 1 ? html`<a class="button" href=${withQuery(location, { page: page - 1 === 1 ? undefined : page - 1 })} rel="prev">${t('list.prev')}</a>` : html`<span class="button disabled" aria-disabled="true">${t('list.prev')}</span>`}
          <span class="muted">${t('list.page', { page, pages })}</span>
          ${page < pages ? html`<a class="button" href=${withQuery(location, { page: page + 1 })} rel="next">${t('list.next')}</a>` : html`<span class="button disabled" aria-disabled="true">${t('list.next')}</span>`}
        </div>`}
    </div></div>`;
}
