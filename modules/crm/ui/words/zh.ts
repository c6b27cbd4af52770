import type { CrmKey } from './en.js';
import { CRM_ZH } from './enrollment.js';
import { PORTAL_ZH } from './portal.js';
import { REPORT_ZH } from './reports.js';
import { TEACHER_ZH } from './teacher.js';

/** The CRM's words in Chinese. */
export const ZH: Record<CrmKey, string> = { ...CRM_ZH, ...TEACHER_ZH, ...PORTAL_ZH, ...REPORT_ZH };
