/** `/api/modules`: modules defined, extended and removed at runtime, effective on the next request. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../core/http-app.js';
import { Stratum } from '../../core/stratum.js';
import { ADMIN_PASSWORD, Client, filterParam, startTestApp, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineModule, expectStatus, idsOf } from './crm.js';

const regionDef = {
  $id: 'region',
  type: 'object',
  properties: { name: { type: 'string', maxLength: 32 } },
  required: ['name'],
};

const shopDef = {
  $id: 'shop',
  title: 'Shop',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 64 },
    size: { type: 'integer' },
  },
  required: ['name'],
  'x-list': { search: ['name'], sort: 'name' },
};

type Detail = { path: string; code: string };

function refusedDefinition(r: Reply, code: string): Detail[] {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 400, code });
  return r.body.error.details;
}

describeEachDialect('modules at runtime', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let nora: Client;

  const tables = async () => (await app.stratum.db.sequelize.getQueryInterface().showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName));
  const definition = async (name: string) => expectStatus(await admin.get(`/api/modules/${name}`), 200).body.definition;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await create(admin, 'user', { username: 'nora', password: 'nora-password-1', name: 'Nora' });
    nora = await app.client().login('nora', 'nora-password-1');
  });
  afterAll(() => app?.close());

  describe('POST /api/modules', () => {
    it('creates the table; the endpoints answer on the next request', async () => {
      expect((await admin.get('/api/data/shop')).status).toBe(404);
      const r = expectStatus(await admin.post('/api/modules', shopDef), 201);
      expect(r.body).toEqual({ name: 'shop', source: 'api', definition: shopDef });
      expect(await tables()).toContain('shop');
      expect(expectStatus(await admin.get('/api/data/shop'), 200).body).toEqual({ data: [], meta: { total: 0, page: 1, pageSize: 25 } });
      const shop = expectStatus(await admin.post('/api/data/shop', { name: 'First', size: 3 }), 201).body;
      expect(shop).toMatchObject({ name: 'First', size: 3, version: 1 });
      expect(expectStatus(await admin.get(`/api/data/shop/${shop.id}`), 200).body).toEqual(shop);
    });

    it('lists and returns definitions, built-in ones included', async () => {
      expect(await definition('shop')).toEqual(shopDef);
      const all = expectStatus(await admin.get('/api/modules'), 200).body.data as { name: string; source: string }[];
      expect(all.map((m) => `${m.name}:${m.source}`)).toEqual(expect.arrayContaining(['shop:api', 'department:builtin', 'user:builtin', 'role:builtin']));
      expect((await admin.get('/api/modules/nosuch')).status).toBe(404);
    });

    it('refuses a second module with the same name (409) and keeps the first', async () => {
      const r = await admin.post('/api/modules', { ...shopDef, properties: { other: { type: 'string', maxLength: 5 } } });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('module_exists');
      expect(await definition('shop')).toEqual(shopDef);
    });

    it('refuses a bad definition with 400 invalid_definition and ALL its findings; nothing is created', async () => {
      const before = await tables();
      const r = await admin.post('/api/modules', {
        $id: 'broken',
        type: 'object',
        properties: {
          label: { type: 'strin' },
          owner: { type: 'integer', 'x-ref': 'nosuch' },
          id: { type: 'string', maxLength: 5 },
          size: { type: 'integer', maxLength: 3 },
        },
        required: ['zzz'],
        'x-list': { search: ['nope'] },
      });
      const details = refusedDefinition(r, 'invalid_definition');
      expect(details.map((d) => `${d.path} ${d.code}`).sort()).toEqual([
        '/properties/id name_reserved',
        '/properties/label/type property_bad_type',
        '/properties/owner/x-ref ref_unknown',
        '/properties/size/maxLength property_misplaced_keyword',
        '/required/0 required_unknown',
        '/x-list/search/0 list_unknown',
      ]);
      expect(r.body.error.message).toBe('The module definition has 6 problems; nothing was created or changed');
      expect((await admin.get('/api/modules/broken')).status).toBe(404);
      expect((await admin.get('/api/data/broken')).status).toBe(404);
      expect((await tables()).sort()).toEqual([...before].sort());
    });

    it('refuses names the database would refuse: a junction table\'s name, properties equal but for case, a bad x-owner', async () => {
      const before = await tables();
      await defineModule(admin, { $id: 'club', type: 'object', properties: { members: { type: 'array', items: { type: 'integer' }, 'x-ref': 'user' } } });
      // club.members is stored in the table club_members
      const junction = refusedDefinition(await admin.post('/api/modules', { $id: 'club_members', type: 'object', properties: { name: { type: 'string', maxLength: 5 } } }), 'invalid_definition');
      expect(junction.map((d) => `${d.path} ${d.code}`)).toEqual(['/$id name_clash']);
      const cased = refusedDefinition(await admin.post('/api/modules', {
        $id: 'casey', type: 'object',
        properties: { name: { type: 'string', maxLength: 5 }, nAme: { type: 'string', maxLength: 5 }, iD: { type: 'integer' }, createdat: { type: 'string', maxLength: 5 } },
      }), 'invalid_definition');
      expect(cased.map((d) => `${d.path} ${d.code}`).sort()).toEqual(['/properties/createdat name_clash', '/properties/iD name_clash', '/properties/nAme name_clash']);
      const owner = refusedDefinition(await admin.post('/api/modules', {
        $id: 'prospect', type: 'object',
        properties: { qq: { type: 'string', maxLength: 12, 'x-unique': true }, manager: { type: 'integer', 'x-ref': 'department' } },
        'x-owner': 'manager',
      }), 'invalid_definition');
      expect(owner.map((d) => `${d.path} ${d.code}`)).toEqual(['/x-owner owner_invalid']);
      expect(refusedDefinition(await admin.post('/api/modules', { $id: 'prospect', type: 'object', properties: {}, 'x-owner': 'nosuch' }), 'invalid_definition').map((d) => d.path)).toEqual(['/x-owner']);
      expect((await tables()).sort()).toEqual([...before, 'club', 'club_members'].sort());
      for (const name of ['club_members', 'casey', 'prospect']) expect((await admin.get(`/api/modules/${name}`)).status).toBe(404);
      expect((await admin.delete('/api/modules/club')).status).toBe(200);
    });

    it('refuses list settings that would break every list or search of the module', async () => {
      const details = refusedDefinition(await admin.post('/api/modules', {
        $id: 'memo', type: 'object',
        properties: {
          body: { type: 'string' },
          size: { type: 'integer' },
          data: { type: 'object' },
          shops: { type: 'array', items: { type: 'integer' }, 'x-ref': 'shop' },
          title: { type: 'string', maxLength: 20 },
        },
        'x-list': { search: ['title', 'size', 'shops'], sort: '-body,data,shops,title' },
      }), 'invalid_definition');
      expect(details.map((d) => `${d.path} ${d.code}`).sort()).toEqual([
        '/x-list/search/1 list_unsearchable',
        '/x-list/search/2 list_unsearchable',
        '/x-list/sort list_unsortable',
        '/x-list/sort list_unsortable',
        '/x-list/sort list_unsortable',
      ]);
      expect((await admin.get('/api/modules/memo')).status).toBe(404);
      // what is allowed: text, enum and paths to them in search; short strings, numbers, dates, refs and system fields in sort
      await defineModule(admin, {
        $id: 'memo', type: 'object',
        properties: { body: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] }, shop: { type: 'integer', 'x-ref': 'shop' } },
        'x-list': { search: ['body', 'kind', 'shop.name'], sort: '-shop,shop.name,createdAt' },
      });
      const shop = await create(admin, 'shop', { name: 'Memo shop' });
      const memo = await create(admin, 'memo', { body: 'hello world', kind: 'a', shop });
      expect(expectStatus(await admin.get('/api/data/memo?q=world'), 200).body.data.map((d: { id: number }) => d.id)).toEqual([memo]);
      expect(expectStatus(await admin.get('/api/data/memo?q=Memo%20shop'), 200).body.meta.total).toBe(1);
      expect((await admin.delete(`/api/data/memo/${memo}`)).status).toBe(204);
      expect((await admin.delete('/api/modules/memo')).status).toBe(200);
      expect((await admin.delete(`/api/data/shop/${shop}`)).status).toBe(204);
    });

    it('refuses a bad module name, and a body that is not a definition', async () => {
      const details = refusedDefinition(await admin.post('/api/modules', { ...shopDef, $id: 'Bad Name' }), 'invalid_definition');
      expect(details.map((d) => d.path)).toEqual(['/$id']);
      refusedDefinition(await admin.post('/api/modules', [shopDef]), 'invalid_definition');
      expect((await admin.post('/api/modules', '{"$id":', {})).status).toBe(400);
      expect((await admin.get('/api/modules/Bad%20Name')).status).toBe(404);
    });
  });

  describe('PUT /api/modules/<m>', () => {
    let shopId: number;
    let regions: Record<string, number>;

    beforeAll(async () => {
      await defineModule(admin, regionDef);
      regions = { north: await create(admin, 'region', { name: 'North' }), south: await create(admin, 'region', { name: 'South' }) };
      shopId = await create(admin, 'shop', { name: 'Before PUT', size: 1 });
    });

    it('adds a field and a reference live; existing records get null or the default', async () => {
      const next = {
        ...shopDef,
        properties: {
          ...shopDef.properties,
          email: { type: 'string', maxLength: 100 },
          region: { type: 'integer', 'x-ref': 'region' },
          open: { type: 'boolean', default: true },
        },
      };
      const r = expectStatus(await admin.put('/api/modules/shop', next), 200);
      expect(r.body).toEqual({ name: 'shop', source: 'api', definition: next });
      expect(await definition('shop')).toEqual(next);
      expect((await admin.get(`/api/data/shop/${shopId}`)).body).toMatchObject({ name: 'Before PUT', email: null, region: null, open: true });
      const updated = expectStatus(await admin.patch(`/api/data/shop/${shopId}`, { email: 'a@b.c', region: regions.north }), 200).body;
      expect(updated).toMatchObject({ email: 'a@b.c', region: regions.north, open: true, version: 2 });
      const other = await create(admin, 'shop', { name: 'After PUT', region: regions.south, open: false });
      // the new fields are filterable, sortable and embeddable at once
      expect(await idsOf(admin, 'shop', { email: { contains: '@' } })).toEqual([shopId]);
      expect(await idsOf(admin, 'shop', { 'region.name': 'South' })).toEqual([other]);
      expect(await idsOf(admin, 'shop', { open: false })).toEqual([other]);
      const embedded = expectStatus(await admin.get(`/api/data/shop?fields=name,region.name&sort=-region.name&${filterParam({ region: { isNull: false } })}`), 200).body;
      expect(embedded.data).toEqual([
        { id: other, name: 'After PUT', region: { id: regions.south, name: 'South' } },
        { id: shopId, name: 'Before PUT', region: { id: regions.north, name: 'North' } },
      ]);
      // and the new reference is a real one: it protects the region
      const refused = await admin.delete(`/api/data/region/${regions.south}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.references).toEqual([{ module: 'shop', field: 'region', count: 1 }]);
      expect(expectStatus(await admin.post('/api/data/shop', { name: 'Dangling', region: 999999 }), 400).body.error.details.map((d: Detail) => d.path)).toEqual(['/region']);
    });

    it('adds a many-to-many relation and changes list settings live', async () => {
      const current = await definition('shop');
      const next = {
        ...current,
        properties: { ...current.properties, regions: { type: 'array', items: { type: 'integer' }, 'x-ref': 'region' } },
        'x-list': { search: ['name', 'email'], sort: '-name' },
      };
      expectStatus(await admin.put('/api/modules/shop', next), 200);
      const s = await create(admin, 'shop', { name: 'Multi', regions: [regions.south, regions.north] });
      expect((await admin.get(`/api/data/shop/${s}`)).body.regions).toEqual([regions.north!, regions.south!].sort((a, b) => a - b));
      expect(await idsOf(admin, 'shop', { regions: { some: { name: 'North' } } })).toEqual([s]);
      const found = expectStatus(await admin.get('/api/data/shop?q=a@b'), 200).body;
      expect(found.data.map((d: { id: number }) => d.id)).toEqual([shopId]);
    });

    it('asks for the dry run\'s token before dropping a field, or renaming one the request does not name as a rename; nothing changes', async () => {
      const current = await definition('shop');
      const before = expectStatus(await admin.get(`/api/data/shop/${shopId}`), 200).body;
      const { size: _size, ...withoutSize } = current.properties;
      const dropped = await admin.put('/api/modules/shop', { ...current, properties: withoutSize });
      expect({ status: dropped.status, code: dropped.body.error.code }).toEqual({ status: 409, code: 'confirmation_required' });
      expect(dropped.body.error.plan.steps.map((s: { kind: string; field: string }) => `${s.kind} ${s.field}`)).toEqual(['drop-field size']);
      const { email, ...withoutEmail } = current.properties;
      // Without x-migration.renames a new name is a new field and the old one goes.
      const renamed = await admin.put('/api/modules/shop', { ...current, properties: { ...withoutEmail, mail: email }, 'x-list': { search: ['name', 'mail'] } });
      expect(renamed.body.error.code).toBe('confirmation_required');
      expect(renamed.body.error.plan.steps.map((s: { kind: string; field: string }) => `${s.kind} ${s.field}`)).toEqual(['add-field mail', 'drop-field email', 'describe undefined']);
      const relation = refusedDefinition(await admin.put('/api/modules/shop', { ...current, properties: { ...current.properties, regions: { type: 'array', items: { type: 'integer' }, 'x-ref': 'shop' } } }), 'change_unsupported');
      expect(relation.map((d) => d.path)).toEqual(['/properties/regions']);
      const required = await admin.put('/api/modules/shop', { ...current, properties: { ...current.properties, code: { type: 'string', maxLength: 5 } }, required: ['name', 'code'] });
      expect({ status: required.status, code: required.body.error.code }).toEqual({ status: 409, code: 'misfits' });
      expect(required.body.error.details.map((d: Detail) => d.path)).toEqual(['/properties/code']);
      expect(await definition('shop')).toEqual(current);
      expect(expectStatus(await admin.get(`/api/data/shop/${shopId}`), 200).body).toEqual(before);
      // the refused new field does not exist
      expect((await admin.post('/api/data/shop', { name: 'x', code: 'y' })).status).toBe(400);
    });

    it('widens an enum beyond its column, and drops a uniqueness', async () => {
      const current = await definition('shop');
      const before = expectStatus(await admin.get(`/api/data/shop/${shopId}`), 200).body;
      const kinds = { ...current, properties: { ...current.properties, kind: { type: 'string', enum: ['corner', 'mall'] } } };
      expectStatus(await admin.put('/api/modules/shop', kinds), 200);
      const wider = { ...kinds, properties: { ...kinds.properties, kind: { type: 'string', enum: ['corner', 'mall', 'kiosk'] } } };
      expectStatus(await admin.put('/api/modules/shop', wider), 200);
      const long = { ...wider, properties: { ...wider.properties, kind: { type: 'string', enum: ['corner', 'mall', 'x'.repeat(40)] } } };
      expectStatus(await admin.put('/api/modules/shop', long), 200);
      const unique = { ...long, properties: { ...long.properties, code: { type: 'string', maxLength: 8, 'x-unique': true } } };
      expectStatus(await admin.put('/api/modules/shop', unique), 200);
      await create(admin, 'shop', { name: 'Coded', code: 'C1' });
      expect((await admin.post('/api/data/shop', { name: 'Coded again', code: 'C1' })).status).toBe(409);
      const notUnique = { ...unique, properties: { ...unique.properties, code: { type: 'string', maxLength: 8 } } };
      expectStatus(await admin.put('/api/modules/shop', notUnique), 200);
      const twin = await create(admin, 'shop', { name: 'Coded again', code: 'C1' });
      expect(await definition('shop')).toEqual(notUnique);
      expect(expectStatus(await admin.get(`/api/data/shop/${shopId}`), 200).body).toMatchObject({ ...before, kind: null, code: null, version: before.version });
      const longKind = await create(admin, 'shop', { name: 'Long kind', kind: 'x'.repeat(40) });
      for (const id of [twin, longKind]) expect((await admin.delete(`/api/data/shop/${id}`)).status).toBe(204);
      expect((await admin.delete(`/api/data/shop/${(await idsOf(admin, 'shop', { code: 'C1' }))[0]}`)).status).toBe(204);
    });

    it('a uniqueness existing rows break is 409 misfits with the records, and changes nothing, not even new columns', async () => {
      const current = await definition('shop');
      await create(admin, 'shop', { name: 'Twin' });
      await create(admin, 'shop', { name: 'Twin' });
      const columnsBefore = Object.keys(await app.stratum.db.sequelize.getQueryInterface().describeTable('shop')).sort();
      const failing = { ...current, properties: { ...current.properties, extra: { type: 'string', maxLength: 5 } }, 'x-unique': [['name']] };
      const r = await admin.put('/api/modules/shop', failing);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('misfits');
      expect(r.body.error.plan.steps.find((s: { kind: string }) => s.kind === 'add-unique').examples.length).toBe(2);
      expect(await definition('shop')).toEqual(current);
      expect(Object.keys(await app.stratum.db.sequelize.getQueryInterface().describeTable('shop')).sort()).toEqual(columnsBefore);
      // so a later definition of "extra" with another type gets a column of that type
      const retry = { ...current, properties: { ...current.properties, extra: { type: 'integer' } } };
      expectStatus(await admin.put('/api/modules/shop', retry), 200);
      const id = await create(admin, 'shop', { name: 'Extra', extra: 123456 });
      expect((await admin.get(`/api/data/shop/${id}`)).body.extra).toBe(123456);
      expect(await idsOf(admin, 'shop', { extra: { gt: 100000 } })).toEqual([id]);
    });

    it('refuses an invalid definition with all findings, and a changed $id', async () => {
      const current = await definition('shop');
      const details = refusedDefinition(await admin.put('/api/modules/shop', { ...current, properties: { ...current.properties, bad: { type: 'integer', 'x-ref': 'nosuch' }, worse: { type: 'date' } } }), 'invalid_definition');
      expect(details.map((d) => d.path).sort()).toEqual(['/properties/bad/x-ref', '/properties/worse/type']);
      const renamed = refusedDefinition(await admin.put('/api/modules/shop', { ...current, $id: 'store' }), 'invalid_definition');
      expect(renamed.map((d) => d.path)).toEqual(['/$id']);
      expect(await definition('shop')).toEqual(current);
      expect((await admin.get('/api/data/store')).status).toBe(404);
    });

    it('refuses changing a built-in module (403) and a missing one (404)', async () => {
      const dept = await definition('department');
      expect((await admin.put('/api/modules/department', { ...dept, properties: { ...dept.properties, extra: { type: 'string', maxLength: 3 } } })).status).toBe(403);
      expect(await definition('department')).toEqual(dept);
      expect((await admin.put('/api/modules/nosuch', { ...shopDef, $id: 'nosuch' })).status).toBe(404);
    });
  });

  describe('DELETE /api/modules/<m>', () => {
    it('refuses while another module refers to it, and for built-in modules', async () => {
      const r = await admin.delete('/api/modules/region');
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('module_referenced');
      expect(r.body.error.message).toContain('shop');
      expect((await admin.get('/api/data/region')).status).toBe(200);
      expect((await admin.delete('/api/modules/department')).status).toBe(403);
      expect((await admin.delete('/api/modules/nosuch')).status).toBe(404);
    });

    it('removes the module, its table and its endpoints, with the dry run\'s token; the name can be defined again from scratch', async () => {
      expect(await countOf(admin, 'shop')).toBeGreaterThan(0);
      const unconfirmed = await admin.delete('/api/modules/shop');
      expect({ status: unconfirmed.status, code: unconfirmed.body.error.code }).toEqual({ status: 409, code: 'confirmation_required' });
      expect((await admin.get('/api/data/shop')).status).toBe(200);
      const plan = expectStatus(await admin.delete('/api/modules/shop?dryRun=true'), 200).body.plan;
      expect(plan.steps.map((s: { kind: string }) => s.kind)).toEqual(['drop-module']);
      expect((await admin.get('/api/data/shop')).status).toBe(200);
      expectStatus(await admin.delete(`/api/modules/shop?confirm=${plan.token}`), 200);
      expect((await admin.get('/api/modules/shop')).status).toBe(404);
      expect((await admin.get('/api/data/shop')).status).toBe(404);
      expect((await admin.post('/api/data/shop', { name: 'x' })).status).toBe(404);
      const left = await tables();
      expect(left).not.toContain('shop');
      expect(left).not.toContain('shop_regions');
      // region is free now
      const region = expectStatus(await admin.delete('/api/modules/region?dryRun=1'), 200).body.plan;
      expectStatus(await admin.delete(`/api/modules/region?confirm=${region.token}`), 200);
      await defineModule(admin, shopDef);
      expect(expectStatus(await admin.get('/api/data/shop'), 200).body.meta.total).toBe(0);
      expect(await create(admin, 'shop', { name: 'Reborn' })).toBeGreaterThan(0);
    });
  });

  describe('who may change modules', () => {
    it('non-admins get 403 on every /api/modules call, and nothing changes', async () => {
      expect((await nora.get('/api/modules')).status).toBe(403);
      expect((await nora.get('/api/modules/shop')).status).toBe(403);
      const post = await nora.post('/api/modules', { ...regionDef, $id: 'sneaky' });
      expect(post.status).toBe(403);
      expect(post.body.error.code).toBe('forbidden');
      expect((await nora.put('/api/modules/shop', { ...shopDef, properties: { ...shopDef.properties, x: { type: 'integer' } } })).status).toBe(403);
      expect((await nora.delete('/api/modules/shop')).status).toBe(403);
      expect((await nora.get('/api/modules/trash')).status).toBe(403);
      expect((await nora.post('/api/modules/trash/1/restore')).status).toBe(403);
      expect((await admin.get('/api/modules/sneaky')).status).toBe(404);
      expect(await definition('shop')).toEqual(shopDef);
    });

    it('anonymous callers get 401', async () => {
      const anon = app.client();
      expect((await anon.get('/api/modules')).status).toBe(401);
      expect((await anon.post('/api/modules', { ...regionDef, $id: 'anon' })).status).toBe(401);
      expect((await admin.get('/api/modules/anon')).status).toBe(404);
    });
  });

  describe('several server processes on one database', () => {
    it('a module defined through one process answers through another on its next request', async () => {
      const metadataDir = mkdtempSync(join(tmpdir(), 'stratum-second-process-'));
      const stratum = await Stratum.open({ databaseUrl: app.databaseUrl, adminPassword: ADMIN_PASSWORD, metadataDir });
      try {
        const other = await new Client(createApp(stratum)).login('admin', ADMIN_PASSWORD);
        expect((await admin.get('/api/data/kiosk')).status).toBe(404);
        await defineModule(other, { ...regionDef, $id: 'kiosk' });
        const id = await create(admin, 'kiosk', { name: 'Made here, defined there' });
        expect(expectStatus(await other.get(`/api/data/kiosk/${id}`), 200).body.name).toBe('Made here, defined there');
        expectStatus(await admin.put('/api/modules/kiosk', { ...regionDef, $id: 'kiosk', properties: { ...regionDef.properties, floor: { type: 'integer' } } }), 200);
        expect(await idsOf(other, 'kiosk', { floor: null })).toEqual([id]);
      } finally {
        await stratum.close();
      }
    });
  });
});
