/** The reports' pages and their menu group; a report is offered only to those who may read what it counts. */
import { html } from 'htm/preact';
import { ErrorPanel } from '../components/feedback.js';
import { t } from '../i18n.js';
import { match, type Location } from '../router.js';
import type { Session } from '../session.js';
import { canSeeSalesReport } from './sales-report-data.js';
import { SalesReportPage } from './sales-report-page.js';

const REPORTS = [
  { href: '/reports/sales', label: () => t('report.sales'), testid: 'menu-sales-report', offered: (s: Session) => canSeeSalesReport(s.meta) },
] as const;

export function reportPage(session: Session, location: Location) {
  if (match('/reports/sales', location.path) && canSeeSalesReport(session.meta)) return html`<${SalesReportPage} session=${session} location=${location} />`;
  return html`<${ErrorPanel} message=${`No page at ${location.path}`} />`;
}

export function ReportsMenu({ session, path }: { session: Session; path: string }) {
  const links = REPORTS.filter((r) => r.offered(session));
  if (links.length === 0) return null;
  return html`<h2 class="menu-heading" id="menu-reports">${t('nav.reports')}</h2>
    <ul aria-labelledby="menu-reports">${links.map((l) => html`<li><a href=${l.href} class=${path.startsWith(l.href) ? 'active' : ''} aria-current=${path.startsWith(l.href) ? 'page' : undefined} data-testid=${l.testid}>${l.label()}</a></li>`)}</ul>`;
}
