/**
 * A rename carries everything that names the field or module: rules, permissions, saved views,
 * other modules' references, history entries (still readable), junction tables. What a plan
 * drops goes to the trash and comes back with its rows. A plan whose third step fails leaves
 * definition and data as they were; a second process serves the new definition at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStepHook } from '../../core/migrate/run-plan.js';
import { openSecondStratum, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const regionDef = {
  $id: 'region', type: 'object',
  properties: { name: { type: 'string', maxLength: 40 }, shops: { type: 'array', 'x-inverse': 'shop.region' } },
};
const tagDef = { $id: 'tag', type: 'object', properties: { name: { type: 'string', maxLength: 20 } } };
const shopDef = {
  $id: 'shop', type: 'object',
  properties: {
    name: { type: 'string', maxLength: 40 },
    phone: { type: 'string', maxLength: 20 },
    region: { type: 'integer', 'x-ref': 'region' },
    tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'tag' },
  },
  required: ['name'],
  'x-list': { columns: ['name', 'phone', 'region'], search: ['name', 'phone'], sort: 'name' },
};

describeEachDialect('renames and the trash', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let nina: Client;
  let shops: number[];
  let tags: number[];
  let ruleId: number;
  let permissionId: number;
  let viewId: number;

  const get = async (url: string) => expectStatus(await admin.get(url), 200).body;
  const definition = async (m: string) => (await get(`/api/modules/${m}`)).definition;
  const ninaSees = async (m: string) => expectStatus(await nina.get(`/api/data/${m}?pageSize=100&sort=id`), 200).body.data.map((r: any) => r.id);
  const change = async (m: string, body: object) => {
    const plan = expectStatus(await admin.put(`/api/modules/${m}?dryRun=true`, body), 200).body.plan;
    expectStatus(await admin.put(`/api/modules/${m}?confirm=${plan.token}`, body), 200);
    return plan;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true });
    admin = await app.admin();
    for (const d of [tagDef, { ...regionDef, properties: { name: regionDef.properties.name } }, shopDef]) expectStatus(await admin.post('/api/modules', d), 201);
    expectStatus(await admin.put('/api/modules/region', regionDef), 200);
    const north = await create(admin, 'region', { name: 'North' });
    tags = [await create(admin, 'tag', { name: 'big' }), await create(admin, 'tag', { name: 'new' })];
    shops = [
      await create(admin, 'shop', { name: 'Alpha', phone: '13800000001', region: north, tags }),
      await create(admin, 'shop', { name: 'Beta', phone: '13900000002', region: north, tags: [tags[0]] }),
      await create(admin, 'shop', { name: 'Gamma', phone: '13800000003' }),
    ];
    expectStatus(await admin.patch(`/api/data/shop/${shops[0]}`, { phone: '13800000009' }), 200);
    const role = await create(admin, 'role', { name: 'viewer' });
    permissionId = await create(admin, 'permission', { role, module: 'shop', actions: ['read'], readFields: ['name', 'phone'] });
    await create(admin, 'permission', { role, module: 'region', actions: ['read'] });
    ruleId = await create(admin, 'rule', { name: '138 shops', module: 'shop', filter: { phone: { startsWith: '138' } }, actions: ['read'], roles: [role] });
    await create(admin, 'user', { username: 'nina', password: 'nina-password-1', name: 'Nina', roles: [role] });
    nina = await app.client().login('nina', 'nina-password-1');
    viewId = await create(admin, 'saved_view', { module: 'shop', name: 'By phone', query: `f=${encodeURIComponent(JSON.stringify([{ field: 'phone', op: 'contains', value: '138' }]))}&sort=-phone&cols=name,phone` });
  });
  afterAll(() => app?.close());

  it('a field rename is previewed with the records it rewrites, then carried into them', async () => {
    expect(await ninaSees('shop')).toEqual([shops[0], shops[2]]);
    const def = await definition('shop');
    const { phone, ...rest } = def.properties;
    const body = { ...def, properties: { ...rest, mobile: phone }, 'x-migration': { renames: { phone: 'mobile' } } };
    const plan = expectStatus(await admin.put('/api/modules/shop?dryRun=true', body), 200).body.plan;
    const rename = plan.steps.find((s: any) => s.kind === 'rename-field');
    expect(rename.affects.map((a: any) => a.kind).sort()).toEqual(['list', 'permission', 'rule', 'saved_view']);
    expect((await get(`/api/data/rule/${ruleId}`)).filter).toEqual({ phone: { startsWith: '138' } });
    await change('shop', body);
    expect((await get(`/api/data/rule/${ruleId}`)).filter).toEqual({ mobile: { startsWith: '138' } });
    expect((await get(`/api/data/permission/${permissionId}`)).readFields).toEqual(['name', 'mobile']);
    const view = new URLSearchParams((await get(`/api/data/saved_view/${viewId}`)).query);
    expect(JSON.parse(view.get('f')!)[0].field).toBe('mobile');
    expect([view.get('sort'), view.get('cols')]).toEqual(['-mobile', 'name,mobile']);
    // The same records for the same user, read by the renamed field.
    expect(await ninaSees('shop')).toEqual([shops[0], shops[2]]);
    expect(expectStatus(await nina.get(`/api/data/shop/${shops[0]}`), 200).body).toMatchObject({ name: 'Alpha', mobile: '13800000009' });
    // Old history entries read under the new name.
    const history = (await get(`/api/data/shop/${shops[0]}/history`)).data;
    expect(history.map((h: any) => Object.keys(h.changes).sort())).toEqual([['mobile'], ['mobile', 'name', 'region', 'tags']]);
    expect(history[0].changes.mobile).toEqual({ before: '13800000001', after: '13800000009' });
  });

  it('a module rename moves its table, junction tables, references, rules, permissions, views and history', async () => {
    const def = await definition('shop');
    const plan = await change('shop', { ...def, 'x-migration': { moduleRename: 'store' } });
    expect(plan.steps[0]).toMatchObject({ kind: 'rename-module', from: 'shop', to: 'store' });
    expect(plan.steps[0].affects.map((a: any) => a.kind)).toEqual(expect.arrayContaining(['reference', 'rule', 'permission', 'saved_view', 'counts', 'history']));
    expect((await admin.get('/api/data/shop')).status).toBe(404);
    expect((await get('/api/data/store?sort=id')).data.map((r: any) => [r.name, r.tags])).toEqual([['Alpha', tags], ['Beta', [tags[0]]], ['Gamma', []]]);
    expect((await definition('region')).properties.shops['x-inverse']).toBe('store.region');
    expect((await get(`/api/data/rule/${ruleId}`)).module).toBe('store');
    expect((await get(`/api/data/permission/${permissionId}`)).module).toBe('store');
    expect((await get(`/api/data/saved_view/${viewId}`)).module).toBe('store');
    expect(await ninaSees('store')).toEqual([shops[0], shops[2]]);
    expect((await get(`/api/data/store/${shops[0]}/history`)).data).toHaveLength(2);
    // The inverse relation follows the renamed module.
    const some = encodeURIComponent(JSON.stringify({ shops: { some: { name: 'Beta' } } }));
    expect((await get(`/api/data/region?filter=${some}`)).data.map((r: any) => r.name)).toEqual(['North']);
    // And back, so that the rest of the suite reads "shop".
    await change('store', { ...(await definition('store')), 'x-migration': { moduleRename: 'shop' } });
    expect(await ninaSees('shop')).toEqual([shops[0], shops[2]]);
  });

  it('a dropped field goes to the trash and comes back with its values; a purge needs its token', async () => {
    const def = await definition('shop');
    const { mobile: _m, ...rest } = def.properties;
    const without = { ...def, properties: rest, 'x-list': { ...def['x-list'], columns: ['name', 'region'], search: ['name'] } };
    const unconfirmed = await admin.put('/api/modules/shop', without);
    expect(unconfirmed.body.error.code).toBe('confirmation_required');
    const plan = await change('shop', without);
    expect(plan.steps.find((s: any) => s.kind === 'drop-field')).toMatchObject({ field: 'mobile', keepsData: false, rows: 3 });
    expect((await get(`/api/data/shop/${shops[0]}`))).not.toHaveProperty('mobile');
    const trash = (await get('/api/modules/trash')).data;
    expect(trash[0]).toMatchObject({ kind: 'field', module: 'shop', field: 'mobile', rows: 3, droppedBy: 'admin' });
    // The rule that filtered on it now fails closed: Nina sees nothing.
    expect(await ninaSees('shop')).toEqual([]);
    expectStatus(await admin.post(`/api/modules/trash/${trash[0].id}/restore`), 200);
    expect((await get(`/api/data/shop/${shops[0]}`)).mobile).toBe('13800000009');
    expect((await get('/api/modules/trash')).data).toEqual([]);

    // Drop it again and purge it for good.
    const again = await definition('shop');
    const { mobile: _m2, ...rest2 } = again.properties;
    await change('shop', { ...again, properties: rest2 });
    const entry = (await get('/api/modules/trash')).data[0];
    const asked = await admin.delete(`/api/modules/trash/${entry.id}`);
    expect({ status: asked.status, code: asked.body.error.code }).toEqual({ status: 409, code: 'confirmation_required' });
    expectStatus(await admin.delete(`/api/modules/trash/${entry.id}?confirm=${asked.body.error.token}`), 204);
    expect((await get('/api/modules/trash')).data).toEqual([]);
    expect((await app.stratum.db.sequelize.getQueryInterface().showAllTables()).map(String).filter((t) => t.startsWith('_trash_'))).toEqual([]);
  });

  it('a dropped module goes to the trash with its rows and relations, and comes back with its history', async () => {
    const region = await definition('region');
    await change('region', { ...region, properties: { name: region.properties.name } });
    const plan = expectStatus(await admin.delete('/api/modules/shop?dryRun=true'), 200).body.plan;
    expect(plan.steps[0]).toMatchObject({ kind: 'drop-module', rows: 3, keepsData: false });
    const dropped = expectStatus(await admin.delete(`/api/modules/shop?confirm=${plan.token}`), 200).body;
    expect(dropped.trash[0]).toMatchObject({ kind: 'module', module: 'shop', rows: 3 });
    expect((await admin.get('/api/data/shop')).status).toBe(404);
    expectStatus(await admin.post(`/api/modules/trash/${dropped.trash[0].id}/restore`), 200);
    expect((await get('/api/data/shop?sort=id')).data.map((r: any) => [r.id, r.name, r.tags])).toEqual([[shops[0], 'Alpha', tags], [shops[1], 'Beta', [tags[0]]], [shops[2], 'Gamma', []]]);
    expect((await get(`/api/data/shop/${shops[0]}/history`)).data.length).toBeGreaterThanOrEqual(2);
    expect((await get('/api/data/shop')).meta.total).toBe(3);
  });

  it('a plan whose third step fails leaves definition and data as they were', async () => {
    const def = await definition('shop');
    const rowsBefore = (await get('/api/data/shop?sort=id')).data;
    const body = {
      ...def,
      properties: { ...def.properties, name: { type: 'string', maxLength: 80 }, code: { type: 'integer' }, region: { type: 'integer' } },
      'x-migration': { renames: { name: 'title' } },
    };
    body.properties = { ...body.properties, title: body.properties.name };
    delete (body.properties as any).name;
    body['x-list'] = { columns: ['title'], search: ['title'], sort: 'title' };
    body.required = ['title'];
    const labels: string[] = [];
    setStepHook((label) => {
      labels.push(label);
      if (labels.length === 3) throw new Error('stopped at the third step');
    });
    try {
      const r = await admin.put('/api/modules/shop', body);
      expect(r.status).toBe(500);
    } finally {
      setStepHook(undefined);
    }
    expect(labels.length).toBe(3);
    expect(await definition('shop')).toEqual(def);
    expect((await get('/api/data/shop?sort=id')).data).toEqual(rowsBefore);
    const columns = await app.stratum.db.sequelize.getQueryInterface().describeTable('shop');
    expect(Object.keys(columns).filter((c) => c.startsWith('_s') || c === 'code' || c === 'title')).toEqual([]);
    // Nothing is left half-done: the same change applies afterwards.
    await change('shop', body);
    expect((await get(`/api/data/shop/${shops[0]}`))).toMatchObject({ title: 'Alpha', code: null, region: expect.any(Number) });
  });

  it('a read caught between two operations of a switch is answered once it is over; a write is told to send again (503), never 500', async () => {
    const def = await definition('shop');
    const { title, ...rest } = def.properties;
    const body = { ...def, properties: { ...rest, caption: title }, required: ['caption'], 'x-list': { columns: ['caption'], search: ['caption'], sort: 'caption' }, 'x-migration': { renames: { title: 'caption' } } };
    const reader = await app.admin();
    let read: Promise<Reply> | undefined;
    let write: { status: number; code: unknown; retryAfter: string | null } | undefined;
    setStepHook(async (step) => {
      if (step !== 'rename title') return;
      read = reader.get(`/api/data/shop/${shops[0]}`);
      // SQLite: the plan's transaction holds the write lock, so a write would wait for it; MariaDB: the column is renamed already.
      if (dialect === 'mariadb') {
        const r = await reader.patch(`/api/data/shop/${shops[0]}`, { title: 'Alpha 2' });
        write = { status: r.status, code: r.body?.error?.code, retryAfter: r.headers.get('retry-after') };
      }
    });
    try {
      await change('shop', body);
    } finally {
      setStepHook(undefined);
    }
    const r = await read!;
    expect(r.status).toBe(200);
    // SQLite: the plan is one transaction, the reader saw the definition before. MariaDB: answered again after the switch.
    expect(dialect === 'sqlite' ? r.body.title : r.body.caption).toBe('Alpha');
    if (dialect === 'mariadb') expect(write).toEqual({ status: 503, code: 'definition_changed', retryAfter: '1' });
    expect((await get(`/api/data/shop/${shops[0]}`)).caption).toBe('Alpha');
  });

  describe('another process', () => {
    it('serves the new definition from its next request', async () => {
      const second = await openSecondStratum(app, { builtinPlugins: true });
      try {
        const other = await second.admin();
        expect((await other.get(`/api/data/shop/${shops[1]}`)).body.caption).toBe('Beta');
        const def = await definition('shop');
        const { caption, ...rest } = def.properties;
        await change('shop', { ...def, properties: { ...rest, label: caption }, required: ['label'], 'x-list': { columns: ['label'], search: ['label'], sort: 'label' }, 'x-migration': { renames: { caption: 'label' } } });
        const r = await other.get(`/api/data/shop/${shops[1]}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ label: 'Beta' });
        expect(r.body).not.toHaveProperty('caption');
        expect((await other.get('/api/data/shop?q=Gam')).body.data.map((x: any) => x.label)).toEqual(['Gamma']);
      } finally {
        await second.stratum.close();
      }
    });
  });
});
