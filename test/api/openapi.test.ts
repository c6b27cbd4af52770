/**
 * The OpenAPI document: valid OpenAPI 3.1 for every caller and after runtime
 * changes; one path per route the app serves; only what the caller may read; and schemas that
 * are true — the records, errors and filters the server really answers and accepts validate
 * against them, and what the server refuses does not.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, defineCrm, dropModule, expectStatus, isoDay } from './crm.js';
import { COMPARE_OPS, QUANTIFIERS } from '../../core/query/ast.js';
import { answerChecker, operationsOf as documentedOperationsOf, recording, type Answer } from './openapi-answers.js';

type Doc = { openapi: string; info: { version: string }; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

const BASE = 'https://stratum.test/openapi.json';

/** Validates values against the document's component schemas with ajv (draft 2020-12, formats asserted). */
function schemasOf(doc: Doc) {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, allowMatchingProperties: true });
  addFormats.default(ajv);
  ajv.addFormat('password', true);
  // x- extensions are annotations; strict mode refuses any other unknown keyword (a typo in a schema).
  const extensions = new Set<string>();
  JSON.stringify(doc.components.schemas, (key, value) => (key.startsWith('x-') && extensions.add(key), value));
  for (const k of [...extensions, 'components']) ajv.addKeyword(k);
  ajv.addSchema({ $id: BASE, components: { schemas: doc.components.schemas } });
  const validator = (name: string) => {
    expect(doc.components.schemas[name], `schema ${name}`).toBeDefined();
    return ajv.getSchema(`${BASE}#/components/schemas/${name}`)!;
  };
  return {
    compileAll: () => Object.keys(doc.components.schemas).forEach(validator),
    /** The ajv errors of a value, [] when it is valid. */
    errors(name: string, value: unknown) {
      const validate = validator(name);
      return validate(value) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
    },
  };
}

async function expectValidOpenApi(doc: unknown) {
  const validator = new Validator();
  const result = await validator.validate(doc as Record<string, unknown>);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
}

/** The parts of the app this document covers (plugins' own routes are not among them yet). */
const DOCUMENTED = /^\/api\/(data|auth|modules|schema|files|openapi\.json|docs)(\/|$)/;

/** `GET /api/data/:module/:id{[1-9][0-9]{0,14}}` → the document's `get /api/data/<module>/{id}` for each module. */
function documentedOperations(routes: readonly { method: string; path: string }[], modules: readonly string[], softDelete: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const r of routes) {
    if (r.method === 'ALL' || !DOCUMENTED.test(r.path)) continue;
    const path = r.path.replace(/:([a-zA-Z]+)\{[^/]*\}/g, '{$1}');
    // Restore is documented only where it applies: modules with x-soft-delete.
    // A download is documented only where there is a file field (none in this CRM).
    const owners = path.endsWith('/restore') ? modules.filter((m) => softDelete.includes(m)) : path.endsWith('/files/:field') ? [] : modules;
    const forEach = path.startsWith('/api/data/:module') ? owners.map((m) => path.replace(':module', m)) : [path.replace(/:([a-zA-Z]+)/g, '{$1}')];
    for (const p of forEach) out.add(`${r.method.toLowerCase()} ${p}`);
  }
  // The audit plugin's record routes, mounted by the plugin host when it is loaded; documented
  // either way (404 while it is not), so that a client written against one server works on the next.
  for (const m of modules) out.add(`get /api/data/${m}/{id}/history`).add(`post /api/data/${m}/{id}/revert`);
  return [...out].sort();
}

const operationsOf = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => k !== 'parameters').map((method) => `${method} ${path}`)).sort();

describeEachDialect('OpenAPI document', (dialect) => {
  let app: TestApp;
  let admin: Client;
  /** What admin was answered during the current test (checked against the document where a test says so). */
  const answers: Answer[] = [];

  const documentOf = async (client: Client): Promise<Doc> => expectStatus(await client.get('/api/openapi.json'), 200).body;

  beforeEach(() => {
    answers.length = 0;
  });

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = recording(await app.admin(), answers);
    await defineCrm(admin);
  });
  afterAll(async () => app?.close());

  it('is valid OpenAPI 3.1, and each of its schemas compiles as strict JSON Schema 2020-12', async () => {
    const doc = await documentOf(admin);
    expect(doc.openapi).toBe('3.1.0');
    await expectValidOpenApi(doc);
    schemasOf(doc).compileAll();
    // The validator is not a rubber stamp: a broken copy is refused.
    const broken = structuredClone(doc);
    broken.paths['/api/data/customer']!.get.responses = {};
    (broken.paths['/api/data/customer']!.get.parameters as unknown[]).push({ name: 'x', in: 'body' });
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('documents every route the app serves, for every module, and nothing else', async () => {
    const doc = await documentOf(admin);
    const modules = [...(await app.stratum.registry.graph()).modules.keys()].sort();
    expect(modules).toEqual(expect.arrayContaining(['customer', 'department', 'followup', 'order', 'orderline', 'permission', 'role', 'rule', 'salesman', 'tag', 'user']));
    expect(operationsOf(doc)).toEqual(documentedOperations(app.app.routes, modules));
    expect(operationsOf(doc)).toEqual(expect.arrayContaining([
      'get /api/data/order', 'post /api/data/order', 'get /api/data/order/{id}', 'patch /api/data/order/{id}', 'delete /api/data/order/{id}',
      'get /api/data/order/aggregate', 'get /api/data/order/export', 'post /api/data/order/bulk', 'get /api/data/order/explain', 'get /api/data/order/{id}/explain',
      'post /api/auth/login', 'get /api/modules', 'put /api/modules/{module}', 'get /api/openapi.json', 'get /api/docs',
    ]));
    const list = doc.paths['/api/data/order']!.get;
    const params = (list.parameters as { $ref?: string; name?: string }[]).map((p) => p.name ?? p.$ref!.split('/').pop());
    expect(params).toEqual(['filter', 'q', 'sort', 'page', 'pageSize', 'fields', 'total', 'totalCap', 'after', 'deleted']);
    expect(doc.paths['/api/data/order/aggregate']!.get.parameters.map((p: { $ref?: string; name?: string }) => p.name ?? p.$ref!.split('/').pop())).toEqual(['groupBy', 'metrics', 'filter', 'q', 'limit']);
    // Idempotency-Key, a header of every write, is its own concern (core/api/openapi/idempotency-parameter.ts).
    expect(doc.paths['/api/data/order/{id}']!.patch.parameters.map((p: { $ref?: string; name?: string }) => p.name ?? p.$ref!.split('/').pop()).filter((n: string) => n !== 'Idempotency-Key')).toEqual(['id', 'ifMatch']);
    // 422: a reused Idempotency-Key (core/api/openapi/idempotency-parameter.ts).
    expect(Object.keys(doc.paths['/api/data/order']!.post.responses).filter((s) => s !== '422').sort()).toEqual(['201', '400', '401', '403', '409', '413', '415']);
  });

  it('describes the filter language in the filter parameter and as a JSON Schema', async () => {
    const doc = (await documentOf(admin)) as Doc & { components: { parameters: Record<string, any> } };
    const filter = doc.components.parameters.filter;
    for (const word of [...COMPARE_OPS, ...QUANTIFIERS, 'and', 'or', 'not', '$user.id', '$user.department', '$now', '$today', '$now-30d', 'customer.region.name']) {
      expect(filter.description).toContain(`\`${word}\``);
    }
    expect(filter.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Filter' });
    expect(Object.keys(doc.components.schemas.FilterOperators.properties).sort()).toEqual([...COMPARE_OPS].sort());
    expect(Object.keys(doc.components.schemas.FilterQuantifiers.properties).sort()).toEqual([...QUANTIFIERS].sort());
  });

  it('keeps up with runtime changes: a module POSTed appears with its fields, a field PUT appears, a module deleted goes', async () => {
    const before = await documentOf(admin);
    expect(before.paths['/api/data/visit']).toBeUndefined();
    const visit = {
      $id: 'visit', title: 'Visit', type: 'object', 'x-i18n': { zh: { title: '拜访' } },
      properties: { note: { type: 'string', maxLength: 80, title: 'Note' }, customer: { type: 'integer', 'x-ref': 'customer' }, at: { type: 'string', format: 'date-time' } },
      required: ['note'],
    };
    expectStatus(await admin.post('/api/modules', visit), 201);
    const added = await documentOf(admin);
    await expectValidOpenApi(added);
    expect(added.info.version).not.toBe(before.info.version);
    expect(Object.keys(added.paths['/api/data/visit']!).sort()).toEqual(['get', 'post']);
    const record = added.components.schemas.visit;
    expect(Object.keys(record.properties)).toEqual(['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'note', 'customer', 'at']);
    expect(record.properties.note).toEqual({ type: 'string', maxLength: 80, title: 'Note' });
    expect(record['x-i18n']).toEqual({ zh: { title: '拜访' } });
    expect(added.components.schemas['visit.create'].required).toEqual(['note']);
    expect((added as any).tags.find((t: { name: string }) => t.name === 'visit')).toMatchObject({ description: 'Visit', 'x-i18n': { zh: { title: '拜访' } } });

    expectStatus(await admin.put('/api/modules/visit', { ...visit, properties: { ...visit.properties, outcome: { type: 'string', enum: ['won', 'lost'] } } }), 200);
    const changed = await documentOf(admin);
    await expectValidOpenApi(changed);
    expect(changed.components.schemas.visit.properties.outcome).toEqual({ type: ['string', 'null'], enum: ['won', 'lost', null] });
    expect(changed.components.schemas['visit.create'].properties.outcome).toEqual({ type: ['string', 'null'], enum: ['won', 'lost', null] });
    expect(changed.components.schemas['visit.patch'].properties.outcome).toBeDefined();

    await dropModule(admin, 'visit');
    const removed = await documentOf(admin);
    expect(removed.paths['/api/data/visit']).toBeUndefined();
    expect(removed.components.schemas.visit).toBeUndefined();
  });

  describe('for a caller who may read some modules', () => {
    let rita: Client;

    beforeAll(async () => {
      const role = (await create(admin, 'role', { name: 'openapi-reader' }));
      await create(admin, 'permission', { role, module: 'customer', actions: ['read'], readFields: ['name', 'grade', 'tags'] });
      await create(admin, 'permission', { role, module: 'order', actions: ['read', 'create'] });
      await create(admin, 'user', { username: 'rita', password: 'rita-password-1', roles: [role] });
      rita = await app.client().login('rita', 'rita-password-1');
    });

    it('shows only the modules, fields and operations granted', async () => {
      const doc = await documentOf(rita);
      await expectValidOpenApi(doc);
      const dataPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/data/'));
      // saved_view: everyone's own saved list views (core/rules/own-records.ts), needing no permission.
      expect(dataPaths.map((p) => p.split('/')[3]).filter((m, i, all) => all.indexOf(m) === i).sort()).toEqual(['customer', 'order', 'saved_view']);
      for (const hidden of ['user', 'salesman', 'permission', 'tag']) expect(doc.components.schemas[hidden]).toBeUndefined();
      expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/modules'))).toBe(false);
      expect(dataPaths.some((p) => p.endsWith('/explain'))).toBe(false);
      // Read only on customer: no write operation, no input schema; read and create on order.
      expect(Object.keys(doc.paths['/api/data/customer']!)).toEqual(['get']);
      expect(Object.keys(doc.paths['/api/data/customer/{id}']!)).toEqual(['get']);
      expect(doc.paths['/api/data/customer/bulk']).toBeUndefined();
      expect(doc.components.schemas['customer.create']).toBeUndefined();
      expect(Object.keys(doc.paths['/api/data/order']!).sort()).toEqual(['get', 'post']);
      expect(doc.components.schemas['order.patch']).toBeUndefined();
      // readFields: only those fields (and the system ones) are in the record.
      expect(Object.keys(doc.components.schemas.customer.properties)).toEqual(['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'name', 'grade', 'tags']);
      // order.salesman refers to a module rita may not read: an id, never an embedded record.
      expect(doc.components.schemas.order.properties.salesman.anyOf).toBeUndefined();
      expect(doc.components.schemas.order.properties.customer.anyOf).toContainEqual({ $ref: '#/components/schemas/customer' });
    });

    it('answers 401 without a session, with the documented error', async () => {
      const r = expectStatus(await app.client().get('/api/openapi.json'), 401);
      expect(schemasOf(await documentOf(admin)).errors('Error', r.body)).toEqual([]);
    });
  });

  describe('schemas that are true', () => {
    let doc: Doc;
    let schemas: ReturnType<typeof schemasOf>;
    let ids: { salesman: number; customer: number; order: number; tags: number[] };

    beforeAll(async () => {
      const dept = await create(admin, 'department', { code: '0070', name: 'Docs' });
      const salesman = await create(admin, 'salesman', { name: 'Sam', department: dept });
      const tags = [await create(admin, 'tag', { name: 'vip' }), await create(admin, 'tag', { name: 'new' })];
      const customer = await create(admin, 'customer', {
        name: 'Ada', grade: 'gold', phone: '700', since: '2024-02-29', lastContactAt: '2024-03-01T08:30:00+02:00', visits: 3, salesman, tags,
      });
      await create(admin, 'customer', { name: 'Bare' });
      const order = await create(admin, 'order', { number: 'OA-1', amount: 12.5, orderDate: isoDay(-3), customer, salesman });
      await create(admin, 'followup', { customer, date: isoDay(-1), method: 'phone' });
      ids = { salesman, customer, order, tags };
      doc = await documentOf(admin);
      schemas = schemasOf(doc);
    });

    // Every answer these tests received, success or error, is as the document says.
    afterEach(() => {
      const check = answerChecker(doc as never);
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.flatMap(check)).toEqual([]);
    });

    it('records the API returns validate against their module schema, which names every field they carry', async () => {
      for (const module of ['customer', 'order', 'salesman', 'followup', 'user', 'permission', 'department', 'role']) {
        const list = expectStatus(await admin.get(`/api/data/${module}?pageSize=500`), 200).body;
        expect(list.data.length, module).toBeGreaterThan(0);
        expect({ module, errors: schemas.errors(`${module}.list`, list) }).toEqual({ module, errors: [] });
        for (const record of list.data) {
          expect({ module, errors: schemas.errors(module, record) }).toEqual({ module, errors: [] });
          // A full record carries exactly the properties of the schema (a missing one would be found here).
          expect(Object.keys(record).sort()).toEqual(Object.keys(doc.components.schemas[module].properties).sort());
        }
      }
      const user = expectStatus(await admin.get('/api/data/user?pageSize=1'), 200).body.data[0];
      expect(user.password).toBeUndefined();
      expect(doc.components.schemas.user.properties.password).toBeUndefined();
    });

    it('embedded records, keyset pages, aggregates and errors validate too', async () => {
      const one = expectStatus(await admin.get(`/api/data/order/${ids.order}?fields=number,customer.name,customer.salesman.name,salesman.department.code`), 200).body;
      expect(one.customer).toMatchObject({ id: ids.customer, name: 'Ada', salesman: { id: ids.salesman, name: 'Sam' } });
      expect(schemas.errors('order', one)).toEqual([]);
      const page = expectStatus(await admin.get('/api/data/customer?after=&pageSize=1&sort=name&total=capped&totalCap=1'), 200).body;
      expect(page.meta.next).toEqual(expect.any(String));
      expect(schemas.errors('customer.list', page)).toEqual([]);
      const groups = expectStatus(await admin.get('/api/data/order/aggregate?groupBy=status,month(orderDate)&metrics=count(),sum(amount),max(orderDate)'), 200).body;
      expect(schemas.errors('AggregateResult', groups)).toEqual([]);
      const errors = [
        expectStatus(await admin.post('/api/data/customer', { name: 'x'.repeat(101), nope: 1 }), 400),
        expectStatus(await admin.get('/api/data/customer/999999'), 404),
        expectStatus(await admin.post('/api/data/customer', { name: 'Dup', phone: '700' }), 409),
        expectStatus(await admin.patch(`/api/data/customer/${ids.customer}`, { name: 'Ada' }, { 'if-match': '"99"' }), 409),
        expectStatus(await admin.delete(`/api/data/salesman/${ids.salesman}`), 409),
        expectStatus(await admin.get(`/api/data/order?${filterParam({ amount: { gtt: 1 } })}`), 400),
      ];
      for (const e of errors) expect({ body: e.body, errors: schemas.errors('Error', e.body) }).toEqual({ body: e.body, errors: [] });
    });

    it('the create and patch schemas accept what the server accepts and refuse what it refuses', async () => {
      const good = { name: 'Grace', grade: 'silver', since: '2024-01-02', lastContactAt: '2024-01-02T03:04:05Z', tags: [ids.tags[0]], salesman: null };
      expect(schemas.errors('customer.create', good)).toEqual([]);
      const created = expectStatus(await admin.post('/api/data/customer', good), 201).body;
      expect(schemas.errors('customer.patch', { grade: null, version: created.version })).toEqual([]);
      expectStatus(await admin.patch(`/api/data/customer/${created.id}`, { grade: null, version: created.version }), 200);
      const bad = [{ grade: 'platinum' }, { name: 'No date', since: '2024-13-01' }, { name: 'Ro', id: 5 }, { name: 'Ro', version: 1 }, { name: 'Many', visits: 1.5 }, { grade: 'gold' }];
      for (const body of bad) {
        expect({ body, valid: schemas.errors('customer.create', body).length === 0 }).toEqual({ body, valid: false });
        expectStatus(await admin.post('/api/data/customer', body), 400);
      }
    });

    it('the Filter schema accepts the filters the server accepts and refuses those it refuses', async () => {
      const accepted: [string, unknown][] = [
        ['order', { status: 'open' }],
        ['order', { amount: { gt: 10 }, 'salesman.department.code': { startsWith: '0070' } }],
        ['order', { or: [{ status: ['open', 'paid'] }, { not: { paidAt: { isNull: true } } }] }],
        ['order', { orderDate: { between: ['$today-1w', '$today'] }, createdBy: '$user.id' }],
        ['customer', { followups: { none: { date: { gt: '$now-30d' } } } }],
        ['customer', { tags: { some: { name: 'vip' } }, salesman: null }],
      ];
      for (const [module, filter] of accepted) {
        expect({ filter, errors: schemas.errors('Filter', filter) }).toEqual({ filter, errors: [] });
        expectStatus(await admin.get(`/api/data/${module}?${filterParam(filter)}`), 200);
      }
      const refused: [string, unknown][] = [
        ['order', { amount: { gtt: 1 } }],
        ['order', { status: { in: 'open' } }],
        ['order', { orderDate: { between: ['2024-01-01'] } }],
        ['order', { status: { isNull: 'yes' } }],
        ['order', { and: { status: 'open' } }],
        ['customer', { followups: { any: {} } }],
        ['order', { 'salesman..name': 'x' }],
        ['order', []],
      ];
      for (const [module, filter] of refused) {
        expect({ filter, valid: schemas.errors('Filter', filter).length === 0 }).toEqual({ filter, valid: false });
        expectStatus(await admin.get(`/api/data/${module}?${filterParam(filter)}`), 400);
      }
    });
  });

  describe('every documented operation answers as its document says', () => {
    /** One plausible request per operation (nothing destroyed), and the same with a parameter the route does not know. */
    async function walk(client: Client, doc: Doc, own: Answer[]): Promise<number> {
      const me = expectStatus(await client.get('/api/auth/me'), 200).body.user.id as number;
      let walked = 0;
      for (const { method, path, parameters } of documentedOperationsOf(doc as never)) {
        // Logging out would end the session the rest of the walk runs in: an anonymous client logs out.
        if (path === '/api/auth/logout') continue;
        const module = /^\/api\/data\/([a-z_]+)/.exec(path)?.[1];
        const first = module && path.includes('{id}') ? (await client.get(`/api/data/${module}?pageSize=1&fields=id`)).body?.data?.[0]?.id : undefined;
        const url = path
          // A delete aims at a record that is not there: the walk destroys nothing.
          .replace('{id}', String(method === 'delete' ? 999_999 : first ?? 1))
          .replace('{module}', 'scratch')
          .replace('{entry}', '1')
          .replace('{asset}', 'docs.js')
          .replace('{field}', 'file');
        const query = [
          ...parameters.filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=${me}`),
          ...(parameters.some((p) => p.name === 'dryRun') ? ['dryRun=true'] : []),
        ];
        const body = ['post', 'put', 'patch'].includes(method) && path !== '/api/files' ? {} : undefined;
        const at = (extra: string[]) => `${url}${[...query, ...extra].length > 0 ? `?${[...query, ...extra].join('&')}` : ''}`;
        await client.request(method.toUpperCase(), at([]), body);
        const r = await client.request(method.toUpperCase(), at(['unknown_here=1']), body);
        // History and revert are the audit plugin's, served by the plugin host: while it is off they are 404 `audit_off` first.
        const plugin = /\/(history|revert)$/.test(path) && r.status === 404;
        expect({ op: `${method} ${path}`, status: plugin ? 400 : r.status }).toEqual({ op: `${method} ${path}`, status: 400 });
        walked++;
      }
      const logout = recording(app.client(), own);
      await logout.post('/api/auth/logout');
      return walked;
    }

    it('as admin and as a reader of some modules: every status documented, every body valid', async () => {
      expectStatus(await admin.post('/api/modules', { $id: 'scratch', type: 'object', properties: { note: { type: 'string', maxLength: 20 } } }), 201);
      const ritaAnswers: Answer[] = [];
      const rita = recording(await app.client().login('rita', 'rita-password-1'), ritaAnswers);
      for (const [client, own] of [[admin, answers], [rita, ritaAnswers]] as const) {
        const doc = await documentOf(client);
        own.length = 0;
        const walked = await walk(client, doc, own);
        expect(walked).toBeGreaterThan(client === admin ? 150 : 20);
        expect(own.flatMap(answerChecker(doc as never))).toEqual([]);
        // The checker is no rubber stamp: a wrong body or an undocumented status is found.
        const json = new Headers({ 'content-type': 'application/json' });
        expect(answerChecker(doc as never)({ method: 'GET', url: '/api/data/order', status: 200, body: { data: 'none' }, headers: json })).toHaveLength(1);
        expect(answerChecker(doc as never)({ method: 'GET', url: '/api/data/order', status: 418, body: {}, headers: json })).toHaveLength(1);
        // Both kinds were met: answers that succeeded and refusals.
        expect(own.some((a) => a.status < 300) && own.some((a) => a.status >= 400)).toBe(true);
      }
    });
  });

  it('/api/docs is an HTML page, without a session, whose scripts and styles are served', async () => {
    const anonymous = app.client();
    const page = expectStatus(await anonymous.get('/api/docs'), 200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = String(page.body);
    // No data in the page: the document is fetched with the reader's session.
    expect(html).not.toMatch(/customer|salesman/);
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['/api/docs/docs.js', '/api/docs/favicon-32x32.png', '/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css']);
    const types: Record<string, RegExp> = { css: /^text\/css/, js: /^text\/javascript/, png: /^image\/png/ };
    for (const url of assets) {
      const r = expectStatus(await anonymous.get(url), 200);
      expect(r.headers.get('content-type')).toMatch(types[url.split('.').pop()!]!);
      expect(String(r.body).length).toBeGreaterThan(100);
    }
    expect(String((await anonymous.get('/api/docs/swagger-ui-bundle.js')).body)).toContain('SwaggerUIBundle');
    const script = String((await anonymous.get('/api/docs/docs.js')).body);
    expect(script).toContain("'/api/openapi.json'");
    expect(script).toContain("'/api/auth/login'");
    expectStatus(await anonymous.get('/api/docs/package.json'), 404);
    expectStatus(await anonymous.get('/api/docs/..%2F..%2Fpackage.json'), 404);
  });
});
