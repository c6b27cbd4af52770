import type { Stratum } from '../stratum.js';
import { installArticles, installCatalogue, type Catalogue } from './catalogue.js';
import { isoDay } from './dates.js';
import { EngineWriter } from './engine-writer.js';
import { installRoles, type CrmRole } from './install-roles.js';
import { installServiceAccount } from './service-account.js';
import { installAccounts, installDepartments, type DemoLogin, type DepartmentCode } from './organisation.js';
import { Random } from './random.js';
import { installSalesHistory, type SalesHistory } from './sales-history.js';
import { installTeaching, type Teaching } from './teaching.js';

/** The password of every demo login (README "Demo"); DEMO_PASSWORD overrides it. */
export const DEMO_PASSWORD = 'stratum-demo';

export interface DemoOptions {
  /** Customers besides the scenarios' own; a few hundred by default. Tests ask for fewer. */
  readonly customers?: number;
  /** The PRNG seed: the same seed and day give the same demo. */
  readonly seed?: number;
  /** The last day of the history (the demo's "today"); the real today by default. */
  readonly today?: Date;
  readonly password?: string;
  readonly log?: (line: string) => void;
}

/** What was installed, by the names the scenarios use. */
export interface Demo {
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
 * Installs the demo CRM's data on the CRM modules (metadata/crm): the departments of V-1, the
 * roles as permissions and rules, the demo logins, the courses, campuses and classes of
 * S-17..S-19, 14 months of customers, follow-ups, enrollments and payments, and a running class
 * with lessons and homework. Everything goes through the engine's create and update as the
 * built-in admin, so the maintained department column and counts are right.
 */
export async function installDemo(stratum: Stratum, opts: DemoOptions = {}): Promise<Demo> {
  const log = opts.log ?? (() => undefined);
  const today = isoDay(opts.today ?? new Date());
  const password = opts.password ?? DEMO_PASSWORD;
  const random = new Random(opts.seed ?? 20240601);
  const writer = await EngineWriter.open(stratum);
  const departments = await installDepartments(writer);
  const roles = await installRoles(writer);
  const users = await installAccounts(writer, departments, roles, password);
  await installServiceAccount(stratum, writer, departments['0030']);
  const catalogue = await installCatalogue(writer, users, today);
  await installArticles(writer, catalogue.courses);
  const count = opts.customers ?? 300;
  log(`Installing the demo CRM: ${count} customers with 14 months of history…`);
  const history = await installSalesHistory(writer, random, today, count, users, catalogue, users.student);
  const teaching = await installTeaching(writer, random, today, users, catalogue, history.enrolled, history.students.studentA);
  return { today, password, departments, roles, users, catalogue, history, teaching };
}

/**
 * Whether the demo belongs in this database: nobody has created a department or a user besides
 * the built-in admin yet (a first start), and the CRM modules are installed.
 */
export async function wantsDemo(stratum: Stratum): Promise<boolean> {
  const graph = await stratum.registry.graph();
  if (!['customer', 'class', 'student'].every((m) => graph.modules.has(m))) return false;
  const q = (s: string) => stratum.db.quote(s);
  const count = async (table: string, where = '') => Number((await stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(table)}${where}`, params: [] }))[0]!.n);
  return (await count('department')) === 0 && (await count('user', ` WHERE ${q('username')} <> 'admin'`)) === 0;
}
