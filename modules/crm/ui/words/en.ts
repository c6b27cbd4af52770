import { CRM_EN } from './enrollment.js';
import { PORTAL_EN } from './portal.js';
import { REPORT_EN } from './reports.js';
import { TEACHER_EN } from './teacher.js';

/** The CRM's words in English; every key here must exist in zh.ts too (the compiler checks). */
export const EN = { ...CRM_EN, ...TEACHER_EN, ...PORTAL_EN, ...REPORT_EN };

export type CrmKey = keyof typeof EN;
