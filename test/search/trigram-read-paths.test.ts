/**
 * The million-row benchmark's Q3: a search through the trigram index is still scoped — a user's rules apply (AND),
 * unchanged — on every read path that takes `q`: the list and its total, aggregate and export.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';

describeEachDialect('a trigram-indexed search keeps the caller visibility', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let sam: Client;
  const ok = async (reply: Promise<{ status: number; body: any }>, status = 200) => {
    const r = await reply;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await ok(admin.post('/api/modules', {
      $id: 'lead', type: 'object',
      properties: {
        name: { type: 'string', maxLength: 100, 'x-search-index': 'trigram' },
        team: { type: 'string', enum: ['red', 'blue'] },
      },
      'x-list': { search: ['name'], sort: 'name' },
    }), 201);
    for (const [name, team] of [['Anna Hartmann', 'red'], ['Bo Artmann', 'blue'], ['Cai Hartmann', 'blue'], ['Dan Hartmann', 'red'], ['Eve Smith', 'red'], ['王 artman', 'red']]) {
      await ok(admin.post('/api/data/lead', { name, team }), 201);
    }
    const role = (await ok(admin.post('/api/data/role', { name: 'sales' }), 201)).id;
    await ok(admin.post('/api/data/permission', { role, module: 'lead', actions: ['read'] }), 201);
    const user = (await ok(admin.post('/api/data/user', { username: 'sam', password: 'sam-secret-1', name: 'Sam', roles: [role] }), 201)).id;
    await ok(admin.post('/api/data/rule', { name: 'red only', module: 'lead', filter: { team: 'red' }, actions: ['read'], users: [user] }), 201);
    sam = await app.client().login('sam', 'sam-secret-1');
  });
  afterAll(() => app?.close());

  it('the list and its total hold only what the rules let the caller see', async () => {
    const mine = await ok(sam.get('/api/data/lead?q=artman&pageSize=2'));
    expect(mine.data.map((r: { name: string }) => r.name)).toEqual(['Anna Hartmann', 'Dan Hartmann']);
    expect(mine.meta.total).toBe(3);
    const all = await ok(admin.get('/api/data/lead?q=artman&pageSize=2'));
    expect(all.data.map((r: { name: string }) => r.name)).toEqual(['Anna Hartmann', 'Bo Artmann']);
    expect(all.meta.total).toBe(5);
  });

  it('an estimated total with q counts the candidates the plan reads, not the lookup by id that follows them', async () => {
    const est = await ok(admin.get('/api/data/lead?q=artman&pageSize=2&total=estimated'));
    if (dialect === 'mariadb') {
      expect(est.meta.totalEstimated).toBe(true);
      expect(est.meta.total).toBeGreaterThanOrEqual(3);
    } else {
      expect(est.meta.total).toBe(5);
    }
  });

  it('aggregate with q counts the caller records only', async () => {
    const mine = await ok(sam.get('/api/data/lead/aggregate?q=artman&groupBy=team&metrics=count()'));
    expect(mine.data).toEqual([{ team: 'red', 'count()': 3 }]);
    const all = await ok(admin.get('/api/data/lead/aggregate?q=artman&groupBy=team&metrics=count()'));
    expect(all.data).toEqual([{ team: 'blue', 'count()': 2 }, { team: 'red', 'count()': 3 }]);
  });

  it('export with q writes the caller records only', async () => {
    const r = await sam.get('/api/data/lead/export?q=artman&fields=name');
    expect(r.status).toBe(200);
    expect(String(r.body).trim().split(/\r?\n/).slice(1).map((line) => line.replace(/^\d+,/, '')).sort()).toEqual(['Anna Hartmann', 'Dan Hartmann', '王 artman']);
  });
});
