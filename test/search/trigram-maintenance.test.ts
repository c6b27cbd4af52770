/**
 * The million-row benchmark's Q3: the trigram postings stay true on every write path, on both dialects — create,
 * update (only when an indexed field changes), delete, bulk update and delete, soft delete,
 * restore and purge, a history revert, rows deleted by a cascade, postings left under a new id,
 * the keyword added to a module that has rows (PUT /api/modules), and afterBulkLoad after rows
 * were written around the engine. "True" means: every posting a row's text calls for is there
 * (a missing one would be a wrong answer), and a direct write leaves none behind for the row.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { textGrams } from '../../core/query/fold.js';
import { TRIGRAMS_TABLE } from '../../core/query/trigrams.js';
import { dropModule } from '../api/crm.js';

describeEachDialect('the trigram postings stay true on every write path', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const q = (s: string) => app.stratum.db.quote(s);
  const ok = async <T>(reply: Promise<{ status: number; body: T }>, status = 200) => {
    const r = await reply;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body as any;
  };

  /** What the postings lack (`missing`) and hold beyond the rows' texts (`extra`, deleted ids included). */
  async function drift(module: string, field: string) {
    const rows = await app.stratum.db.all({ sql: `SELECT ${q('id')} AS id, ${q(field)} AS v FROM ${q(module)}`, params: [] });
    const want = new Set<string>();
    for (const r of rows) {
      if (r.v === null) continue;
      const { sure, grams } = textGrams(String(r.v));
      for (const g of sure ? grams : ['']) want.add(`${r.id}:${g}`);
    }
    const posted = await app.stratum.db.all({
      sql: `SELECT ${q('id')} AS id, ${q('gram')} AS g FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1 AND ${q('field')} = $2`,
      params: [module, field],
    });
    const have = new Set(posted.map((p) => `${p.id}:${Buffer.isBuffer(p.g) ? p.g.toString('latin1') : String(p.g)}`));
    return { missing: [...want].filter((k) => !have.has(k)), extra: [...have].filter((k) => !want.has(k)) };
  }
  const exact = async (module = 'contact', field = 'name') => expect(await drift(module, field)).toEqual({ missing: [], extra: [] });
  const names = async (query: string, module = 'contact') =>
    (await ok(admin.get(`/api/data/${module}?q=${encodeURIComponent(query)}&pageSize=500&sort=id`))).data.map((r: { name: string }) => r.name);

  beforeAll(async () => {
    app = await startTestApp(dialect, { builtinPlugins: true });
    admin = await app.admin();
    await ok(admin.post('/api/modules', {
      $id: 'contact', type: 'object', 'x-soft-delete': true,
      properties: {
        name: { type: 'string', maxLength: 100, 'x-search-index': 'trigram' },
        city: { type: 'string', maxLength: 50 },
      },
      'x-list': { search: ['name'] },
    }), 201);
    await ok(admin.post('/api/modules', {
      $id: 'note', type: 'object',
      properties: {
        name: { type: 'string', 'x-search-index': 'trigram' },
        contact: { type: 'integer', 'x-ref': 'contact', 'x-on-delete': 'cascade' },
      },
      'x-list': { search: ['name'] },
    }), 201);
  });
  afterAll(() => app?.close());

  it('create posts the grams of the new record, or the unsure marker', async () => {
    for (const name of ['Anna Hartmann', 'Jürgen Artmann', '王小明', 'Straße 5']) await ok(admin.post('/api/data/contact', { name }), 201);
    await exact();
    expect(await names('artman')).toEqual(['Anna Hartmann', 'Jürgen Artmann']);
    expect(await names('stra')).toEqual(['Straße 5']);
    expect(await names('tras')).toEqual([]); // LIKE compares ß with s, one character each: no match, with or without the index
  });

  it('update replaces the postings when the indexed field changes, and only then', async () => {
    const [anna] = (await ok(admin.get('/api/data/contact?q=Anna'))).data;
    await ok(admin.patch(`/api/data/contact/${anna.id}`, { name: 'Anna Łukasz' }));
    await exact();
    expect(await names('artman')).toEqual(['Jürgen Artmann']);
    await ok(admin.patch(`/api/data/contact/${anna.id}`, { name: 'Anna Bergmann' }));
    await exact();
    expect(await names('ergman')).toEqual(['Anna Bergmann']);
    const before = await drift('contact', 'name');
    await ok(admin.patch(`/api/data/contact/${anna.id}`, { city: 'Köln' }));
    expect(await drift('contact', 'name')).toEqual(before);
  });

  it('bulk update and delete keep them true', async () => {
    const a = await ok(admin.post('/api/data/contact', { name: 'Bulk One' }), 201);
    const b = await ok(admin.post('/api/data/contact', { name: 'Bulk Two' }), 201);
    await ok(admin.post('/api/data/contact/bulk', { action: 'update', ids: [a.id, b.id], values: { name: 'Bulk Renamed' } }));
    await exact();
    expect(await names('renamed')).toEqual(['Bulk Renamed', 'Bulk Renamed']);
    await ok(admin.post('/api/data/contact/bulk', { action: 'delete', ids: [a.id, b.id] }));
    expect(await names('renamed')).toEqual([]);
    await ok(admin.post(`/api/data/contact/${a.id}/restore`));
    expect(await names('renamed')).toEqual(['Bulk Renamed']);
    await exact();
  });

  it('soft delete hides, restore brings back, purge removes the postings', async () => {
    const c = await ok(admin.post('/api/data/contact', { name: 'Soft Deleted Person' }), 201);
    await ok(admin.delete(`/api/data/contact/${c.id}`), 204);
    expect(await names('deleted person')).toEqual([]);
    await exact();
    await ok(admin.post(`/api/data/contact/${c.id}/restore`));
    expect(await names('deleted person')).toEqual(['Soft Deleted Person']);
    await ok(admin.delete(`/api/data/contact/${c.id}`), 204);
    await ok(admin.delete(`/api/data/contact/${c.id}?purge=true`), 204);
    await exact();
  });

  it('a history revert goes through the update and moves the postings back', async () => {
    const c = await ok(admin.post('/api/data/contact', { name: 'Version One' }), 201);
    await ok(admin.patch(`/api/data/contact/${c.id}`, { name: 'Version Two' }));
    expect(await names('one')).toEqual([]);
    await ok(admin.post(`/api/data/contact/${c.id}/revert`, { version: 1 }));
    await exact();
    expect(await names('version one')).toEqual(['Version One']);
    expect(await names('two')).toEqual([]);
  });

  it('rows deleted by a cascade may leave postings behind, which change no answer', async () => {
    const c = await ok(admin.post('/api/data/contact', { name: 'Parent' }), 201);
    for (const name of ['cascade child one', 'cascade child two']) await ok(admin.post('/api/data/note', { name, contact: c.id }), 201);
    expect(await names('cascade', 'note')).toEqual(['cascade child one', 'cascade child two']);
    await ok(admin.delete(`/api/data/contact/${c.id}`), 204);
    await ok(admin.delete(`/api/data/contact/${c.id}?purge=true`), 204);
    expect(await names('cascade', 'note')).toEqual([]);
    expect((await drift('note', 'name')).missing).toEqual([]);
    // A new note, whatever id it gets, is found by its own text only.
    await ok(admin.post('/api/data/note', { name: 'fresh note' }), 201);
    expect(await names('cascade', 'note')).toEqual([]);
    expect(await names('fresh', 'note')).toEqual(['fresh note']);
    expect((await drift('note', 'name')).missing).toEqual([]);
  });

  it('postings already under the id a new record gets (a reused id, what a cascade left) do not block its own', async () => {
    const a = await ok(admin.post('/api/data/note', { name: 'just before' }), 201);
    const next = a.id + 1;
    await app.stratum.db.insert({
      sql: `INSERT INTO ${q(TRIGRAMS_TABLE)} (${q('module')}, ${q('field')}, ${q('gram')}, ${q('id')}) VALUES ($1, $2, $3, $4), ($1, $2, $5, $4)`,
      params: ['note', 'name', 'low', next, 'zzz'],
    });
    const b = await ok(admin.post('/api/data/note', { name: 'lower again' }), 201);
    expect(b.id).toBe(next);
    expect(await names('lower', 'note')).toEqual(['lower again']);
    expect(await names('zzz', 'note')).toEqual([]);
    expect((await drift('note', 'name')).missing).toEqual([]);
  });

  it('the keyword added to a module with rows builds its postings; taken away, drops them', async () => {
    await ok(admin.post('/api/modules', {
      $id: 'city', type: 'object', properties: { name: { type: 'string', maxLength: 60 } }, 'x-list': { search: ['name'] },
    }), 201);
    for (const name of ['Hamburg', 'Augsburg', 'Zürich', '北京']) await ok(admin.post('/api/data/city', { name }), 201);
    expect((await drift('city', 'name')).missing).toHaveLength(5 + 6 + 4 + 1);
    const def = (await ok(admin.get('/api/modules/city'))).definition;
    await ok(admin.put('/api/modules/city', { ...def, properties: { name: { ...def.properties.name, 'x-search-index': 'trigram' } } }));
    await exact('city');
    expect(await names('burg', 'city')).toEqual(['Hamburg', 'Augsburg']);
    expect(await names('京', 'city')).toEqual(['北京']);
    await ok(admin.put('/api/modules/city', def));
    expect(await drift('city', 'name')).toEqual({ missing: (await drift('city', 'name')).missing, extra: [] });
    expect(await names('burg', 'city')).toEqual(['Hamburg', 'Augsburg']);
  });

  it('a module deleted takes its postings along', async () => {
    await ok(admin.post('/api/modules', { $id: 'gone', type: 'object', properties: { name: { type: 'string', 'x-search-index': 'trigram' } } }), 201);
    await ok(admin.post('/api/data/gone', { name: 'soon gone' }), 201);
    const posted = () => app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1`, params: ['gone'] });
    expect(Number((await posted())[0]!.n)).toBeGreaterThan(0);
    await dropModule(admin, 'gone');
    expect(Number((await posted())[0]!.n)).toBe(0);
  });

  it('afterBulkLoad rebuilds them after rows were written around the engine', async () => {
    const now = '2025-01-01 00:00:00.000';
    await app.stratum.db.insert({
      sql: `INSERT INTO ${q('contact')} (${q('name')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ($1, $2, $2, 1), ($3, $2, $2, 1)`,
      params: ['Loaded Around', now, '装载'],
    });
    expect((await drift('contact', 'name')).missing.length).toBeGreaterThan(0);
    expect(await names('around')).toEqual([]);
    await app.stratum.afterBulkLoad();
    await exact();
    expect(await names('around')).toEqual(['Loaded Around']);
  });
});
