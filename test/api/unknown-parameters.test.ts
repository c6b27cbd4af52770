/**
 * A query parameter or body field a route does not know is refused with 400, never ignored: an
 * aggregate asked with `having=` that answered unfiltered groups would be read as filtered. What
 * the UI and the typed client send stays accepted, and the OpenAPI document lists exactly what
 * each route knows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineCrm, defineModule, expectStatus } from './crm.js';
import { KNOWN_QUERY, knownQuery, type Operation } from '../../core/api/known-parameters.js';

describeEachDialect('unknown parameters', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let customer: number;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
    await defineModule(admin, { $id: 'memo', type: 'object', 'x-soft-delete': true, properties: { text: { type: 'string', maxLength: 40 } } });
    customer = await create(admin, 'customer', { name: 'Ada', grade: 'gold' });
    await create(admin, 'customer', { name: 'Bob', grade: 'silver' });
  });
  afterAll(() => app?.close());

  /** A 400 `unknown_parameter` naming `name` by pointer and listing what the route knows. */
  const refused = (r: Reply, name: string, knows: readonly string[]) => {
    expectStatus(r, 400);
    expect(r.body.error.code).toBe('unknown_parameter');
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ path: `/${name}` }));
    for (const k of knows) expect(r.body.error.message).toContain(k);
  };

  it('an aggregate with having, compare, sort or others is refused, not answered unfiltered', async () => {
    for (const extra of ['having=' + encodeURIComponent('{"count()":{"gt":1}}'), 'compare=previousYear', 'sort=-count()', 'others=true']) {
      const r = await admin.get(`/api/data/customer/aggregate?groupBy=grade&metrics=count()&${extra}`);
      refused(r, extra.split('=')[0]!, ['groupBy', 'metrics', 'filter', 'q', 'limit']);
    }
    // What the department tree sends (ui/components/department-tree.ts) still answers.
    const tree = expectStatus(await admin.get(`/api/data/customer/aggregate?groupBy=grade&metrics=count()&limit=10000&q=a&${filterParam({ grade: 'gold' })}`), 200);
    expect(tree.body.data).toEqual([{ grade: 'gold', 'count()': 1 }]);
  });

  it('lists, exports and reads refuse a misspelt parameter; what the UI and the client send is accepted', async () => {
    refused(await admin.get('/api/data/customer?pagesize=5'), 'pagesize', ['pageSize']);
    refused(await admin.get('/api/data/customer?withDeleted=true'), 'withDeleted', ['filter']);
    // `deleted` means something with x-soft-delete only; elsewhere the refusal says so.
    expect(expectStatus(await admin.get('/api/data/customer?deleted=only'), 400).body.error.code).toBe('soft_delete_off');
    expectStatus(await admin.get('/api/data/memo?deleted=only'), 200);
    refused(await admin.get('/api/data/customer/export?page=2'), 'page', ['fields']);
    refused(await admin.get(`/api/data/customer/${customer}?field=name`), 'field', ['fields']);
    // Every parameter of ui/pages/list-page.ts and core/client's list, at once.
    const all = `${filterParam({ grade: 'gold' })}&q=Ada&sort=-name&page=1&pageSize=10&fields=name,grade&total=capped&totalCap=100`;
    expect(expectStatus(await admin.get(`/api/data/customer?${all}`), 200).body.data).toEqual([expect.objectContaining({ name: 'Ada' })]);
    expectStatus(await admin.get('/api/data/customer?sort=name&after=&total=none'), 200);
    expectStatus(await admin.get(`/api/data/customer/export?${filterParam({ grade: 'gold' })}&q=Ada&sort=name&fields=name`), 200);
    // Two unknown parameters: a pointer each; a name with `/` and `~` escaped as a JSON pointer.
    const two = expectStatus(await admin.get('/api/data/customer?a%2Fb=1&c~d=2'), 400);
    expect(two.body.error.details.map((d: { path: string }) => d.path)).toEqual(['/a~1b', '/c~0d']);
  });

  it('writes with an unknown parameter or body field are refused and write nothing', async () => {
    const before = await countOf(admin, 'customer');
    refused(await admin.post('/api/data/customer?dryRun=true', { name: 'Cy' }), 'dryRun', []);
    const field = expectStatus(await admin.post('/api/data/customer', { name: 'Cy', nickname: 'C' }), 400);
    expect(field.body.error.details).toContainEqual(expect.objectContaining({ path: '/nickname' }));
    refused(await admin.patch(`/api/data/customer/${customer}?force=1`, { name: 'Ada 2' }), 'force', []);
    refused(await admin.delete(`/api/data/customer/${customer}?purge=true&force=1`), 'force', ['purge']);
    const bulk = expectStatus(await admin.post('/api/data/customer/bulk', { action: 'delete', ids: [customer], dryRun: true }), 400);
    expect(bulk.body.error).toMatchObject({ code: 'unknown_field', details: [{ path: '/dryRun' }] });
    expect(await countOf(admin, 'customer')).toBe(before);
    expect(expectStatus(await admin.get(`/api/data/customer/${customer}`), 200).body.name).toBe('Ada');
  });

  it('module, change and schema routes refuse a misspelt flag before they change anything', async () => {
    const memo = { $id: 'note_x', type: 'object', properties: { text: { type: 'string', maxLength: 40 } } };
    await defineModule(admin, memo);
    // `dryrun` for `dryRun`: answered as a real change today would change the module.
    refused(await admin.put('/api/modules/note_x?dryrun=true', { ...memo, properties: {} }), 'dryrun', ['dryRun', 'confirm']);
    refused(await admin.delete('/api/modules/note_x?dry_run=true'), 'dry_run', ['dryRun', 'confirm']);
    expect(expectStatus(await admin.get('/api/modules/note_x'), 200).body.definition.properties.text).toBeDefined();
    refused(await admin.get('/api/modules?x=1'), 'x', []);
    refused(await admin.get('/api/modules/trash?x=1'), 'x', []);
    refused(await admin.get('/api/schema/snapshot?x=1'), 'x', []);
    const snapshot = expectStatus(await admin.get('/api/schema/snapshot'), 200).body;
    refused(await admin.post('/api/schema/apply?confirmm=a', snapshot), 'confirmm', ['confirm']);
    const wrapped = expectStatus(await admin.post('/api/schema/diff', { snapshot, confirms: {} }), 400);
    expect(wrapped.body.error).toMatchObject({ code: 'unknown_field', details: [{ path: '/confirms' }] });
    const bare = expectStatus(await admin.post('/api/schema/diff', { ...snapshot, extra: 1 }), 400);
    expect(bare.body.error.details).toEqual([expect.objectContaining({ path: '/extra' })]);
    const revert = expectStatus(await admin.post('/api/modules/note_x/changes/1/revert', { 'x-migrations': {} }), 400);
    expect(revert.body.error.details).toEqual([expect.objectContaining({ path: '/x-migrations' })]);
    // A definition's unknown top-level keyword: refused with its pointer, nothing created.
    const def = expectStatus(await admin.post('/api/modules', { ...memo, $id: 'note_y', colour: 'red' }), 400);
    expect(def.body.error.details).toContainEqual(expect.objectContaining({ path: '/colour' }));
    expectStatus(await admin.get('/api/modules/note_y'), 404);
  });

  it('meta, explain, files and the document refuse what they do not know', async () => {
    refused(await admin.get('/api/meta/modules?lang=zh'), 'lang', []);
    refused(await admin.get('/api/openapi.json?v=2'), 'v', []);
    refused(await admin.get('/api/data/customer/explain?user=1&action=read'), 'action', ['user']);
    expectStatus(await admin.get('/api/data/customer/explain?user=1'), 200);
    refused(await admin.request('POST', '/api/files?x=1', 'not multipart', { 'content-type': 'text/plain' }), 'x', []);
  });

  describe('the OpenAPI document', () => {
    it('lists, for every operation, exactly the query parameters its route knows', async () => {
      const doc = expectStatus(await admin.get('/api/openapi.json'), 200).body;
      const graph = await app.stratum.registry.graph();
      const named = (p: { $ref?: string; name?: string; in?: string }) => {
        const param = p.$ref ? doc.components.parameters[p.$ref.split('/').pop()!] : p;
        return param.in === 'query' ? [param.name as string] : [];
      };
      let checked = 0;
      for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          if (method === 'parameters') continue;
          const [owner, ...rest] = String(op.operationId).split('.');
          const module = graph.modules.get(owner!);
          const key = (module ? `data.${rest.join('.')}` : op.operationId) as Operation;
          expect(KNOWN_QUERY, `${method} ${path}`).toHaveProperty([key]);
          const documented = [...(item.parameters ?? []), ...(op.parameters ?? [])].flatMap(named);
          expect({ op: op.operationId, documented }).toEqual({ op: op.operationId, documented: knownQuery(key) });
          expect(op.responses['400'], `${method} ${path}`).toBeDefined();
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(100);
    });
  });
});
