/**
 * CSV import: the file is read in the browser, checked row by row with the form's rules, and
 * each good row is created through the API with the caller's own permissions, one request per
 * row, so one bad row refuses only itself. A progress bar follows the rows; the report lists
 * every refused row with its field and the reason (a duplicate names its owner).
 */
import { html } from 'htm/preact';
import { useRef, useState } from 'preact/hooks';
import { api, StratumError, messageOf, type ModuleMeta } from '../api.js';
import { parseCsv } from '../csv.js';
import { Alert, Breadcrumbs, ErrorPanel } from '../components/feedback.js';
import { mapHeader, rowToRecord, type Mapping, type RowProblem } from '../import-rows.js';
import { fieldTitle, moduleTitle, t } from '../i18n.js';
import { onUnauthenticated, type Session } from '../session.js';

interface Loaded {
  file: string;
  header: string[];
  rows: string[][];
  mapping: Mapping;
}

interface Refused {
  /** The row's line in the file (the header is line 1). */
  line: number;
  problems: RowProblem[];
}

const PREVIEW_ROWS = 5;

export function ImportPage({ session, module: name }: { session: Session; module: string }) {
  const m = session.meta.get(name);
  if (!m) return html`<${ErrorPanel} message=${t('error.unknownModule', { module: name })} />`;
  return html`<${Importer} m=${m} session=${session} />`;
}

function Importer({ m, session }: { m: ModuleMeta; session: Session }) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [readError, setReadError] = useState<string>();
  const [done, setDone] = useState(0);
  const [created, setCreated] = useState(0);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [state, setState] = useState<'idle' | 'running' | 'finished'>('idle');
  const stop = useRef(false);
  const title = moduleTitle(m);
  const crumbs = [{ label: title, href: `/m/${m.name}` }, { label: t('import.title') }];
  if (!m.actions.includes('create')) return html`<${Breadcrumbs} items=${crumbs} /><${ErrorPanel} message=${`Missing permission: ${m.name}:create`} />`;

  const choose = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    setLoaded(undefined);
    setReadError(undefined);
    setState('idle');
    if (!file) return;
    const [header, ...rows] = parseCsv(await file.text());
    if (!header || rows.length === 0) {
      setReadError(t('import.empty'));
      return;
    }
    const mapping = mapHeader(header, m);
    if (mapping.columns.every((c) => !c)) {
      setReadError(t('import.noColumns'));
      return;
    }
    setLoaded({ file: file.name, header, rows, mapping });
  };

  const run = async () => {
    if (!loaded) return;
    stop.current = false;
    setState('running');
    setDone(0);
    setCreated(0);
    setRefused([]);
    // As in the form: without an owner column, the person importing owns the records (x-owner).
    const owner = m.owner && session.meta.has('user') && !loaded.mapping.columns.some((c) => c?.name === m.owner) ? m.owner : undefined;
    for (const [i, cells] of loaded.rows.entries()) {
      if (stop.current) break;
      const line = i + 2;
      const row = rowToRecord(cells, loaded.mapping);
      if ('problems' in row) {
        setRefused((r) => [...r, { line, problems: row.problems }]);
      } else {
        try {
          await api.data(m.name).create(owner ? { [owner]: session.me.id, ...row.record } : row.record);
          setCreated((n) => n + 1);
        } catch (err) {
          if (onUnauthenticated(err)) return;
          const problems = err instanceof StratumError && err.details.length > 0 && err.code !== 'duplicate'
            ? err.details.map((d) => ({ path: d.path, message: d.message }))
            : [{ path: err instanceof StratumError ? err.details[0]?.path ?? '' : '', message: messageOf(err) }];
          setRefused((r) => [...r, { line, problems }]);
        }
      }
      setDone(i + 1);
    }
    setState('finished');
  };

  const label = (path: string) => {
    const name = path.split('/')[1] ?? '';
    const target = [...m.fields, ...m.relations].find((f) => f.name === name);
    return target ? fieldTitle(target) : path;
  };
  const total = loaded?.rows.length ?? 0;
  const writable = [...m.fields.filter((f) => f.writable), ...m.relations.filter((r) => r.writable)];
  return html`<${Breadcrumbs} items=${crumbs} />
    <h1>${t('import.heading', { module: title })}</h1>
    <section class="panel import" data-testid="import">
      <p>${t('import.intro')}</p>
      <p class="muted">${t('import.columns')}: ${writable.map((f) => html`<code>${f.name}</code> `)}</p>
      <label class="field"><span class="label">${t('import.file')}</span>
        <input type="file" accept=".csv,text/csv" onChange=${choose} disabled=${state === 'running'} data-testid="import-file" /></label>
      ${readError && html`<${Alert}>${readError}</${Alert}>`}
      ${loaded && html`<div class="import-preview">
        <p>${t('import.found', { rows: total, file: loaded.file })}</p>
        ${loaded.mapping.ignored.length > 0 && html`<${Alert} kind="warning" testid="import-ignored">${t('import.ignored')}: ${loaded.mapping.ignored.join(', ')}</${Alert}>`}
        <div class="table-wrap"><table class="records">
          <thead><tr>${loaded.header.map((h, i) => html`<th class=${loaded.mapping.columns[i] ? '' : 'ignored'}>${loaded.mapping.columns[i] ? fieldTitle(loaded.mapping.columns[i]!) : h}</th>`)}</tr></thead>
          <tbody>${loaded.rows.slice(0, PREVIEW_ROWS).map((r) => html`<tr>${loaded.header.map((_, i) => html`<td class=${loaded.mapping.columns[i] ? '' : 'ignored'}>${r[i] ?? ''}</td>`)}</tr>`)}</tbody>
        </table></div>
        ${total > PREVIEW_ROWS && html`<p class="muted">${t('import.more', { n: total - PREVIEW_ROWS })}</p>`}
        <div class="actions">
          ${state === 'running'
            ? html`<button type="button" class="button" onClick=${() => { stop.current = true; }}>${t('import.stop')}</button>`
            // Once imported, the same file again would only repeat it: choose another to go on.
            : state === 'idle' && html`<button type="button" class="button button-primary" onClick=${run}>${t('import.run', { n: total })}</button>`}
          <a class="button button-quiet" href=${`/m/${m.name}`}>${t('import.back', { module: title })}</a>
        </div>
      </div>`}
      ${state !== 'idle' && html`<div class="progress" data-testid="import-progress">
        <progress max=${total} value=${done} aria-label=${t('import.progress')}></progress>
        <span>${t('import.status', { done, total, created, refused: refused.length })}</span>
      </div>`}
      ${state === 'finished' && html`<${Alert} kind=${refused.length > 0 ? 'warning' : 'success'} testid="import-summary">${t('import.summary', { created, refused: refused.length })}</${Alert}>`}
      ${refused.length > 0 && html`<h2 class="section-heading">${t('import.report')}</h2>
        <div class="table-wrap"><table class="records" data-testid="import-report">
          <thead><tr><th>${t('import.line')}</th><th>${t('import.field')}</th><th>${t('import.problem')}</th></tr></thead>
          <tbody>${refused.flatMap((r) => r.problems.map((p) => html`<tr data-line=${r.line}><td class="num">${r.line}</td><td>${p.path ? label(p.path) : ''}</td><td>${p.message}</td></tr>`))}</tbody>
        </table></div>`}
    </section>`;
}
