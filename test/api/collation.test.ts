import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';

/** Text compares the same on both dialects: ASCII case is ignored by equality, uniqueness and sort. */
describeEachDialect('text comparison is the same on SQLite and MariaDB', (dialect) => {
  let app: TestApp;
  let admin: Client;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await admin.post('/api/modules', { $id: 'fruit', type: 'object', properties: { name: { type: 'string', maxLength: 20, 'x-unique': true }, note: { type: 'string' } }, required: ['name'] });
    for (const name of ['apple', 'Banana', 'cherry']) await admin.post('/api/data/fruit', { name, note: name.toUpperCase() });
  });
  afterAll(async () => app?.close());

  it('equality ignores case, on short and long text', async () => {
    expect((await admin.get(`/api/data/fruit?${filterParam({ name: 'APPLE' })}`)).body.meta.total).toBe(1);
    expect((await admin.get(`/api/data/fruit?${filterParam({ note: 'banana' })}`)).body.meta.total).toBe(1);
  });

  it('a unique field refuses the same text in another case (C-2 duplicates)', async () => {
    const r = await admin.post('/api/data/fruit', { name: 'APPLE' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('duplicate');
  });

  it('sorting ignores case', async () => {
    const r = await admin.get('/api/data/fruit?sort=name');
    expect(r.body.data.map((f: { name: string }) => f.name)).toEqual(['apple', 'Banana', 'cherry']);
  });
});
