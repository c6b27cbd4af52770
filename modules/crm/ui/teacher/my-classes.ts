/** The home page's "My classes" for a teacher: each class they teach, where and when, and how many study in it. */
import { html, useEffect, useState, messageOf, Alert, onUnauthenticated, type Rec, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { classStatus, dateRange } from './teacher-words.js';
import { studentCounts, taughtClasses } from './teacher-data.js';

/** Shown to whoever may read classes and their members and record lessons; renders nothing for one who teaches no class. */
export function MyClasses({ session }: { session: Session }) {
  const teaches = ['class', 'class_member'].every((m) => session.meta.has(m)) && !!session.meta.get('lesson')?.actions.includes('create');
  const [classes, setClasses] = useState<Rec[]>();
  const [counts, setCounts] = useState(new Map<unknown, number>());
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!teaches) return;
    taughtClasses(session.me.id)
      .then(async (found) => {
        setClasses(found);
        if (found.length > 0) setCounts(await studentCounts(found.map((c) => c.id as number)));
      })
      .catch((e) => !onUnauthenticated(e) && setError(messageOf(e)));
  }, [teaches, session.me.id]);
  // Nothing until the classes are known, so that one who may record lessons but teaches no class (an admin) never sees the heading flash.
  if (!teaches || (!error && !classes?.length)) return null;
  return html`<section class="my-classes" data-testid="my-classes" aria-labelledby="my-classes-heading">
    <h2 class="section-heading" id="my-classes-heading">${t('teacher.myClasses')}</h2>
    ${error && html`<${Alert}>${error}</${Alert}>`}
    ${classes && html`<p class="muted">${t('teacher.myClassesIntro')}</p>
      <ul class="cards class-cards">${classes.map((c) => html`<li><a class="card class-card" href=${`/teach/classes/${c.id}`} data-class=${c.name}>
        <strong>${c.name}</strong>
        <span class=${`teach-badge teach-badge-${c.status}`}>${classStatus(c.status)}</span>
        <span>${[c.course?.name, c.campus?.name].filter(Boolean).join(' · ')}</span>
        <span class="muted">${dateRange(c.startDate, c.endDate)}</span>
        <span data-testid="student-count">${t('teacher.studentCount', { n: counts.get(c.id) ?? 0 })}</span>
      </a></li>`)}</ul>`}
  </section>`;
}
