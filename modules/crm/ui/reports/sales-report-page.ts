/** `/reports/sales`: the sales manager's monthly report, scoped by the viewer's rules. */
import { html, ChartCanvas, formatPercent, isMonth, useEffect, useState, api, messageOf, Alert, Breadcrumbs, ErrorPanel, Loading, enumTitle, navigate, withQuery, onUnauthenticated, type FieldMeta, type Rec, type Location, type PageProps, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { canSeeSalesReport, loadSalesReport, type ReportParams, type SalesReport } from './sales-report-data.js';

const PERIODS = [12, 24] as const;

const thisMonth = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

export function readReportParams(query: URLSearchParams): ReportParams {
  const months = Number(query.get('months'));
  const until = query.get('until');
  return {
    until: isMonth(until) ? until : thisMonth(),
    months: (PERIODS as readonly number[]).includes(months) ? months : 12,
    department: query.get('dept') || undefined,
  };
}

const amount = (n: number) => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = (n: number) => n.toLocaleString();
/** Up or down, for the colour of a change (the sign is in the text too). */
const trend = (c: number | null) => (c === null ? 'change' : c > 0 ? 'change up' : c < 0 ? 'change down' : 'change');

/** The page the plugin declares at /reports/sales; without the fields it counts (no grant on them) there is none. */
export function SalesReportRoute({ session, location }: PageProps) {
  if (!session || !canSeeSalesReport(session.meta)) return html`<${ErrorPanel} message=${`No page at ${location.path}`} />`;
  return html`<${SalesReportPage} session=${session} location=${location} />`;
}

function SalesReportPage({ session, location }: { session: Session; location: Location }) {
  const params = readReportParams(location.query);
  const [report, setReport] = useState<SalesReport>();
  const [error, setError] = useState<string>();
  const [departments, setDepartments] = useState<Rec[]>([]);

  useEffect(() => {
    let live = true;
    setError(undefined);
    setReport(undefined);
    loadSalesReport(params, session.meta).then(
      (r) => live && setReport(r),
      (e) => live && !onUnauthenticated(e) && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [params.until, params.months, params.department]);
  // The departments the viewer may see: theirs and those below, to narrow the report to one.
  useEffect(() => {
    if (!session.meta.has('department')) return;
    api.data('department').list({ fields: ['code', 'name'], sort: 'code', pageSize: 100 }).then((r) => setDepartments(r.data), () => undefined);
  }, []);

  const set = (changes: Record<string, string | undefined>) => navigate(withQuery(location, changes), { replace: true });
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

  return html`<${Breadcrumbs} items=${[{ label: t('nav.reports') }, { label: t('report.sales') }]} />
    <div class="page-head"><h1>${t('report.sales')}</h1></div>
    <p class="muted">${t('report.intro')}</p>
    <div class="toolbar chart-controls">
      <label>${t('report.period')}
        <select value=${String(params.months)} onChange=${(e: Event) => set({ months: value(e) })} data-testid="report-months">
          ${PERIODS.map((n) => html`<option value=${n}>${t('report.lastMonths', { n })}</option>`)}
        </select></label>
      <label>${t('report.until')}
        <input type="month" value=${params.until} onChange=${(e: Event) => isMonth(value(e)) && set({ until: value(e) })} data-testid="report-until" /></label>
      ${departments.length > 0 && html`<label>${t('report.department')}
        <select value=${params.department ?? ''} onChange=${(e: Event) => set({ dept: value(e) || undefined })} data-testid="report-department">
          <option value="">${t('report.allDepartments')}</option>
          ${departments.map((d) => html`<option value=${d.code}>${d.code} ${d.name}</option>`)}
        </select></label>`}
    </div>
    ${error && html`<${Alert}>${error}</${Alert}>`}
    ${!report && !error ? html`<${Loading} />` : report && html`<div class="report-grid">
      <${SalesSection} report=${report} />
      <${SourcesSection} report=${report} source=${session.meta.get('customer')?.fields.find((f) => f.name === 'source')} />
      <${ConversionSection} report=${report} />
      <${ClassesSection} report=${report} />
    </div>`}`;
}

function Section({ title, hint, testid, children }: { title: string; hint?: string; testid: string; children: unknown }) {
  return html`<section class="panel report-section" data-testid=${testid} aria-labelledby=${`${testid}-title`}>
    <h2 id=${`${testid}-title`}>${title}</h2>
    ${hint && html`<p class="muted report-hint">${hint}</p>`}
    ${children}
  </section>`;
}

function SalesSection({ report }: { report: SalesReport }) {
  const total = report.sales.reduce((s, r) => s + r.amount, 0);
  return html`<${Section} title=${t('report.salesAmount')} hint=${t('report.salesHint')} testid="report-sales">
    <${ChartCanvas} kind="bar" labels=${report.months} title=${t('report.salesAmount')}
      series=${[{ label: t('report.amount'), values: report.sales.map((r) => r.amount) }, { label: t('report.lastYear'), values: report.sales.map((r) => r.lastYear) }]} />
    <table class="records report-table">
      <thead><tr><th scope="col">${t('report.month')}</th><th scope="col" class="num">${t('report.amount')}</th><th scope="col" class="num">${t('report.mom')}</th><th scope="col" class="num">${t('report.yoy')}</th></tr></thead>
      <tbody>${report.sales.map((r) => html`<tr data-key=${r.month}>
        <td>${r.month}</td>
        <td class="num" data-column="amount">${amount(r.amount)}</td>
        <td class=${`num ${trend(r.mom)}`} data-column="mom">${formatPercent(r.mom)}</td>
        <td class=${`num ${trend(r.yoy)}`} data-column="yoy">${formatPercent(r.yoy)}</td>
      </tr>`)}</tbody>
      <tfoot><tr><th scope="row">${t('report.total')}</th><td class="num" data-column="amount">${amount(total)}</td><td></td><td></td></tr></tfoot>
    </table>
  </${Section}>`;
}

function SourcesSection({ report, source }: { report: SalesReport; source: FieldMeta | undefined }) {
  const label = (s: string | null) => (s === null ? t('chart.none') : enumTitle(source, s));
  return html`<${Section} title=${t('report.sources')} testid="report-sources">
    ${report.sources.length === 0 ? html`<p class="muted">${t('report.noData')}</p>` : html`
      <${ChartCanvas} kind="pie" labels=${report.sources.map((s) => label(s.source))} title=${t('report.sources')}
        series=${[{ label: t('report.customers'), values: report.sources.map((s) => s.count) }]} />
      <table class="records report-table">
        <thead><tr><th scope="col">${t('report.source')}</th><th scope="col" class="num">${t('report.customers')}</th><th scope="col" class="num">${t('report.share')}</th><th scope="col" class="num">${t('report.enrolled')}</th><th scope="col" class="num">${t('report.rate')}</th></tr></thead>
        <tbody>${report.sources.map((s) => html`<tr data-key=${s.source ?? ''}><td>${label(s.source)}</td><td class="num" data-column="count">${whole(s.count)}</td><td class="num" data-column="share">${formatPercent(s.share, false)}</td>
          <td class="num" data-column="enrolled">${whole(s.enrolled)}</td><td class="num" data-column="rate">${formatPercent(s.rate, false)}</td></tr>`)}</tbody>
      </table>`}
  </${Section}>`;
}

function ConversionSection({ report }: { report: SalesReport }) {
  return html`<${Section} title=${t('report.conversion')} hint=${t('report.conversionHint')} testid="report-conversion">
    <${ChartCanvas} kind="bar" labels=${report.months} title=${t('report.conversion')}
      series=${[{ label: t('report.customers'), values: report.conversion.map((c) => c.customers) }, { label: t('report.rate'), values: report.conversion.map((c) => c.rate), line: true, percent: true }]} />
    <table class="records report-table">
      <thead><tr><th scope="col">${t('report.month')}</th><th scope="col" class="num">${t('report.customers')}</th><th scope="col" class="num">${t('report.enrolled')}</th><th scope="col" class="num">${t('report.rate')}</th></tr></thead>
      <tbody>${report.conversion.map((c) => html`<tr data-key=${c.month}><td>${c.month}</td><td class="num" data-column="customers">${whole(c.customers)}</td><td class="num" data-column="enrolled">${whole(c.enrolled)}</td><td class="num" data-column="rate">${formatPercent(c.rate, false)}</td></tr>`)}</tbody>
    </table>
  </${Section}>`;
}

function ClassesSection({ report }: { report: SalesReport }) {
  return html`<${Section} title=${t('report.classes')} hint=${t('report.classesHint')} testid="report-classes">
    ${report.classes.length === 0 ? html`<p class="muted">${t('report.noData')}</p>` : html`
      <${ChartCanvas} kind="bar" labels=${report.classes.map((c) => c.name)} title=${t('report.classes')}
        series=${[{ label: t('report.enrollments'), values: report.classes.map((c) => c.count) }]} />
      <table class="records report-table">
        <thead><tr><th scope="col">${t('report.class')}</th><th scope="col" class="num">${t('report.enrollments')}</th></tr></thead>
        <tbody>${report.classes.map((c) => html`<tr data-key=${String(c.id ?? '')}><td>${c.name}</td><td class="num" data-column="count">${whole(c.count)}</td></tr>`)}</tbody>
      </table>`}
  </${Section}>`;
}
