/**
 * The CRM's client part: the components its plugin definition (../plugin.ts) places in the admin
 * UI, by the names it gives them, and the stylesheet they use.
 */
import './crm.css';
import { defineClient, html, type PageProps } from '../../../ui/plugin-sdk.js';
import { EnrollmentActions } from './enrollment/enrollment-actions.js';
import { EnrollmentNote } from './enrollment/enrollment-note.js';
import { StartEnrollment } from './enrollment/start-enrollment.js';
import { PortalPage } from './portal/portal-page.js';
import { EnrollmentPage } from './public/enrollment-page.js';
import { SalesReportRoute } from './reports/sales-report-page.js';
import { MyClasses } from './teacher/my-classes.js';
import { LessonHomework, LessonRollCall, TeacherClass } from './teacher/teacher-pages.js';

const Enroll = ({ params }: PageProps) => html`<${EnrollmentPage} key=${params.token} token=${params.token} />`;

export default defineClient({
  components: {
    StartEnrollment, EnrollmentActions, EnrollmentNote, Enroll,
    TeacherClass, LessonRollCall, LessonHomework, MyClasses,
    PortalPage, SalesReport: SalesReportRoute,
  },
});
