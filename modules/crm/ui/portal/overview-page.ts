/**
 * At a glance: the student's classes (course, campus, dates, the course outline, their
 * grade and rank) and their contracts (the enrollment with the agreed contract's text).
 */
import { html, api, Alert, Loading, formatDateTime, type Rec } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import type { CrmKey } from '../words/index.js';
import { rankIn, type Rank } from './rank.js';
import type { StudentSelf } from './student.js';
import { useLoad } from './use-load.js';

interface Membership {
  member: Rec;
  rank?: Rank;
}

async function loadClasses(self: StudentSelf): Promise<Membership[]> {
  const members = await api.data('class_member').list({
    filter: { student: self.id },
    fields: ['score', 'status', 'joinedOn', 'class.name', 'class.startDate', 'class.endDate', 'class.course.name', 'class.course.outline', 'class.course.periodWeeks', 'class.campus.name'] as never,
    sort: '-joinedOn' as never,
    pageSize: 100,
  });
  return Promise.all(members.data.map(async (member: Rec) => ({ member, rank: await rankIn(Number(member.class?.id), member.score) })));
}

async function loadContracts(self: StudentSelf): Promise<Rec[]> {
  const found = await api.data('enrollment').list({
    filter: { student: self.id },
    fields: ['status', 'price', 'agreedAt', 'approvedAt', 'class.name', 'contractTemplate.name', 'contractTemplate.content'] as never,
    sort: '-id' as never,
    pageSize: 100,
  });
  return found.data;
}

export function OverviewPage({ self }: { self: StudentSelf }) {
  const classes = useLoad(() => loadClasses(self), [self.id]);
  const contracts = useLoad(() => loadContracts(self), [self.id]);
  document.title = `${t('portal.title')} · ${t('app.name')}`;
  return html`<h1>${t('portal.welcome', { name: self.name })}</h1>
    <p class="muted">${t('portal.intro')}</p>
    <h2 class="section-heading">${t('portal.classes')}</h2>
    ${classes.error && html`<${Alert}>${classes.error}</${Alert}>`}
    ${!classes.data && !classes.error && html`<${Loading} />`}
    ${classes.data?.length === 0 && html`<p class="empty">${t('portal.noClasses')}</p>`}
    <div class="portal-cards" data-testid="portal-classes">${classes.data?.map((m) => html`<${ClassCard} ...${m} />`)}</div>
    <h2 class="section-heading">${t('portal.contracts')}</h2>
    ${contracts.error && html`<${Alert}>${contracts.error}</${Alert}>`}
    ${!contracts.data && !contracts.error && html`<${Loading} />`}
    ${contracts.data?.length === 0 && html`<p class="empty">${t('portal.noContracts')}</p>`}
    <div class="portal-list" data-testid="portal-contracts">${contracts.data?.map((c) => html`<${Contract} contract=${c} />`)}</div>`;
}

function ClassCard({ member, rank }: Membership) {
  const cls = member.class ?? {};
  const course = cls.course ?? {};
  const dates = [cls.startDate, cls.endDate].filter(Boolean).join(' – ');
  return html`<article class="panel portal-card" data-testid="portal-class" data-class=${cls.id}>
    <h3><a href=${`/portal/classes/${cls.id}`}>${cls.name}</a></h3>
    <p class="muted">${[course.name, cls.campus?.name, dates].filter(Boolean).join(' · ')}</p>
    <${GradeLine} score=${member.score} rank=${rank} />
    ${course.outline && html`<details class="outline"><summary>${t('portal.outline')}</summary><p class="pre" data-testid="outline">${course.outline}</p></details>`}
    <p><a class="button" href=${`/portal/classes/${cls.id}`}>${t('portal.openClass')}</a></p>
  </article>`;
}

/** "Grade 87 · rank 3 of 12": the student's own numbers only. */
export function GradeLine({ score, rank }: { score: number | null | undefined; rank: Rank | undefined }) {
  if (score === null || score === undefined) return html`<p class="grade muted" data-testid="grade">${t('portal.notGraded')}</p>`;
  return html`<p class="grade" data-testid="grade">
    <span>${t('portal.grade')} <strong>${score}</strong></span>
    ${rank && html`<span data-testid="rank">${t('portal.rank', { rank: rank.rank, of: rank.of })}</span>`}
  </p>`;
}

const STATUS: Readonly<Record<string, CrmKey>> = {
  sent: 'portal.enrollment.sent', submitted: 'portal.enrollment.submitted', approved: 'portal.enrollment.approved',
  rejected: 'portal.enrollment.rejected', cancelled: 'portal.enrollment.cancelled',
};

function Contract({ contract }: { contract: Rec }) {
  const template = contract.contractTemplate;
  return html`<article class="panel" data-testid="portal-contract">
    <h3>${contract.class?.name}${template?.name && html` — ${template.name}`}</h3>
    <dl class="facts">
      <dt>${t('portal.status')}</dt><dd>${STATUS[contract.status] ? t(STATUS[contract.status]!) : contract.status}</dd>
      ${contract.price !== null && contract.price !== undefined && html`<dt>${t('enroll.price')}</dt><dd>${Number(contract.price).toLocaleString()}</dd>`}
      ${contract.agreedAt && html`<dt>${t('portal.agreedAt')}</dt><dd>${formatDateTime(contract.agreedAt)}</dd>`}
      ${contract.approvedAt && html`<dt>${t('portal.approvedAt')}</dt><dd>${contract.approvedAt}</dd>`}
    </dl>
    ${template?.content && html`<details class="outline"><summary>${t('portal.contractText')}</summary><div class="contract-text pre">${template.content}</div></details>`}
  </article>`;
}
