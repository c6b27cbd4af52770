/**
 * The demo on first start (API.md "Running it"): installed on a new database unless DEMO=0,
 * never twice, the same for the same seed and day, and written so that the maintained
 * department column and counts agree with the rows (what visibility and list totals read).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installDemosOnFirstStart as installDemoOnFirstStart } from '../../core/first-start-demo.js';
import { COUNTS_TABLE } from '../../core/data/scope-counts.js';
import { describeEachDialect } from '../support/databases.js';
import type { TestApp } from '../support/app.js';
import { all, body, installDemo, startCrm } from './demo-app.js';

const TODAY = new Date('2026-06-15T12:00:00Z');

describeEachDialect('CRM demo installation', (dialect) => {
  let app: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await startCrm(dialect);
  });
  afterAll(async () => app?.close());

  const departments = async () => body(await (await app.admin()).get('/api/data/department?pageSize=1')).meta.total;

  it('DEMO=0 starts without the demo; a new database gets it once, with the logins the README lists', async () => {
    expect(await installDemoOnFirstStart(app.stratum, { DEMO: '0' }, (l) => lines.push(l))).toBeUndefined();
    expect(await departments()).toBe(0);
    // Two processes starting on the new database at once: one installs, the other leaves it.
    const started = await Promise.all([1, 2].map(() => installDemoOnFirstStart(app.stratum, { DEMO_PASSWORD: 'chosen-password' }, (l) => lines.push(l), { customers: 30, today: TODAY })));
    expect(started.filter((d) => d !== undefined)).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('Another process is installing the demo'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('Installed the demo CRM');
    expect(lines.at(-1)).not.toContain('chosen-password');
    for (const login of ['sales_a', 'sales_b', 'sales_c', 'sales_d', 'manager', 'teacher', 'teacher_linux', 'student']) {
      expect(body(await (await app.client().login(login, 'chosen-password')).get('/api/auth/me')).user.username).toBe(login);
    }
    expect(await departments()).toBe(9);
    // A second start leaves the database alone.
    expect(await installDemoOnFirstStart(app.stratum, {}, (l) => lines.push(l))).toBeUndefined();
    expect(await departments()).toBe(9);
  });

  it('the maintained department column and counts agree with the rows the demo wrote', async () => {
    const db = app.stratum.db;
    const q = (s: string) => db.quote(s);
    const graph = await app.stratum.registry.graph();
    const scoped = [...graph.modules.values()].filter((m) => m.scopeColumn);
    expect(scoped.map((m) => m.name)).toEqual(expect.arrayContaining(['customer', 'followup', 'enrollment', 'payment', 'student', 'class_member', 'attendance', 'homework', 'referral', 'employment']));
    for (const module of scoped) {
      const rows = await db.all({ sql: `SELECT COALESCE(${q(module.scopeColumn!.column)}, '') AS scope, COUNT(*) AS n FROM ${q(module.table)} GROUP BY COALESCE(${q(module.scopeColumn!.column)}, '')`, params: [] });
      const counted = await db.all({ sql: `SELECT ${q('scope')} AS scope, SUM(${q('n')}) AS n FROM ${q(COUNTS_TABLE)} WHERE ${q('module')} = $1 GROUP BY ${q('scope')} HAVING SUM(${q('n')}) <> 0`, params: [module.name] });
      const asMap = (r: Record<string, unknown>[]) => new Map(r.map((x) => [String(x.scope), Number(x.n)]));
      expect(asMap(counted), module.name).toEqual(asMap(rows));
    }
    // Each customer's copy is its consultant's department code.
    const admin = await app.admin();
    const customers = await all(admin, 'customer', undefined, '&fields=consultant.department.code');
    const copies = new Map((await db.all({ sql: `SELECT ${q('id')} AS id, ${q('_scope')} AS scope FROM ${q('customer')}`, params: [] })).map((r) => [Number(r.id), String(r.scope)]));
    for (const c of customers) expect(copies.get(c.id)).toBe(c.consultant.department.code);
  });

  it('every role reaches every base of every CRM module by one path: no rule fails closed by ambiguity', async () => {
    const admin = await app.admin();
    const users = await all(admin, 'user', { username: { ne: 'admin' } }, '&fields=username');
    const modules = body(await admin.get('/api/modules')).data.filter((m: { source: string }) => m.source === 'file').map((m: { name: string }) => m.name);
    expect(modules).toEqual(expect.arrayContaining(['customer', 'followup', 'class', 'class_member', 'homework']));
    for (const user of users) {
      for (const module of modules) {
        const explained = body(await admin.get(`/api/data/${module}/explain?user=${user.id}`));
        for (const [action, scope] of Object.entries<any>(explained.actions)) {
          for (const base of scope.bases ?? []) expect(base.error, `${user.username} ${action} ${module}: ${base.base}`).toBeUndefined();
        }
      }
    }
  });

  it('the same seed and day give the same demo', async () => {
    const other = await startCrm(dialect);
    try {
      await installDemo(other.stratum, { customers: 30, today: TODAY });
      const fingerprint = async (t: TestApp) => all(await t.admin(), 'customer', undefined, '&sort=phone&fields=name,phone,qq,source,status,enquiryDate,consultant.username');
      const strip = (rows: any[]) => rows.map(({ id: _id, consultant, ...rest }) => ({ ...rest, consultant: consultant.username }));
      const mine = strip(await fingerprint(app));
      expect(mine.length).toBe(38);
      expect(strip(await fingerprint(other))).toEqual(mine);
    } finally {
      await other.close();
    }
  });
});
