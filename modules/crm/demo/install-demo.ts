import type { DemoContext, DemoResult } from '../../../core/plugins/define-plugin.js';
import { installArticles, installCatalogue, type Catalogue } from './catalogue.js';
import { isoDay } from './dates.js';
import { installRoles, type CrmRole } from './install-roles.js';
import { RecordWriter } from './record-writer.js';
import { installServiceAccount } from './service-account.js';
import { ACCOUNTS, installAccounts, installDepartments, type DemoLogin, type DepartmentCode } from './organisation.js';
import { Random } from './random.js';
import { installSalesHistory, type SalesHistory } from './sales-history.js';
import { installTeaching, type Teaching } from './teaching.js';

/** The password of every demo login (README "Demo"); DEMO_PASSWORD overrides it. */
export const DEMO_PASSWORD = 'stratum-demo';

/** The demo's settings (`options` of its context): tests ask for a smaller, fixed demo. */
export interface DemoOptions {
  /** Customers besides the scenarios' own; a few hundred by default. Tests ask for fewer. */
  readonly customers?: number;
  /** The PRNG seed: the same seed and day give the same demo. */
  readonly seed?: number;
  /** The last day of the history (the demo's "today"); the real today by default. */
  readonly today?: Date;
}

/** What was installed, by the names the scenarios use. */
export interface Demo extends DemoResult {
  readonly today: string;
  readonly password: string;
  readonly departments: Record<DepartmentCode, number>;
  readonly roles: Record<CrmRole, number>;
  readonly users: Record<DemoLogin, number>;
  readonly catalogue: Catalogue;
  readonly history: SalesHistory;
  readonly teaching: Teaching;
}

/**
 * The CRM plugin's demo: on its modules (modules/crm/metadata), the company's department tree,
 * the roles as permissions and rules, the demo logins, the courses, campuses and classes, 14
 * months of customers, follow-ups, enrollments and payments, and a running class with lessons and
 * homework. Everything goes through the plugin's data access as the built-in admin, so the
 * maintained department column and counts are right.
 */
export async function installDemo(ctx: DemoContext<any>): Promise<Demo> {
  const opts = ctx.options as DemoOptions;
  const today = isoDay(opts.today ?? new Date());
  const password = ctx.password ?? DEMO_PASSWORD;
  const random = new Random(opts.seed ?? 20240601);
  const writer = new RecordWriter(ctx);
  const departments = await installDepartments(writer);
  const roles = await installRoles(writer);
  const users = await installAccounts(writer, departments, roles, password);
  await installServiceAccount(writer, departments['0030']);
  const catalogue = await installCatalogue(writer, users, today);
  await installArticles(writer, catalogue.courses);
  const count = opts.customers ?? 300;
  ctx.log(`Installing the demo CRM: ${count} customers with 14 months of history…`);
  const history = await installSalesHistory(writer, random, today, count, users, catalogue, users.student);
  const teaching = await installTeaching(writer, random, today, users, catalogue, history.enrolled, history.students.studentA);
  return { title: 'CRM', logins: ACCOUNTS.map((a) => a.username), today, password, departments, roles, users, catalogue, history, teaching };
}
