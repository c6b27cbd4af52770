/** The teacher pages under /teach/, as the plugin declares them; what each shows is what the API lets the caller read. */
import { html, type PageProps, type Session } from '../../../../ui/plugin-sdk.js';
import { TeacherClassPage } from './class-page.js';
import { HomeworkPage } from './homework-page.js';
import { RollCallPage } from './roll-call-page.js';

// Declared behind login: there is a session.
const own = (session: Session | null) => session!;

export const TeacherClass = ({ session, params }: PageProps) => html`<${TeacherClassPage} key=${params.id} session=${own(session)} id=${Number(params.id)} />`;
export const LessonRollCall = ({ session, params }: PageProps) => html`<${RollCallPage} key=${params.id} session=${own(session)} id=${Number(params.id)} />`;
export const LessonHomework = ({ session, params }: PageProps) => html`<${HomeworkPage} key=${params.id} session=${own(session)} id=${Number(params.id)} />`;
