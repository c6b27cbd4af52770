/**
 * The steps not covered elsewhere, on a module that reaches the department tree (so it keeps a
 * department column and maintained counts) and has a trigram-indexed field: an index added and
 * dropped, a format and a minimum length tightened, the search index and the counts carried
 * through a field rename and a module rename.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COUNTS_TABLE } from '../../core/data/scope-counts.js';
import { indexesOf } from '../../core/db/ddl.js';
import { TRIGRAMS_TABLE } from '../../core/query/trigrams.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

describeEachDialect('keys, checks, search and counts through definition changes', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let def: Record<string, any>;

  const apply = async (module: string, body: Record<string, any>) => {
    const plan = expectStatus(await admin.put(`/api/modules/${module}?dryRun=true`, body), 200).body.plan;
    expectStatus(await admin.put(`/api/modules/${module}?confirm=${plan.token}`, body), 200);
    const { 'x-migration': _m, ...stored } = body;
    def = { ...stored, $id: body['x-migration']?.moduleRename ?? module };
    return plan;
  };
  const q = (s: string) => app.stratum.db.quote(s);
  const count = async (sql: string, params: unknown[]) => Number((await app.stratum.db.all({ sql, params }))[0]!.n);

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    const dept = await create(admin, 'department', { code: '0042', name: 'Forty-two' });
    def = {
      $id: 'gear', type: 'object',
      properties: {
        name: { type: 'string', maxLength: 60, 'x-search-index': 'trigram' },
        email: { type: 'string', maxLength: 100 },
        code: { type: 'string', maxLength: 10 },
        owner: { type: 'integer', 'x-ref': 'department' },
      },
      required: ['name'],
      'x-list': { search: ['name'] },
    };
    expectStatus(await admin.post('/api/modules', def), 201);
    await create(admin, 'gear', { name: 'Brass hinge', email: 'a@example.com', code: 'AB', owner: dept });
    await create(admin, 'gear', { name: 'Steel hinge', email: 'not an address', code: 'ABCDE', owner: dept });
    await create(admin, 'gear', { name: 'Oak shelf', code: 'X', owner: dept });
  });
  afterAll(() => app?.close());

  it('adds an index and drops it again', async () => {
    const indexed = (cols: string) => indexesOf(app.stratum.db.sequelize.getQueryInterface(), 'gear').then((all) => all.some((i) => i.columns.join(',') === cols));
    const plan = await apply('gear', { ...def, properties: { ...def.properties, code: { ...def.properties.code, 'x-index': true } } });
    expect(plan.steps.map((s: any) => [s.kind, s.fields])).toEqual([['add-index', ['code']]]);
    expect(await indexed('code')).toBe(true);
    const dropped = await apply('gear', { ...def, properties: { ...def.properties, code: { type: 'string', maxLength: 10 } } });
    expect(dropped.steps.map((s: any) => [s.kind, s.fields])).toEqual([['drop-index', ['code']]]);
    expect(await indexed('code')).toBe(false);
  });

  it('tightens a format and a minimum length only when stored values keep them', async () => {
    const email = await admin.put('/api/modules/gear', { ...def, properties: { ...def.properties, email: { ...def.properties.email, format: 'email' } } });
    expect(email.body.error.code).toBe('misfits');
    expect(email.body.error.plan.steps[0]).toMatchObject({ kind: 'tighten', keyword: 'format', misfits: 1, examples: [expect.objectContaining({ value: 'not an address' })] });
    const short = await admin.put('/api/modules/gear', { ...def, properties: { ...def.properties, code: { ...def.properties.code, minLength: 2 } } });
    expect(short.body.error.plan.steps[0]).toMatchObject({ kind: 'tighten', keyword: 'minLength', misfits: 1, examples: [expect.objectContaining({ value: 'X' })] });
    await apply('gear', { ...def, properties: { ...def.properties, email: { ...def.properties.email, format: 'email' } }, 'x-migration': { onMisfit: { email: 'null' } } });
    expect((await admin.get('/api/data/gear?sort=id')).body.data.map((g: any) => g.email)).toEqual(['a@example.com', null, null]);
  });

  it('a renamed searched field keeps its search index; a renamed module keeps its counts', async () => {
    const postings = async (module: string, field: string) => count(`SELECT COUNT(*) AS n FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1 AND ${q('field')} = $2`, [module, field]);
    const before = await postings('gear', 'name');
    expect(before).toBeGreaterThan(0);
    const { name, ...rest } = def.properties;
    await apply('gear', { ...def, properties: { label: name, ...rest }, required: ['label'], 'x-list': { search: ['label'] }, 'x-migration': { renames: { name: 'label' } } });
    expect(await postings('gear', 'name')).toBe(0);
    expect(await postings('gear', 'label')).toBe(before);
    expect((await admin.get('/api/data/gear?q=hinge&sort=id')).body.data.map((g: any) => g.label)).toEqual(['Brass hinge', 'Steel hinge']);

    const counted = async (module: string) => count(`SELECT COALESCE(SUM(${q('n')}), 0) AS n FROM ${q(COUNTS_TABLE)} WHERE ${q('module')} = $1`, [module]);
    expect(await counted('gear')).toBe(3);
    await apply('gear', { ...def, 'x-migration': { moduleRename: 'part' } });
    expect([await counted('gear'), await counted('part')]).toEqual([0, 3]);
    // The admin's unfiltered total is read from those counts.
    expect((await admin.get('/api/data/part')).body.meta.total).toBe(3);
    expect((await admin.get('/api/data/part?q=hinge')).body.data.length).toBe(2);
    await create(admin, 'part', { label: 'Iron nail', owner: (await admin.get('/api/data/department?filter=%7B%22code%22%3A%220042%22%7D')).body.data[0].id });
    expect((await admin.get('/api/data/part')).body.meta.total).toBe(4);
  });
});
