/**
 * V-6 navigation counts: a list of a module that reaches the department tree shows record counts
 * per department. The UI learns the path from `GET /api/meta/modules` (`departmentPath`) and asks
 * ONE aggregate grouped by `<path>.code`; the counts are what the caller may see, and a node's
 * subtree count equals the list's total for the same filter and search.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, type Client } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { body, startDemo, type CrmApp } from '../crm/demo-app.js';

const CODE = 'consultant.department.code';

describeEachDialect('V-6: navigation counts per department node', (dialect) => {
  let crm: CrmApp;
  let manager: Client;
  let salesB: Client;

  beforeAll(async () => {
    crm = await startDemo(dialect, 40);
    manager = await crm.as('manager');
    salesB = await crm.as('sales_b');
  });
  afterAll(async () => crm?.close());

  const meta = async (c: Client) => new Map<string, any>(body(await c.get('/api/meta/modules')).data.map((m: any) => [m.name, m]));
  const counts = async (c: Client, module: string, path: string, extra = '') => {
    const rows = body(await c.get(`/api/data/${module}/aggregate?groupBy=${encodeURIComponent(path)}&metrics=count()${extra}`)).data as Record<string, any>[];
    return new Map(rows.map((r) => [r[path] as string | null, r['count()'] as number]));
  };
  const subtree = (byCode: Map<string | null, number>, prefix: string) =>
    [...byCode].filter(([code]) => code !== null && code.startsWith(prefix)).reduce((n, [, count]) => n + count, 0);
  const total = async (c: Client, module: string, query: string) => body(await c.get(`/api/data/${module}?pageSize=1&${query}`)).meta.total as number;

  it('meta names the path to the department for modules that reach it, however far', async () => {
    for (const client of [crm.admin, manager, salesB]) {
      const modules = await meta(client);
      expect(modules.get('customer').departmentPath).toBe('consultant.department');
      expect(modules.get('followup').departmentPath).toBe('customer.consultant.department');
      expect(modules.get('course').departmentPath).toBeUndefined();
    }
    // The department module itself is the tree, not a list beside it.
    expect((await meta(crm.admin)).get('department').departmentPath).toBeUndefined();
  });

  it('meta leaves the path out when the caller may not group by it (P-1 filterFields)', async () => {
    const role = body(await crm.admin.post('/api/data/role', { name: 'name lookups' }), 201).id;
    await crm.admin.post('/api/data/permission', { role, module: 'customer', actions: ['read'], filterFields: ['name'] });
    const dept = body(await crm.admin.get(`/api/data/department?${filterParam({ code: '001002' })}`)).data[0].id;
    await crm.admin.post('/api/data/user', { username: 'lookup', password: 'password-for-tests', department: dept, roles: [role] });
    const lookup = await crm.app.client().login('lookup', 'password-for-tests');
    expect((await meta(lookup)).get('customer').departmentPath).toBeUndefined();
    expect((await lookup.get(`/api/data/customer/aggregate?groupBy=${CODE}`)).status).toBe(400);
  });

  it('a sales user of 001002 counts only their department; the manager of 0010 counts all three', async () => {
    const mine = await counts(salesB, 'customer', CODE);
    expect([...mine.keys()]).toEqual(['001002']);
    const theirs = await counts(manager, 'customer', CODE);
    expect([...theirs.keys()].filter((c) => c !== null).sort()).toEqual(['001001', '001002', '001003']);
    expect(mine.get('001002')).toBe(theirs.get('001002'));
    expect(subtree(theirs, '0010')).toBeGreaterThan(mine.get('001002')!);
  });

  it('a node\'s subtree count equals the list total for that code prefix, with the same filter and search', async () => {
    for (const [client, prefixes] of [[manager, ['0010', '001001', '001003']], [salesB, ['001002', '0010']]] as const) {
      // q=139: the customers whose phone (or name, or QQ) contains 139, some in each department.
      for (const [filter, q] of [[undefined, ''], [{ source: 'website' }, ''], [undefined, '139'], [{ status: 'following' }, '139']] as const) {
        const extra = `${filter ? `&${filterParam(filter)}` : ''}${q ? `&q=${q}` : ''}`;
        const byCode = await counts(client, 'customer', CODE, extra);
        const all = [...byCode.values()].reduce((a, b) => a + b, 0);
        expect(all).toBe(await total(client, 'customer', extra.slice(1)));
        if (q) expect(all).toBeLessThan(await total(client, 'customer', filter ? filterParam(filter) : ''));
        for (const prefix of prefixes) {
          const node = { [CODE]: { startsWith: prefix } };
          const listed = await total(client, 'customer', `${filterParam(filter ? { and: [filter, node] } : node)}${q ? `&q=${q}` : ''}`);
          expect(subtree(byCode, prefix), `${prefix} ${JSON.stringify(filter)} q=${q}`).toBe(listed);
        }
      }
    }
  });

  it('works three references away: follow-ups counted through customer → consultant → department', async () => {
    const path = `customer.${CODE}`;
    const mine = await counts(salesB, 'followup', path);
    expect([...mine.keys()]).toEqual(['001002']);
    expect(mine.get('001002')).toBe(await total(salesB, 'followup', ''));
    const theirs = await counts(manager, 'followup', path);
    expect(subtree(theirs, '001002')).toBe(mine.get('001002'));
  });

  it('a search that is not valid is a 400 naming q', async () => {
    const r = await salesB.get(`/api/data/customer/aggregate?groupBy=${CODE}&q=${'x'.repeat(201)}`);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: '/q' })]);
  });
});
