/** `/m/:module/chart`: any module's records counted or summed by one field, as a chart and a table. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { messageOf, type FieldMeta, type ModuleMeta, type Rec } from '../api.js';
import { Alert, Breadcrumbs, ErrorPanel, Loading } from '../components/feedback.js';
import { parseRows, rowsToFilter } from '../components/filter-builder.js';
import { formatValue, recordLabel } from '../format.js';
import { currentLang, fieldTitle, moduleTitle, t } from '../i18n.js';
import { navigate, withQuery, type Location } from '../router.js';
import { onUnauthenticated, type Session } from '../session.js';
import { ChartCanvas } from './chart-canvas.js';
import { BUCKETS, CHART_KINDS, groupExprs, groupFields, isDate, measureFields, metricExpr, readChartState, type ChartState } from './chart-options.js';
import { fetchAggregate } from './fetch-aggregate.js';
import { toNumber } from './period-change.js';

export function ChartPage({ session, module: name, location }: { session: Session; module: string; location: Location }) {
  const m = session.meta.get(name);
  if (!m) return html`<${ErrorPanel} message=${t('error.unknownModule', { module: name })} />`;
  return html`<${ModuleChart} session=${session} m=${m} location=${location} />`;
}

interface Point {
  key: string;
  label: string;
  value: number;
}

function ModuleChart({ session, m, location }: { session: Session; m: ModuleMeta; location: Location }) {
  const state = readChartState(location.query, m);
  const rows = parseRows(location.query.get('f'), m);
  const filter = rowsToFilter(rows, m, session.meta);
  const groupBy = state.by ? groupExprs(state, session.meta) : [];
  const metric = metricExpr(state);
  const [points, setPoints] = useState<Point[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!state.by) return;
    let live = true;
    setError(undefined);
    fetchAggregate({ module: m.name, groupBy, metrics: [metric], filter }).then(
      (data) => live && setPoints(toPoints(data, state, groupBy, metric, session.meta)),
      (e) => live && !onUnauthenticated(e) && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
    // The language too: the points carry their labels (enum titles, `none`) in it.
  }, [m.name, groupBy.join(','), metric, JSON.stringify(filter ?? null), currentLang()]);

  const title = moduleTitle(m);
  const listHref = `/m/${m.name}${location.query.get('f') ? `?f=${encodeURIComponent(location.query.get('f')!)}` : ''}`;
  const set = (changes: Record<string, string | undefined>) => navigate(withQuery(location, changes), { replace: true });
  const picked = (e: Event) => (e.target as HTMLSelectElement).value;
  const metricLabel = state.fn === 'count' ? t('chart.count') : t(state.fn === 'sum' ? 'chart.sum' : 'chart.avg', { field: fieldTitle(state.of!) });
  const total = points && state.fn !== 'avg' ? points.reduce((s, p) => s + p.value, 0) : undefined;
  const number = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 2 });

  return html`<${Breadcrumbs} items=${[{ label: title, href: listHref }, { label: t('list.chart') }]} />
    <div class="page-head">
      <h1>${t('chart.title', { module: title })}</h1>
      <span class="spacer"></span>
      <a class="button" href=${listHref}>${t('chart.backToList')}</a>
    </div>
    <p class="muted">${t('chart.intro')}${rows.length > 0 ? ` ${t('chart.filtered', { n: rows.length })}` : ''}</p>
    ${!state.by ? html`<${Alert} kind="info">${t('chart.noGroups')}</${Alert}>` : html`
      <div class="toolbar chart-controls">
        <label>${t('chart.by')}
          <select value=${state.by.name} onChange=${(e: Event) => set({ by: picked(e), bucket: undefined, kind: undefined })} data-testid="chart-by">
            ${groupFields(m).map((f) => html`<option value=${f.name}>${fieldTitle(f)}</option>`)}
          </select></label>
        ${isDate(state.by) && html`<label>${t('chart.bucket')}
          <select value=${state.bucket} onChange=${(e: Event) => set({ bucket: picked(e) })} data-testid="chart-bucket">
            ${BUCKETS.map((b) => html`<option value=${b}>${t(`chart.bucket.${b}`)}</option>`)}
          </select></label>`}
        <label>${t('chart.metric')}
          <select value=${state.fn === 'count' ? 'count' : `${state.fn}:${state.of!.name}`} data-testid="chart-metric" onChange=${(e: Event) => set({ metric: picked(e) === 'count' ? undefined : picked(e) })}>
            <option value="count">${t('chart.count')}</option>
            ${measureFields(m).flatMap((f) => [
              html`<option value=${`sum:${f.name}`}>${t('chart.sum', { field: fieldTitle(f) })}</option>`,
              html`<option value=${`avg:${f.name}`}>${t('chart.avg', { field: fieldTitle(f) })}</option>`,
            ])}
          </select></label>
        <label>${t('chart.kind')}
          <select value=${state.kind} onChange=${(e: Event) => set({ kind: picked(e) })} data-testid="chart-kind">
            ${CHART_KINDS.map((k) => html`<option value=${k}>${t(`chart.kind.${k}`)}</option>`)}
          </select></label>
      </div>
      ${error && html`<${Alert}>${error}</${Alert}>`}
      ${!points && !error ? html`<${Loading} />` : points && points.length === 0 ? html`<div class="empty" data-testid="empty"><p>${t('chart.empty')}</p></div>` : points && html`
        <section class="panel report-section">
          <${ChartCanvas} kind=${state.kind} labels=${points.map((p) => p.label)} title=${`${metricLabel} · ${fieldTitle(state.by)}`}
            series=${[{ label: metricLabel, values: points.map((p) => p.value) }]} testid="chart" />
          <table class="records report-table" data-testid="chart-table">
            <thead><tr><th scope="col">${fieldTitle(state.by)}</th><th scope="col" class="num">${metricLabel}</th></tr></thead>
            <tbody>${points.map((p) => html`<tr data-key=${p.key}><td>${p.label}</td><td class="num" data-column="value">${number(p.value)}</td></tr>`)}</tbody>
            ${total !== undefined && html`<tfoot><tr><th scope="row">${t('chart.total')}</th><td class="num" data-column="value">${number(total)}</td></tr></tfoot>`}
          </table>
        </section>`}`}`;
}

/** Aggregate rows as points: dates in time order, other groups largest first. */
function toPoints(data: Rec[], s: ChartState, groupBy: string[], metric: string, meta: ReadonlyMap<string, ModuleMeta>): Point[] {
  const by = s.by!;
  const points = data.map((r) => {
    const key = r[groupBy[0]!];
    return { key: key === null || key === undefined ? '' : String(key), label: label(key, groupBy[1] ? r[groupBy[1]] : undefined, by, meta), value: toNumber(r[metric]) };
  });
  return isDate(by) ? points.sort((a, b) => a.key.localeCompare(b.key)) : points.sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
}

function label(key: unknown, name: unknown, by: FieldMeta, meta: ReadonlyMap<string, ModuleMeta>): string {
  if (key === null || key === undefined) return t('chart.none');
  if (isDate(by)) return String(key);
  if (by.ref) return name !== null && name !== undefined && name !== '' ? String(name) : recordLabel(key, meta.get(by.ref));
  return formatValue(key, by);
}
