/**
 * What the CRM adds to the admin UI (`ui` of plugin.ts); the components are in ./ui. A record
 * action is offered per record by the server, as the caller: only what its route or the API then
 * accepts.
 */
import type { Customer, Enrollment, Modules } from '../../core/generated/modules.js';
import type { PluginUi, UiRecordAction } from '../../core/plugins/define-plugin.js';

/** Enrollment statuses with work to do on the record page; the other two close it. */
const WORKFLOW: readonly unknown[] = ['sent', 'submitted', 'approved'];
const CLOSED: readonly unknown[] = ['rejected', 'cancelled'];

/** The teacher pages and the portal show what the API lets the reader read; nothing more is needed to open them. */
const portal = (path: string) => ({ path, component: 'PortalPage', title: { en: 'My studies', zh: '我的学习' } });

export const crmUi: PluginUi<Modules> = {
  entry: new URL('./ui/index.ts', import.meta.url),
  pages: [
    { path: '/enroll/:token', component: 'Enroll', title: { en: 'Enrollment', zh: '报名' }, public: true },
    { path: '/teach/classes/:id', component: 'TeacherClass', title: { en: 'Class', zh: '班级' } },
    { path: '/teach/lessons/:id/attendance', component: 'LessonRollCall', title: { en: 'Roll call', zh: '点名' } },
    { path: '/teach/lessons/:id/homework', component: 'LessonHomework', title: { en: 'Homework', zh: '作业' } },
    portal('/portal'), portal('/portal/classes/:id'), portal('/portal/referral'), portal('/portal/help'),
    {
      path: '/reports/sales', component: 'SalesReport', title: { en: 'Sales report', zh: '销售报表' },
      menu: { section: { en: 'Reports', zh: '报表' } },
      requires: [{ module: 'customer', action: 'read' }, { module: 'enrollment', action: 'read' }, { module: 'payment', action: 'read' }],
    },
  ],
  recordActions: [
    // The enrollment's scope follows its customer's consultant: one who may not change the
    // customer may not work on an enrollment of theirs either.
    { name: 'startEnrollment', module: 'customer', component: 'StartEnrollment', title: { en: 'Start an enrollment', zh: '开始报名' }, allowed: (_customer, _ctx, can) => can.update } satisfies UiRecordAction<Customer, Modules>,
    // The link, review and approval routes refuse whoever may not update the enrollment.
    { name: 'enrollment', module: 'enrollment', component: 'EnrollmentActions', title: { en: 'Enrollment', zh: '报名' }, allowed: (e, _ctx, can) => WORKFLOW.includes(e.status) && can.update } satisfies UiRecordAction<Enrollment, Modules>,
    // No action there: a closed enrollment says so, and one the caller only sees says who works on it.
    { name: 'enrollmentNote', module: 'enrollment', component: 'EnrollmentNote', title: { en: 'Enrollment status', zh: '报名状态' }, allowed: (e, _ctx, can) => CLOSED.includes(e.status) || (WORKFLOW.includes(e.status) && !can.update) } satisfies UiRecordAction<Enrollment, Modules>,
  ],
  panels: [{ module: 'home', component: 'MyClasses', requires: [{ module: 'class', action: 'read' }, { module: 'class_member', action: 'read' }, { module: 'lesson', action: 'create' }] }],
  // A student's home is the portal made for them (the role enrollment approval gives new
  // students, ./enrollment/service-account.ts); the modules stay in the menu. Admins keep theirs.
  landing: [{ roles: ['student'], path: '/portal' }],
};
