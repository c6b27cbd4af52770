/**
 * The student portal: pages made for a student, under /portal. Each page loads the
 * student record linked to the login first; a login without one is told so instead of seeing
 * empty pages.
 */
import { html, Alert, Breadcrumbs, ErrorPanel, Loading, match, type PageProps, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { ClassPage } from './class-page.js';
import { HelpPage } from './help-page.js';
import { OverviewPage } from './overview-page.js';
import { ReferralPage } from './referral-page.js';
import { loadSelf, type StudentSelf } from './student.js';
import { useLoad } from './use-load.js';

type Tab = 'overview' | 'referral' | 'help';

/** Every portal page (the plugin declares /portal, /portal/classes/:id, /portal/referral and /portal/help): the tab its path names. */
export function PortalPage({ session: given, location }: PageProps) {
  // Declared behind login: there is a session.
  const session = given!;
  const { path } = location;
  const portal = (key: string, tab: Tab, page: (self: StudentSelf) => unknown) => html`<${Portal} key=${key} session=${session} tab=${tab} page=${page} />`;
  let p: Record<string, string> | undefined;
  if (path === '/portal' || path === '/portal/') return portal('overview', 'overview', (self) => html`<${OverviewPage} self=${self} />`);
  if ((p = match('/portal/classes/:id', path))) {
    const id = Number(p.id);
    return portal(`class/${id}`, 'overview', (self) => html`<${ClassPage} self=${self} classId=${id} />`);
  }
  if (path === '/portal/referral') return portal('referral', 'referral', (self) => html`<${ReferralPage} self=${self} />`);
  if (path === '/portal/help') return portal('help', 'help', (self) => html`<${HelpPage} self=${self} session=${session} location=${location} />`);
  return html`<${ErrorPanel} message=${`No page at ${path}`} />`;
}

const TABS: readonly { tab: Tab; href: string; label: () => string }[] = [
  { tab: 'overview', href: '/portal', label: () => t('portal.tab.overview') },
  { tab: 'referral', href: '/portal/referral', label: () => t('portal.tab.referral') },
  { tab: 'help', href: '/portal/help', label: () => t('portal.tab.help') },
];

function Portal({ session, tab, page }: { session: Session; tab: Tab; page: (self: StudentSelf) => unknown }) {
  const self = useLoad(() => loadSelf(session.me), [session.me.id]);
  const current = TABS.find((x) => x.tab === tab)!;
  return html`<${Breadcrumbs} items=${[{ label: t('portal.title'), href: '/portal' }, ...(tab === 'overview' ? [] : [{ label: current.label() }])]} />
    <nav class="portal-tabs" aria-label=${t('portal.title')} data-testid="portal-tabs">
      ${TABS.map((x) => html`<a href=${x.href} class=${x.tab === tab ? 'active' : ''} aria-current=${x.tab === tab ? 'page' : undefined}>${x.label()}</a>`)}
    </nav>
    ${self.error ? html`<${ErrorPanel} message=${self.error} onRetry=${self.reload} />`
      : self.data === undefined ? html`<${Loading} />`
      : self.data === null ? html`<${Alert} kind="info" testid="portal-no-student">${t('portal.noStudent')}</${Alert}>`
      : page(self.data)}`;
}
