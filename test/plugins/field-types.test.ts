/**
 * Custom field types (docs/PLUGINS.md "Field types"): `"x-type": "phone"` on a property is stored
 * as the type's plain schema (a VARCHAR(32) column), checked by the type's own validation on
 * every write (400 with a pointer, nothing written), narrowed by the property's own keywords,
 * and served with its UI hint. An unknown type is a definition finding, not a silent JSON column.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { loadPluginFolder } from '../../core/plugins/load-plugins.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';

// The example alone, as the server loads it from modules/ (the other plugins there need their apps).
const EXAMPLE = fileURLToPath(new URL('../../modules/example/', import.meta.url));

describeEachDialect('plugin field types', (dialect) => {
  let app: TestApp;
  let admin: Client;

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [(await loadPluginFolder(EXAMPLE))!], log: () => undefined });
    admin = await app.admin();
  });
  afterAll(async () => app?.close());

  it("refuses a value the type's validation rejects, with a pointer to the field, and writes nothing", async () => {
    const before = await tableCount(app, 'note');
    const r = expectStatus(await admin.post('/api/data/note', { title: 'Call Ada', phone: 'call me maybe' }), 400);
    expect(r.body.error).toMatchObject({ code: 'invalid', details: [{ path: '/phone', code: 'format', message: expect.stringMatching(/phone number/) }] });
    expect(await tableCount(app, 'note')).toBe(before);
    const ok201 = await ok(admin.post('/api/data/note', { title: 'Call Ada', phone: '+44 20 7946 0958' }));
    expect(ok201.phone).toBe('+44 20 7946 0958');
    const patched = expectStatus(await admin.patch(`/api/data/note/${ok201.id}`, { phone: '12' }), 400);
    expect(patched.body.error.details).toEqual([expect.objectContaining({ path: '/phone', code: 'format' })]);
    expect((await ok(admin.get(`/api/data/note/${ok201.id}`), 200)).phone).toBe('+44 20 7946 0958');
  });

  it("stores it as the type's schema: a 32-character column, with the type's length limit checked first", async () => {
    const tooLong = expectStatus(await admin.post('/api/data/note', { title: 'long', phone: `+1 ${'5'.repeat(30)}` }), 400);
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ path: '/phone', code: 'too_long' })]);
    const type = dialect === 'sqlite'
      ? (await app.stratum.db.all({ sql: `SELECT type FROM pragma_table_info('note') WHERE name = 'phone'`, params: [] }))[0]!.type
      : (await app.stratum.db.all({ sql: `SELECT COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'note' AND COLUMN_NAME = 'phone'`, params: [] }))[0]!.type;
    expect(String(type).toLowerCase()).toMatch(/^varchar\(32\)/);
  });

  it('works in modules defined at runtime, where a property may narrow the type', async () => {
    await ok(admin.post('/api/modules', {
      $id: 'contact', type: 'object', required: ['name'],
      properties: { name: { type: 'string', maxLength: 50 }, mobile: { 'x-type': 'phone', maxLength: 16 }, office: { type: 'string', 'x-type': 'phone' } },
    }));
    expectStatus(await admin.post('/api/data/contact', { name: 'Ada', mobile: '+44 7700 900123', office: '020 7946 0958' }), 201);
    const r = expectStatus(await admin.post('/api/data/contact', { name: 'Bob', mobile: '+44 7700 900 123 45', office: 'front desk' }), 400);
    expect(r.body.error.details.map((d: { path: string; code: string }) => `${d.path} ${d.code}`).sort()).toEqual(['/mobile too_long', '/office format']);
  });

  it('refuses an unknown type, or one at odds with its own "type", as a definition finding naming the known types', async () => {
    const r = expectStatus(await admin.post('/api/modules', {
      $id: 'faxbook', type: 'object',
      properties: { fax: { 'x-type': 'fax' }, count: { type: 'integer', 'x-type': 'phone' } },
    }), 400);
    expect(r.body.error.code).toBe('invalid_definition');
    const pointers = r.body.error.details.map((d: { path: string }) => d.path);
    expect(pointers).toContain('/properties/fax/x-type');
    expect(pointers).toContain('/properties/count/x-type');
    expect(r.body.error.details.find((d: { path: string }) => d.path === '/properties/fax/x-type').hint).toMatch(/phone/);
    expectStatus(await admin.get('/api/modules/faxbook'), 404);
  });

  it('serves the type with its UI hint', async () => {
    const example = (await ok(admin.get('/api/plugins'), 200)).data.find((p: { name: string }) => p.name === 'example');
    expect(example.fieldTypes).toEqual([{ name: 'phone', schema: { type: 'string', maxLength: 32 }, ui: { widget: 'tel', placeholder: '+44 20 7946 0958' } }]);
  });
});
