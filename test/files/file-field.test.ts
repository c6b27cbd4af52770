/**
 * File fields (the uploads of E-2 and S-9 as a field type any module may have): bytes
 * kept in the database, uploaded with POST /api/files, attached by handle, and downloaded only
 * through the record that holds them, as whoever may read that record and that field.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openSecondStratum, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { storedDateTime } from '../../core/query/values.js';
import { describeEachDialect } from '../support/databases.js';
import { FILES_TABLE } from '../../core/files/files-table.js';
import { MAX_FILE_BYTES } from '../../core/files/limits.js';
import { expectStatus, ok, tableCount } from '../access/helpers.js';

const PASSWORD = 'password-for-tests';

/** Every byte value, NUL bytes and invalid UTF-8 included: what a text path would mangle. */
const BINARY = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 256);

describeEachDialect('file fields', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const users: Record<string, Client> = {};
  const userIds: Record<string, number> = {};

  /** A multipart POST through the app, as the browser sends it. */
  const upload = async (client: Client, parts: FormData | string, headers: Record<string, string> = {}): Promise<Reply> => {
    const res = await app.app.request('/api/files', { method: 'POST', headers: { cookie: client.cookie, ...headers }, body: parts });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const form = (bytes: Uint8Array<ArrayBuffer>, name = 'scan.pdf', type = 'application/pdf') => {
    const f = new FormData();
    f.append('file', new File([bytes], name, { type }));
    return f;
  };
  const download = (client: Client, id: number, field = 'scan') => app.app.request(`/api/data/contract/${id}/files/${field}`, { headers: { cookie: client.cookie } });

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true });
    admin = await app.admin();
    await ok(admin.post('/api/modules', {
      $id: 'contract',
      type: 'object',
      properties: { title: { type: 'string', maxLength: 60 }, scan: { 'x-type': 'file', title: 'Scan' }, annex: { 'x-type': 'file' } },
      required: ['title'],
    }));
    const clerk = (await ok(admin.post('/api/data/role', { name: 'clerk' }))).id;
    const reader = (await ok(admin.post('/api/data/role', { name: 'title reader' }))).id;
    await ok(admin.post('/api/data/permission', { role: clerk, module: 'contract', actions: ['read', 'create', 'update'] }));
    await ok(admin.post('/api/data/permission', { role: reader, module: 'contract', actions: ['read'], readFields: ['title'] }));
    for (const [name, role] of [['ann', clerk], ['bob', clerk], ['narrow', clerk], ['titles', reader]] as const) {
      userIds[name] = (await ok(admin.post('/api/data/user', { username: name, password: PASSWORD, roles: [role] }))).id;
      users[name] = await app.client().login(name, PASSWORD);
    }
    // `narrow` reads only the contracts titled "open".
    await ok(admin.post('/api/data/rule', { name: 'open only', module: 'contract', filter: { title: 'open' }, actions: ['read'], users: [userIds.narrow] }));
  });
  afterAll(() => app?.close());

  it('uploads a file and answers its handle; attaching it stores the handle, and the bytes come back exactly (NUL bytes included)', async () => {
    const r = expectStatus(await upload(users.ann!, form(BINARY, 'Scan 2024 合同.pdf')), 201);
    expect(r.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'Scan 2024 合同.pdf', type: 'application/pdf', size: BINARY.length });
    // A client's name and size are not believed: the engine writes the stored ones.
    const record = await ok(users.ann!.post('/api/data/contract', { title: 'closed', scan: { id: r.body.id, name: 'evil.exe', size: 1 } }));
    expect(record.scan).toEqual(r.body);
    const res = await download(users.ann!, record.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Scan 2024 __.pdf"; filename*=UTF-8''Scan%202024%20${encodeURIComponent('合同')}.pdf`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(BINARY);
    // Any other reader of the record and the field downloads it too.
    expect(new Uint8Array(await (await download(admin, record.id)).arrayBuffer())).toEqual(BINARY);
  });

  it('answers 404 to whoever may not see the record, and to whoever may not read the field', async () => {
    const handle = (await upload(users.ann!, form(BINARY))).body;
    const hidden = await ok(users.ann!.post('/api/data/contract', { title: 'closed', scan: handle }));
    const open = await ok(users.ann!.post('/api/data/contract', { title: 'open', scan: handle }));
    expect((await download(users.narrow!, hidden.id)).status).toBe(404);
    expect((await download(users.narrow!, open.id)).status).toBe(200);
    const titles = await download(users.titles!, open.id);
    expect(titles.status).toBe(404);
    expect((await titles.json()).error.code).toBe('not_found');
    expect((await download(users.ann!, open.id, 'title')).status).toBe(404);
    expect((await download(users.ann!, open.id, 'annex')).status).toBe(404); // no file there
    // There is no way to a file by its id alone.
    expect((await app.app.request(`/api/files/${handle.id}`, { headers: { cookie: users.ann!.cookie } })).status).toBe(404);
  });

  it("refuses a handle another user uploaded, and one that does not exist, on the field; nothing is written", async () => {
    const bobs = (await upload(users.bob!, form(BINARY))).body;
    const before = await tableCount(app, 'contract');
    const r = expectStatus(await users.ann!.post('/api/data/contract', { title: 'mine', scan: bobs, annex: { id: 'f'.repeat(32) } }), 400);
    expect(r.body.error.details).toEqual([
      { path: '/scan', code: 'file_unknown', message: expect.stringContaining('names no file you uploaded') },
      { path: '/annex', code: 'file_unknown', message: expect.stringContaining('names no file you uploaded') },
    ]);
    expect(await tableCount(app, 'contract')).toBe(before);
    const bad = expectStatus(await users.ann!.post('/api/data/contract', { title: 'mine', scan: 'report.pdf' }), 400);
    expect(bad.body.error.details).toEqual([{ path: '/scan', code: 'file', message: expect.stringContaining('POST /api/files') }]);
  });

  it("keeps a file the record already holds when another user sends the record back, and clears it with null", async () => {
    const anns = (await upload(users.ann!, form(BINARY))).body;
    const record = await ok(users.ann!.post('/api/data/contract', { title: 'shared', scan: anns }));
    const updated = expectStatus(await users.bob!.patch(`/api/data/contract/${record.id}`, { title: 'shared 2', scan: record.scan }), 200).body;
    expect(updated.scan).toEqual(anns);
    // Bob may not move Ann's file to another field or record, though.
    expectStatus(await users.bob!.patch(`/api/data/contract/${record.id}`, { annex: anns }), 400);
    expectStatus(await users.bob!.post('/api/data/contract', { title: 'copy', scan: anns }), 400);
    const cleared = expectStatus(await users.bob!.patch(`/api/data/contract/${record.id}`, { scan: null }), 200).body;
    expect(cleared.scan).toBeNull();
    expect((await download(users.ann!, record.id)).status).toBe(404);
  });

  it('refuses a file over 2 MiB with 413 file_too_large and keeps nothing; takes one of exactly 2 MiB', async () => {
    const before = await tableCount(app, FILES_TABLE);
    const r = expectStatus(await upload(users.ann!, form(new Uint8Array(MAX_FILE_BYTES + 1))), 413);
    expect(r.body.error).toMatchObject({ code: 'too_large', details: [{ path: '/file', code: 'too_large' }] });
    expect(await tableCount(app, FILES_TABLE)).toBe(before);
    const full = expectStatus(await upload(users.ann!, form(new Uint8Array(MAX_FILE_BYTES).fill(255))), 201);
    expect(full.body.size).toBe(MAX_FILE_BYTES);
  });

  it('refuses a bad multipart body with 400 and a pointer, a form without a file, and a body that is no form', async () => {
    const before = await tableCount(app, FILES_TABLE);
    const broken = expectStatus(await upload(users.ann!, '--x\r\nnot a part', { 'content-type': 'multipart/form-data; boundary=x' }), 400);
    expect(broken.body.error).toMatchObject({ code: 'invalid_form', details: [{ path: '' }] });
    const empty = new FormData();
    empty.append('note', 'no file here');
    const missing = expectStatus(await upload(users.ann!, empty), 400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_form', details: [{ path: '/file', code: 'required' }] });
    expectStatus(await upload(users.ann!, '{}', { 'content-type': 'application/json' }), 415);
    expectStatus(await upload(users.titles!, form(BINARY)), 403); // writes no file field anywhere
    expect(await tableCount(app, FILES_TABLE)).toBe(before);
  });

  it('lists file fields as unsortable and filterable only by being empty; exports show the name; history keeps the handle', async () => {
    const handle = (await upload(users.ann!, form(BINARY, 'export-me.pdf'))).body;
    const record = await ok(users.ann!.post('/api/data/contract', { title: 'exported', scan: handle }));
    expectStatus(await admin.get('/api/data/contract?sort=scan'), 400);
    expectStatus(await admin.get(`/api/data/contract?filter=${encodeURIComponent(JSON.stringify({ scan: { eq: 'x' } }))}`), 400);
    const empty = expectStatus(await admin.get(`/api/data/contract?filter=${encodeURIComponent(JSON.stringify({ scan: { isNull: true } }))}&pageSize=500`), 200).body;
    expect(empty.data.every((r: { scan: unknown }) => r.scan === null)).toBe(true);
    const csv = (await admin.get(`/api/data/contract/export?fields=title,scan&filter=${encodeURIComponent(JSON.stringify({ id: record.id }))}`)).body as string;
    expect(csv.split('\r\n').slice(0, 2)).toEqual(['id,title,scan', `${record.id},exported,export-me.pdf`]);
    const meta = (await users.ann!.get('/api/meta/modules')).body.data.find((m: { name: string }) => m.name === 'contract');
    expect(meta.fields.find((f: { name: string }) => f.name === 'scan')).toMatchObject({ kind: 'file', sortable: false, maxBytes: MAX_FILE_BYTES });
    const history = expectStatus(await admin.get(`/api/data/contract/${record.id}/history`), 200).body;
    // The handle, as the record holds it: a few dozen bytes, never the file.
    expect(JSON.stringify(history)).toContain(JSON.stringify(handle));
    expect(JSON.stringify(history).length).toBeLessThan(BINARY.length);
  });

  it('serves a file uploaded through one server process from another: the bytes are in the database, not on a disk', async () => {
    const second = await openSecondStratum(app);
    try {
      const handle = (await upload(users.ann!, form(BINARY, 'shared.bin', 'application/octet-stream'))).body;
      const record = await ok(users.ann!.post('/api/data/contract', { title: 'two processes', scan: handle }));
      const elsewhere = await second.client().login('ann', PASSWORD);
      const res = await second.app.request(`/api/data/contract/${record.id}/files/scan`, { headers: { cookie: elsewhere.cookie } });
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(BINARY);
    } finally {
      await second.stratum.close();
    }
  });

  it('deletes uploads that no record took for a day, at the next upload; keeps the ones a record took', async () => {
    const db = app.stratum.db;
    const q = (s: string) => db.quote(s);
    const left = (await upload(users.ann!, form(BINARY))).body;
    const taken = (await upload(users.ann!, form(BINARY))).body;
    await ok(users.ann!.post('/api/data/contract', { title: 'kept', scan: taken }));
    const twoDaysAgo = storedDateTime(new Date(Date.now() - 2 * 24 * 3600 * 1000));
    await db.update({ sql: `UPDATE ${q(FILES_TABLE)} SET ${q('createdAt')} = $1 WHERE ${q('id')} IN ($2, $3)`, params: [twoDaysAgo, left.id, taken.id] });
    await upload(users.ann!, form(BINARY));
    const ids = (await db.all({ sql: `SELECT ${q('id')} AS id FROM ${q(FILES_TABLE)} WHERE ${q('id')} IN ($1, $2)`, params: [left.id, taken.id] })).map((r) => r.id);
    expect(ids).toEqual([taken.id]);
    // The swept upload can no longer be attached.
    const r = expectStatus(await users.ann!.post('/api/data/contract', { title: 'late', scan: left }), 400);
    expect(r.body.error.details).toMatchObject([{ path: '/scan', code: 'file_unknown' }]);
  });

  it('documents the upload and the download in OpenAPI, and a record with a file matches its schema', async () => {
    const doc = expectStatus(await users.ann!.get('/api/openapi.json'), 200).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(doc.paths['/api/files'])).toEqual(['post']);
    expect(doc.paths['/api/data/contract/{id}/files/{field}'].get.parameters[1].schema.enum).toEqual(['scan', 'annex']);
    // A reader without the file fields has no download path for this module.
    const limited = expectStatus(await users.titles!.get('/api/openapi.json'), 200).body;
    expect(limited.paths['/api/data/contract/{id}/files/{field}']).toBeUndefined();
    const handle = (await upload(users.ann!, form(BINARY))).body;
    const record = await ok(users.ann!.post('/api/data/contract', { title: 'documented', scan: handle }));
    const ajv = new Ajv2020.default({ strict: false });
    ajv.addSchema({ $id: 'https://stratum.test/openapi.json', components: doc.components });
    const validate = ajv.getSchema('https://stratum.test/openapi.json#/components/schemas/contract')!;
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...record, scan: { id: 'not-a-file' } })).toBe(false);
  });

  it('refuses file fields that would be sorted, searched, given a default or made unique', async () => {
    const r = expectStatus(await admin.post('/api/modules', {
      $id: 'broken', type: 'object',
      properties: { doc: { 'x-type': 'file', default: { id: 'x' }, 'x-unique': true }, other: { 'x-type': 'file', type: 'string' } },
      'x-list': { sort: 'doc', search: ['doc'] },
    }), 400);
    const paths = r.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['/properties/doc/default', '/properties/doc/x-unique', '/properties/other/type', '/x-list/sort', '/x-list/search/0']));
  });
});
