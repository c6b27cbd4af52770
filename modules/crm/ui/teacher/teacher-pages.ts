/** The teacher pages (S-13..S-16) under /teach/; what each shows is what the API lets the caller read. */
import { html } from 'htm/preact';
import { ErrorPanel } from '../components/feedback.js';
import { match, type Location } from '../router.js';
import type { Session } from '../session.js';
import { TeacherClassPage } from './class-page.js';
import { HomeworkPage } from './homework-page.js';
import { RollCallPage } from './roll-call-page.js';

export function teacherPage(session: Session, { path }: Location) {
  let p: Record<string, string> | undefined;
  if ((p = match('/teach/classes/:id', path))) return html`<${TeacherClassPage} key=${p.id} session=${session} id=${Number(p.id)} />`;
  if ((p = match('/teach/lessons/:id/attendance', path))) return html`<${RollCallPage} key=${p.id} session=${session} id=${Number(p.id)} />`;
  if ((p = match('/teach/lessons/:id/homework', path))) return html`<${HomeworkPage} key=${p.id} session=${session} id=${Number(p.id)} />`;
  return html`<${ErrorPanel} message=${`No page at ${path}`} />`;
}
