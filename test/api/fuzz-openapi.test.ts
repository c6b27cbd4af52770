/**
 * The API fuzzed from the OpenAPI document it serves, as an admin and as a restricted CRM user:
 * for every operation in the caller's document, inputs generated from its parameter and body
 * schemas (valid ones, and injection-ish or huge strings where a string is valid) and invalid
 * ones (parameters the route does not know, values their schema refuses, bodies that are no
 * JSON, no object, or carry unknown fields). Whatever comes in:
 * - no answer is a 5xx;
 * - every status is one the operation documents, and its body validates against that status's schema;
 * - an invalid input is never accepted (2xx) and never writes anything.
 * Seeded and bounded: a few runs per operation and input kind.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { loadPluginFolder } from '../../core/plugins/load-plugins.js';
import { create, defineModule, expectStatus, seedSmallCrm } from './crm.js';
import { answerChecker, operationsOf, type Doc, type Operation } from './openapi-answers.js';
import { arbitraryOf, invalidValueOf } from './schema-arbitrary.js';

const EXAMPLE = fileURLToPath(new URL('../../modules/example/', import.meta.url));
const RUNS = 6;
/** The module that module-changing operations (PUT, DELETE, revert) are aimed at: nothing else is theirs to break. */
const SCRATCH = 'fuzz_scratch';
/**
 * Every operation is fuzzed; those of these modules (a soft delete, a plugin field type,
 * references, personal records, the system modules) with RUNS runs per input kind, the others',
 * which go through the same code, with FEW, to keep a dialect's run within a minute.
 */
const FOCUS = new Set(['customer', 'order', 'memo', 'note', SCRATCH, 'saved_view', 'user', 'department']);
const FEW = 2;
/** Records of these hold the callers this suite runs as: valid writes to them are not generated. */
const CALLERS = new Set(['user', 'role', 'permission', 'rule', 'department']);

interface Request {
  method: string;
  url: string;
  body?: string;
  headers: Record<string, string>;
}

describeEachDialect('API fuzz from the served OpenAPI document', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let sales: Client;
  const ids = new Map<string, number[]>();

  beforeAll(async () => {
    app = await startTestApp(dialect, { plugins: [(await loadPluginFolder(EXAMPLE))!], log: () => undefined });
    admin = await app.admin();
    await seedSmallCrm(admin);
    await defineModule(admin, { $id: 'memo', type: 'object', 'x-soft-delete': true, properties: { text: { type: 'string', maxLength: 40 }, customer: { type: 'integer', 'x-ref': 'customer' } } });
    await defineModule(admin, { $id: SCRATCH, type: 'object', properties: { note: { type: 'string', maxLength: 20 }, mobile: { 'x-type': 'phone' } } });
    await create(admin, 'note', { title: 'Call Ada', phone: '+44 20 7946 0958' });
    await create(admin, 'memo', { text: 'kept' });
    // A salesperson: customers whose name starts with A or B, their orders, notes and memos.
    const role = await create(admin, 'role', { name: 'fuzz-sales' });
    await create(admin, 'permission', { role, module: 'customer', actions: ['read', 'create', 'update', 'delete'] });
    await create(admin, 'permission', { role, module: 'order', actions: ['read', 'create'] });
    await create(admin, 'permission', { role, module: 'note', actions: ['read', 'create', 'update'] });
    await create(admin, 'permission', { role, module: 'memo', actions: ['read', 'create', 'delete'] });
    await create(admin, 'rule', { name: 'A or B', module: 'customer', filter: { or: [{ name: { startsWith: 'A' } }, { name: { startsWith: 'B' } }] }, actions: ['read', 'update', 'delete'], roles: [role] });
    await create(admin, 'user', { username: 'fuzzy', password: 'fuzzy-password-1', roles: [role] });
    sales = await app.client().login('fuzzy', 'fuzzy-password-1');
    for (const m of ['customer', 'order', 'salesman', 'tag', 'note', 'memo', 'user', 'role', 'department']) {
      ids.set(m, expectStatus(await admin.get(`/api/data/${m}?fields=id&pageSize=20`), 200).body.data.map((r: { id: number }) => r.id));
    }
  }, 60_000);
  afterAll(async () => app?.close());

  it('answers GET /api/modules, with a plugin field type among the definitions, as its document says', async () => {
    const doc: Doc = expectStatus(await admin.get('/api/openapi.json'), 200).body;
    const r = expectStatus(await admin.get('/api/modules'), 200);
    expect(JSON.stringify(r.body)).toContain('"x-type":"phone"');
    expect(answerChecker(doc)({ method: 'GET', url: '/api/modules', status: r.status, body: r.body, headers: r.headers })).toEqual([]);
  });

  for (const caller of ['sales', 'admin'] as const) {
    it(`as ${caller === 'admin' ? 'an admin' : 'a restricted salesperson'}: no 5xx, every answer as documented, no invalid input accepted or written`, async () => {
      const client = caller === 'admin' ? admin : sales;
      const doc: Doc = expectStatus(await client.get('/api/openapi.json'), 200).body;
      const check = answerChecker(doc);
      const resolve = (ref: string) => ref.split('/').slice(1).reduce((o: any, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      const problems: string[] = [];
      let sent = 0;
      let successes = 0;
      const send = async (req: Request) => {
        sent++;
        const r = await client.request(req.method, req.url, req.body, { ...(req.body !== undefined && !req.headers['content-type'] ? { 'content-type': 'application/json' } : {}), ...req.headers });
        if (r.status < 300) successes++;
        if (r.status >= 500) problems.push(`${req.method} ${req.url.slice(0, 200)} ${req.body?.slice(0, 200) ?? ''} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        problems.push(...check({ method: req.method, url: req.url, status: r.status, body: r.body, headers: r.headers }));
        return r;
      };
      const operations = operationsOf(doc).filter(fuzzed);
      expect(operations.length).toBeGreaterThan(caller === 'admin' ? 100 : 20);
      for (const [n, operation] of operations.entries()) {
        const name = `${operation.method} ${operation.path}`;
        const module = /^\/api\/data\/([a-z_]+)/.exec(operation.path)?.[1];
        const writes = operation.method !== 'get';
        const runs = module && !FOCUS.has(module) ? FEW : RUNS;
        if (!(writes && module && CALLERS.has(module)) && !(operation.path === '/api/schema/apply')) {
          // A valid snapshot applied would drop every API module it leaves out: only invalid ones are sent.
          await fc.assert(fc.asyncProperty(validRequest(operation, module, doc, resolve), async (req) => {
            await send(req);
          }), { numRuns: runs, seed: 1000 + n, endOnFailure: true });
        }
        const invalid = invalidRequest(operation, doc, resolve);
        if (!invalid) continue;
        await fc.assert(fc.asyncProperty(invalid, async (req) => {
          const before = writes ? await fingerprint(module) : '';
          const r = await send(req);
          if (r.status < 400 || r.status >= 500) problems.push(`${name}: an invalid input answered ${r.status}: ${req.method} ${req.url.slice(0, 200)} ${req.body?.slice(0, 200) ?? ''}`);
          if (writes && (await fingerprint(module)) !== before) problems.push(`${name}: an invalid input wrote something: ${req.url.slice(0, 200)} ${req.body?.slice(0, 200) ?? ''}`);
        }), { numRuns: runs, seed: 2000 + n, endOnFailure: true });
      }
      expect(sent).toBeGreaterThan(operations.length * FEW);
      // The generated valid inputs reach the server's success paths too, not only its refusals.
      expect(successes).toBeGreaterThan(operations.length / 2);
      expect([...new Set(problems)]).toEqual([]);
    }, 180_000);
  }

  /** Operations fuzzed; each one left out says why. */
  function fuzzed(o: Operation): boolean {
    // Logging out would end the session the rest of the run is served in.
    if (o.path === '/api/auth/logout') return false;
    // A multipart upload is not generated from its schema; test/files covers it.
    if (o.path === '/api/files') return false;
    return true;
  }

  /** What the tables of `module` (or, outside records, the stored definitions) hold now. */
  async function fingerprint(module: string | undefined): Promise<string> {
    const graph = await app.stratum.registry.graph();
    const m = module ? graph.modules.get(module) : undefined;
    const generation = await app.stratum.registry.generation();
    if (!m) return `g${generation}`;
    const q = (s: string) => app.stratum.db.quote(s);
    const rows = await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n, SUM(${q('version')}) AS v, MAX(${q('updatedAt')}) AS u FROM ${q(m.table)}`, params: [] });
    return `g${generation} ${JSON.stringify(rows[0])}`;
  }

  function pathArbitrary(o: Operation, module: string | undefined, resolve: (ref: string) => any): fc.Arbitrary<string> {
    const parts = o.path.split(/(\{[a-z]+\})/i);
    return fc.tuple(...parts.map((part): fc.Arbitrary<string> => {
      const name = /^\{([a-z]+)\}$/i.exec(part)?.[1];
      if (!name) return fc.constant(part);
      if (name === 'module') return fc.constant(SCRATCH);
      if (name === 'id' && module) {
        const known = ids.get(module) ?? [];
        return fc.oneof(...(known.length > 0 ? [fc.constantFrom(...known)] : []), fc.integer({ min: 1, max: 999_999_999_999_999 })).map(String);
      }
      const param = o.parameters.find((p) => p.in === 'path' && p.name === name);
      return arbitraryOf(param?.schema, resolve).map((v) => encodeURIComponent(String(v)));
    })).map((segments) => segments.join(''));
  }

  function queryArbitrary(o: Operation, module: string | undefined, doc: Doc, resolve: (ref: string) => any): fc.Arbitrary<[string, string][]> {
    const query = o.parameters.filter((p) => p.in === 'query');
    // The module's own field names: lists, sorts and groups that mean something, beside the generated text.
    const fields = Object.keys(module ? doc.components.schemas[module]?.properties ?? {} : {}).filter((f) => f !== 'tags');
    const meaningful: Record<string, fc.Arbitrary<string>> = fields.length === 0 ? {} : {
      fields: fc.subarray(fields, { minLength: 1, maxLength: 4 }).map((f) => f.join(',')),
      sort: fc.constantFrom(...fields.flatMap((f) => [f, `-${f}`])),
      groupBy: fc.constantFrom(...fields),
      metrics: fc.constantFrom('count()', 'count(),max(id)', 'countDistinct(createdBy)'),
      filter: fc.integer({ min: 0, max: 50 }).map((n) => JSON.stringify({ id: { gt: n } })),
    };
    return fc.tuple(...query.map((p) => {
      const schema = p.schema ?? p.content?.['application/json']?.schema;
      const generated = arbitraryOf(schema, resolve).map((v) => (p.content ? JSON.stringify(v) : typeof v === 'string' ? v : JSON.stringify(v)));
      const value = meaningful[p.name] ? fc.oneof(meaningful[p.name]!, generated) : generated;
      const pair = value.map((v): [string, string][] => [[p.name, v]]);
      // Mostly left out: a request with one odd parameter says more than one with nine.
      return p.required ? pair : fc.oneof({ weight: 3, arbitrary: fc.constant([] as [string, string][]) }, { weight: 1, arbitrary: pair });
    })).map((pairs) => pairs.flat());
  }

  function headersArbitrary(o: Operation): fc.Arbitrary<Record<string, string>> {
    const headers = o.parameters.filter((p) => p.in === 'header');
    return fc.tuple(...headers.map((p) => fc.oneof(fc.constant(undefined), p.name.toLowerCase() === 'if-match' ? fc.integer({ min: 1, max: 5 }).map((v) => `"${v}"`) : fc.uuid())))
      .map((values) => Object.fromEntries(headers.flatMap((p, i) => (values[i] === undefined ? [] : [[p.name, values[i]!]]))));
  }

  const url = (path: string, query: [string, string][]) =>
    query.length === 0 ? path : `${path}?${query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;

  function validRequest(o: Operation, module: string | undefined, doc: Doc, resolve: (ref: string) => any): fc.Arbitrary<Request> {
    const bodySchema = o.op.requestBody?.content?.['application/json']?.schema;
    const body = bodySchema ? arbitraryOf(bodySchema, resolve).map((b) => JSON.stringify(b)) : fc.constant(undefined);
    return fc.record({ path: pathArbitrary(o, module, resolve), query: queryArbitrary(o, module, doc, resolve), body, headers: headersArbitrary(o) })
      .map(({ path, query, body, headers }) => ({ method: o.method.toUpperCase(), url: url(path, query), ...(body !== undefined ? { body } : {}), headers }));
  }

  /** Inputs the operation's document refuses, or undefined when there are none to make. */
  function invalidRequest(o: Operation, doc: Doc, resolve: (ref: string) => any): fc.Arbitrary<Request> | undefined {
    const module = /^\/api\/data\/([a-z_]+)/.exec(o.path)?.[1];
    const known = new Set(o.parameters.filter((p) => p.in === 'query').map((p) => p.name as string));
    const kinds: fc.Arbitrary<{ query: [string, string][]; body?: string; headers?: Record<string, string> }>[] = [];
    const valid = validRequest(o, module, doc, resolve);
    {
      const unknownName = fc.oneof(
        fc.constantFrom('having', 'compare', 'others', 'withDeleted', 'limitt', 'Page', 'dryrun', '$where', '__proto__', 'constructor', 'a[b]', 'filter[]', ' q'),
        fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_.~/-]{0,20}$/),
      ).filter((n) => !known.has(n));
      kinds.push(fc.tuple(unknownName, fc.string({ maxLength: 20 })).map(([k, v]) => ({ query: [[k, v]] })));
    }
    const typed = o.parameters.filter((p) => p.in === 'query' && invalidValueOf(p.schema));
    if (typed.length > 0) {
      kinds.push(fc.constantFrom(...typed).chain((p) => invalidValueOf(p.schema)!.map((v) => ({ query: [[p.name, v]] as [string, string][] }))));
    }
    const schema = o.op.requestBody?.content?.['application/json']?.schema;
    if (schema) {
      kinds.push(fc.constantFrom('{"a":', '[', 'nul', '"text"', '[1,2]', '42', 'null', '{"__proto__": {"isAdmin": true}, "zz_unknown": 1}').map((body) => ({ query: [], body })));
      kinds.push(fc.constant({ query: [], body: '{}', headers: { 'content-type': 'text/plain' } }));
      // A closed body (additionalProperties: false) with one field more than its schema names.
      const closed = schema.$ref ? resolve(schema.$ref) : schema;
      if (closed.additionalProperties === false) {
        kinds.push(arbitraryOf(schema, resolve).map((b) => ({ query: [], body: JSON.stringify({ ...(b as object), zz_unknown: 1 }) })));
      }
    }
    if (kinds.length === 0) return undefined;
    // An invalid part on an otherwise valid request: the invalid part alone must be what refuses it.
    return fc.tuple(valid, fc.oneof(...kinds)).map(([req, bad]) => {
      const [path, query] = req.url.split('?') as [string, string | undefined];
      const kept = [...new URLSearchParams(query ?? '')].filter(([k]) => !bad.query.some(([b]) => b === k));
      return {
        method: req.method,
        url: url(path, [...kept, ...bad.query]),
        ...(bad.body !== undefined ? { body: bad.body } : req.body !== undefined ? { body: req.body } : {}),
        headers: { ...req.headers, ...bad.headers },
      };
    });
  }
});
