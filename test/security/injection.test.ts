/**
 * Hostile input through the HTTP API, on SQLite and MariaDB: filter keys and values, sort, fields,
 * search, aggregate expressions, module names in URLs, field and module names in definitions,
 * prototype-pollution bodies. Every attempt gets a clean 4xx `{error: {code, message}}` (never a
 * 500, never a stack or a database message), values that are merely odd match only themselves,
 * and afterwards every table holds what it held before and admin can still log in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, filterParam, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { CREATE_STEPS, DATA } from '../query/fixtures.js';

/** Customers beyond fixtures.DATA (ids 6…), with the characters SQL and LIKE treat specially. */
const ODD_CUSTOMERS = [
  { name: `O'Brien "Q" \`x\` \\ back`, note: "'); DROP TABLE customer; --" }, // 6
  { name: 'nul\u0000byte', note: null }, // 7
  { name: 'emoji 😀 and ünïcödé', note: '\\%_!' }, // 8
];

/** A refusal as the API contract words it, and nothing of the server's insides. */
function expectClean4xx(r: Reply, status?: number) {
  const text = JSON.stringify(r.body);
  expect(r.status, text.slice(0, 500)).toBeGreaterThanOrEqual(400);
  expect(r.status, text.slice(0, 500)).toBeLessThan(500);
  if (status !== undefined) expect(r.status, text.slice(0, 500)).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  expect(text).not.toMatch(/SQLITE_[A-Z]|\bER_[A-Z_]{3,}|\bat .+\.(ts|js):\d+/);
  expect(text).not.toMatch(/sequelize|stack|syntax error|sql syntax/i);
}

describeEachDialect('hostile input', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let before: Map<string, number>;
  let definitionsBefore: string;

  const list = (module: string, query: string) => admin.get(`/api/data/${module}?${query}`);
  const ids = (r: Reply) => {
    expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
    return (r.body.data as { id: number }[]).map((d) => d.id);
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    admin = await t.admin();
    for (const { method, definition } of CREATE_STEPS) {
      const r = method === 'POST' ? await admin.post('/api/modules', definition) : await admin.put(`/api/modules/${String(definition.$id)}`, definition);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    }
    for (const { module, records } of DATA) {
      for (const record of records) expect((await admin.post(`/api/data/${module}`, record)).status).toBe(201);
    }
    for (const record of ODD_CUSTOMERS) {
      const r = await admin.post('/api/data/customer', record);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    before = await tableCounts(t);
    definitionsBefore = JSON.stringify(await t.stratum.registry.definitions());
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('filter keys', () => {
    it.each([
      'name; DROP TABLE customer',
      'a`b',
      'x" OR 1=1 --',
      "name' OR '1'='1",
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'name.__proto__',
      'tags.constructor',
      '',
      ' name',
      'NAME',
      'name\u0000',
      'x'.repeat(10_000),
    ])('%.40j', async (key) => {
      // Written as JSON text: an object literal with "__proto__" would set the prototype instead.
      const r = await list('customer', `filter=${encodeURIComponent(`{${JSON.stringify(key)}:1}`)}`);
      expectClean4xx(r, 400);
      expect(r.body.error.code).toBe('invalid_query');
      expect(r.body.error.details[0].path.startsWith('/filter/')).toBe(true);
    });

    it('a hostile key inside and/or/not and inside a relation', async () => {
      const r = await list('customer', filterParam({
        and: [{ 'name; DROP TABLE customer': 1 }],
        or: [{ 'a`b': 1 }],
        not: { 'x" OR 1=1 --': 1 },
        tags: { some: { 'name) OR (1=1': 1 } },
      }));
      expectClean4xx(r, 400);
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual([
        '/filter/and/0/name; DROP TABLE customer',
        '/filter/or/0/a`b',
        '/filter/not/x" OR 1=1 --',
        '/filter/tags/some/name) OR (1=1',
      ]);
    });
  });

  describe('filter values', () => {
    it.each<[string, unknown]>([
      ['a quote', "' OR '1'='1"],
      ['a comment', "Acme' --"],
      ['a double quote', 'x" OR "1"="1'],
      ['a backtick', '`name`'],
      ['backslashes', '\\'],
      ['a backslash-escaped quote', "\\' OR 1=1 #"],
      ['a semicolon statement', "'; DROP TABLE customer; --"],
      ['a LIKE pattern', 'Ac%'],
      ['a LIKE wildcard', 'Acm_'],
      ['a NUL', '\u0000'],
      ['a very long string', "'".repeat(100_000)],
    ])('%s matches only itself', async (_, value) => {
      expect(ids(await list('customer', filterParam({ name: value })))).toEqual([]);
      expect(ids(await list('customer', filterParam({ name: { ne: value } })))).toHaveLength(8);
      expect(ids(await list('customer', filterParam({ name: { in: [value, 'Acme'] } })))).toEqual([1]);
    });

    it('odd values that are stored match exactly themselves', async () => {
      for (const [i, c] of ODD_CUSTOMERS.entries()) {
        expect(ids(await list('customer', filterParam({ name: c.name })))).toEqual([6 + i]);
      }
      expect(ids(await list('customer', filterParam({ note: "'); DROP TABLE customer; --" })))).toEqual([6]);
    });

    it.each<[string, unknown]>([
      ['an object for a text', { name: { eq: { $ne: null } } }],
      ['an object for a number', { credit: { gt: { valueOf: 1 } } }],
      ['a list for a single value', { credit: { gt: [1] } }],
      ['an object in a list', { credit: { in: [{}] } }],
      ['an object as contains', { name: { contains: {} } }],
      ['a number as contains', { name: { contains: 5 } }],
      ['SQL for a number', { credit: { gt: '1; DROP TABLE customer' } }],
      ['SQL for an id', { id: '1 OR 1=1' }],
      ['text for a boolean', { vip: 'yes' }],
      ['a string for isNull', { note: { isNull: 'true)' } }],
      ['an unknown operator', { name: { $where: 'sleep(1)' } }],
      ['a raw operator', { name: { like: '%' } }],
      ['a huge number for an integer', { id: 1e300 }],
      ['infinity text for a number', { credit: 'Infinity' }],
      ['a value out of the enum... as an object', { grade: { in: [['gold']] } }],
      ['an impossible date', { since: '2025-02-30T25:00' }],
      ['10k values in a list', { id: { in: Array.from({ length: 10_000 }, (_, i) => i) } }],
      ['or of 10k parts', { or: Array.from({ length: 10_000 }, (_, i) => ({ id: i })) }],
      ['a filter that is a list', [{ name: 'Acme' }]],
      ['a filter that is null', null],
      ['a filter that is a string', "name = 'Acme'"],
    ])('%s is refused', async (_, filter) => {
      expectClean4xx(await list('customer', filterParam(filter)), 400);
    });

    it.each([
      ['not', (inner: unknown) => ({ not: inner })],
      ['and', (inner: unknown) => ({ and: [inner] })],
      ['relation', (inner: unknown) => ({ followups: { some: { customer: { isNull: false }, 'customer.followups': { some: inner } } } })],
    ] as const)('nesting of depth 1000 through %s is refused', async (_, wrap) => {
      let filter: unknown = { name: 'Acme' };
      for (let i = 0; i < 1000; i++) filter = wrap(filter);
      expectClean4xx(await list('customer', filterParam(filter)), 400);
    });

    it('text that is not JSON is refused', async () => {
      for (const text of ["{name:'x'}", "' OR 1=1 --", '{"name":', '\u0000', '['.repeat(100_000)]) {
        expectClean4xx(await list('customer', `filter=${encodeURIComponent(text)}`), 400);
      }
    });

    it('variables cannot be made to fail the server', async () => {
      for (const filter of [
        { since: { gt: '$today-999999y' } },
        { since: { lt: '$now+999999y' } },
        { credit: { between: ['$user.department', 5] } },
        { credit: { between: ['$user.roles', '$user.id'] } },
        { name: '$user.constructor' },
        { id: '$user.__proto__' },
        { id: { gt: '$user.roles' } },
      ]) {
        const r = await list('customer', filterParam(filter));
        expect(r.status, JSON.stringify(filter)).toBeLessThan(500);
        if (r.status >= 400) expectClean4xx(r);
      }
    });
  });

  describe('search', () => {
    it.each<[string, number[]]>([
      ['%', [3, 8]],
      ['_', [4, 8]],
      ['!', [5, 8]],
      ['\\', [6, 8]],
      ["'", [6]],
      ['"', [6]],
      ['`', [6]],
      ['%_', [8]],
      ['_%', []],
      ['\\%_!', [8]],
      ['😀', [8]],
      ['); DROP TABLE customer; --', [6]],
      ["' OR '1'='1", []],
    ])('q=%j matches the literal characters only', async (q, expected) => {
      expect(ids(await list('customer', `q=${encodeURIComponent(q)}&sort=id`))).toEqual(expected);
    });

    it('a q longer than 200 characters is refused', async () => {
      expectClean4xx(await list('customer', `q=${encodeURIComponent("'".repeat(201))}`), 400);
    });
  });

  describe('sort and fields', () => {
    it.each([
      'name;DROP TABLE customer',
      'name desc',
      'name DESC',
      '(SELECT 1)',
      '1',
      '-',
      '--name',
      'name --',
      'name`',
      'customer.name',
      'tags',
      'followups',
      'note',
      '__proto__',
      'constructor',
      `name,${'x'.repeat(5000)}`,
      'name,grade,credit,vip,since,id',
    ])('sort=%j is refused', async (sort) => {
      const r = await list('customer', `sort=${encodeURIComponent(sort)}`);
      expectClean4xx(r, 400);
      expect(r.body.error.details.some((d: { path: string }) => d.path === '/sort')).toBe(true);
    });

    it.each([
      'name,(SELECT password FROM user)',
      'name;DROP TABLE customer',
      '*',
      'name AS "x"',
      'tags.name',
      'followups',
      'followups.date',
      'name.x',
      '__proto__',
      'constructor',
      'password',
      Array.from({ length: 101 }, () => 'name').join(','),
    ])('fields=%j is refused', async (fields) => {
      const r = await list('customer', `fields=${encodeURIComponent(fields)}`);
      expectClean4xx(r, 400);
      expect(r.body.error.details.some((d: { path: string }) => d.path === '/fields')).toBe(true);
    });

    it('fields are refused on a single record too', async () => {
      expectClean4xx(await admin.get(`/api/data/customer/1?fields=${encodeURIComponent('name,(SELECT 1)')}`), 400);
    });

    it.each(['0', '-1', '1e3', '1.5', '0x10', ' 1', '1 OR 1=1', '999999999999999', '9999999999999999999999'])('page=%j is refused', async (page) => {
      expectClean4xx(await list('customer', `page=${encodeURIComponent(page)}`), 400);
    });

    it('a far page is empty, not an error', async () => {
      const r = await list('customer', 'page=1000000000&pageSize=500');
      expect(ids(r)).toEqual([]);
      expect(r.body.meta.total).toBe(8);
    });
  });

  describe('aggregate expressions', () => {
    it.each<[string, string]>([
      ['metrics', 'sum(amount);DROP TABLE order'],
      ['metrics', 'count(*)'],
      ['metrics', 'sum(amount) FROM user --'],
      ['metrics', 'sum(amount),count(id)'],
      ['metrics', 'sum(amount))'],
      ['metrics', 'SUM(amount)'],
      ['metrics', 'sum((SELECT 1))'],
      ['metrics', 'sum(amount`)'],
      ['metrics', 'max(customer.note)'],
      ['metrics', '__proto__()'],
      ['metrics', 'constructor(amount)'],
      ['metrics', Array.from({ length: 21 }, () => 'count()').join(',')],
      ['groupBy', 'status;DROP TABLE order'],
      ['groupBy', 'month(orderDate)) --'],
      ['groupBy', 'month(orderDate), (SELECT 1)'],
      ['groupBy', 'strftime(orderDate)'],
      ['groupBy', 'DATE_FORMAT(orderDate)'],
      ['groupBy', 'customer.note'],
      ['groupBy', '__proto__'],
      ['groupBy', 'status,number,amount,orderDate,customer,salesman'],
      ['limit', '1; DROP TABLE order'],
      ['limit', '0'],
    ])('%s=%j is refused', async (param, value) => {
      const r = await admin.get(`/api/data/order/aggregate?${param}=${encodeURIComponent(value)}`);
      expectClean4xx(r, 400);
      expect(r.body.error.details.some((d: { path: string }) => d.path === `/${param}`)).toBe(true);
    });

    it('a hostile filter on aggregate is refused the same way', async () => {
      expectClean4xx(await admin.get(`/api/data/order/aggregate?${filterParam({ 'amount; DROP TABLE order': 1 })}`), 400);
    });
  });

  describe('module names in the URL', () => {
    it.each([
      '/api/data/customer;drop',
      '/api/data/customer%3Bdrop',
      '/api/data/..%2Fuser',
      '/api/data/..%2F..%2Fetc%2Fpasswd',
      '/api/data/CUSTOMER',
      '/api/data/Customer',
      `/api/data/${'a'.repeat(200)}`,
      '/api/data/customer%00',
      '/api/data/customer%20OR%201=1',
      '/api/data/__proto__',
      '/api/data/constructor',
      '/api/data/_stratum_modules',
      '/api/data/_stratum_sessions',
      '/api/data/customer_tags',
      '/api/data/sqlite_master',
      '/api/data/information_schema',
      '/api/data/customer;drop/aggregate',
      '/api/data/customer/1;DROP',
      '/api/data/customer/1%20OR%201=1',
      '/api/data/customer/0',
      '/api/data/customer/-1',
      '/api/data/customer/99999999999999999999',
      '/api/modules/..%2F..%2Fetc',
      `/api/modules/${'a'.repeat(200)}`,
    ])('GET %s is 404', async (url) => {
      const r = await admin.get(url);
      expectClean4xx(r, 404);
      expect(r.body.error.message.length).toBeLessThan(200);
    });

    it.each(['/api/data/customer;drop/1', '/api/data/..%2Fuser/1', '/api/data/USER/1', '/api/data/customer_tags/1'])('PATCH and DELETE %s are 404', async (url) => {
      expectClean4xx(await admin.patch(url, { name: 'x' }), 404);
      expectClean4xx(await admin.delete(url), 404);
    });

    it.each(['/api/data/customer;drop', '/api/data/..%2Fuser', '/api/data/USER'])('POST %s is 404', async (url) => {
      expectClean4xx(await admin.post(url, { name: 'x' }), 404);
    });
  });

  describe('names in module definitions', () => {
    const def = (over: Record<string, unknown>) => ({ $id: 'probe', type: 'object', properties: { name: { type: 'string', maxLength: 50 } }, ...over });

    it.each<[string, Record<string, unknown>]>([
      ['$id with SQL', def({ $id: 'x; DROP TABLE user' })],
      ['$id with a quote', def({ $id: "x'" })],
      ['$id with a backtick', def({ $id: 'x`' })],
      ['$id with a path', def({ $id: '../user' })],
      ['$id in upper case', def({ $id: 'Probe' })],
      ['$id of 200 characters', def({ $id: 'a'.repeat(200) })],
      ['$id of an engine table', def({ $id: '_stratum_modules' })],
      ['$id of an installed module', def({ $id: 'user' })],
      ['$id that is not a string', def({ $id: ['probe'] })],
      ['$id missing', { type: 'object', properties: {} }],
      ['a property with a double quote', def({ properties: { 'na"me': { type: 'string', maxLength: 5 } } })],
      ['a property with a backtick', def({ properties: { 'na`me': { type: 'string', maxLength: 5 } } })],
      ['a property with a space', def({ properties: { 'na me': { type: 'string', maxLength: 5 } } })],
      ['a property with SQL', def({ properties: { "name'; DROP TABLE user; --": { type: 'string', maxLength: 5 } } })],
      ['a property named __proto__', JSON.parse('{"$id":"probe","type":"object","properties":{"__proto__":{"type":"string","maxLength":5}}}')],
      ['a property with a dot', def({ properties: { 'a.b': { type: 'string', maxLength: 5 } } })],
      ['a system field', def({ properties: { version: { type: 'string', maxLength: 5 } } })],
      ['a system field in another case', def({ properties: { createdat: { type: 'string', maxLength: 5 } } })],
      ['two properties that differ in case', def({ properties: { aB: { type: 'integer' }, ab: { type: 'integer' } } })],
      ['a reference to SQL', def({ properties: { r: { type: 'integer', 'x-ref': 'user; DROP TABLE user' } } })],
      ['an inverse with SQL', def({ properties: { r: { type: 'array', 'x-inverse': 'user.id; DROP' } } })],
      ['a sort with SQL', def({ 'x-list': { sort: 'name; DROP TABLE user' } })],
      ['a search path with SQL', def({ 'x-list': { search: ['name) OR (1=1'] } })],
      ['a unique set with SQL', def({ 'x-unique': [['name; DROP TABLE user']] })],
      ['a scope path with SQL', def({ 'x-scope-paths': { department: 'x; DROP TABLE user' } })],
      ['a precision with SQL', def({ properties: { n: { type: 'number', 'x-precision': '18); DROP TABLE user; --' } } })],
      ['a maxLength with SQL', def({ properties: { n: { type: 'string', maxLength: '5); DROP TABLE user; --' } } })],
      ['a junction table that exists', def({ $id: 'user_roles' })],
    ])('%s is refused', async (_, definition) => {
      const r = await admin.post('/api/modules', definition);
      expectClean4xx(r);
      expect(['invalid_definition', 'module_exists', 'invalid_json']).toContain(r.body.error.code);
    });

    it('a PUT that adds hostile names is refused', async () => {
      const customer = CREATE_STEPS.at(-1)!.definition;
      const props = customer.properties as Record<string, unknown>;
      for (const extra of [{ 'x"y': { type: 'integer' } }, { 'x; DROP TABLE user': { type: 'integer' } }, { ID: { type: 'integer' } }, { iD: { type: 'integer' } }]) {
        const r = await admin.put('/api/modules/customer', { ...customer, properties: { ...props, ...extra } });
        expectClean4xx(r);
      }
      const r = await admin.put('/api/modules/customer', { ...customer, $id: 'customer; DROP TABLE user' });
      expectClean4xx(r, 400);
      expectClean4xx(await admin.put('/api/modules/customer;drop', customer), 404);
    });

    it('SQL in defaults, enums and titles is stored as text', async () => {
      const nasty = "x'); DROP TABLE user; -- \\' \" ` $1 ?";
      const r = await admin.post('/api/modules', {
        $id: 'probe_text',
        title: nasty,
        type: 'object',
        properties: {
          label: { type: 'string', maxLength: 100, default: nasty, title: nasty },
          kind: { type: 'string', enum: [nasty, "a'b"], default: "a'b" },
          constructor: { type: 'string', maxLength: 10 },
          toString: { type: 'integer' },
        },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const created = await admin.post('/api/data/probe_text', { constructor: 'c', toString: 5 });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ label: nasty, kind: "a'b", constructor: 'c', toString: 5 });
      expect(ids(await admin.get(`/api/data/probe_text?${filterParam({ kind: nasty })}`))).toEqual([]);
      expect(ids(await admin.get(`/api/data/probe_text?${filterParam({ label: nasty, constructor: 'c', toString: 5 })}`))).toEqual([created.body.id]);
      expect(ids(await admin.get(`/api/data/probe_text?sort=-constructor,toString&fields=constructor,toString`))).toEqual([created.body.id]);
      const agg = await admin.get('/api/data/probe_text/aggregate?groupBy=constructor&metrics=sum(toString)');
      expect(agg.body).toEqual({ data: [{ constructor: 'c', 'sum(toString)': 5 }] });
      // The database's own default (written into CREATE TABLE) is the same text.
      const db = t.stratum.db;
      const now = '2025-06-15 12:00:00.000';
      const id = await db.insert({ sql: `INSERT INTO ${db.quote('probe_text')} (${db.quote('createdAt')}, ${db.quote('updatedAt')}) VALUES ($1, $2)`, params: [now, now] });
      const raw = await db.all({ sql: `SELECT ${db.quote('label')} AS label, ${db.quote('kind')} AS kind FROM ${db.quote('probe_text')} WHERE ${db.quote('id')} = $1`, params: [id] });
      expect(raw).toEqual([{ label: nasty, kind: "a'b" }]);
      // The one module and the rows this test adds on purpose.
      before.set('probe_text', 2);
      before.set('_stratum_modules', before.get('_stratum_modules')! + 1);
    });
  });

  describe('prototype pollution', () => {
    const payloads = [
      '{"name":"p","__proto__":{"isAdmin":true,"polluted":1}}',
      '{"name":"p","constructor":{"prototype":{"polluted":1}}}',
      '{"name":{"__proto__":{"polluted":1}}}',
      '{"name":"p","tags":{"__proto__":[1]}}',
      '{"name":"p","tags":[{"__proto__":{"polluted":1}}]}',
      '{"__proto__":{"name":"p"}}',
      '{"name":"p","version":{"__proto__":1}}',
    ];

    it.each(payloads)('POST %s is refused', async (body) => {
      const r = await admin.post('/api/data/customer', body);
      expectClean4xx(r, 400);
      expectUnpolluted();
    });

    it.each(payloads)('PATCH %s is refused', async (body) => {
      const r = await admin.patch('/api/data/customer/1', body);
      expectClean4xx(r, 400);
      expectUnpolluted();
    });

    it('in a login body, a filter, a module definition', async () => {
      expectClean4xx(await t.client().post('/api/auth/login', '{"username":{"__proto__":{"x":1}},"password":"x"}'), 400);
      expectClean4xx(await t.client().post('/api/auth/login', '{"__proto__":{"username":"admin","password":"x"}}'), 400);
      expectClean4xx(await list('customer', `filter=${encodeURIComponent('{"__proto__":{"isAdmin":true}}')}`), 400);
      const r = await admin.post('/api/modules', '{"$id":"probe_pp","type":"object","properties":{},"__proto__":{"polluted":1}}');
      expect(r.status).toBeLessThan(500);
      expectUnpolluted();
      expect(await t.client().post('/api/auth/login', { username: 'admin', password: 'wrong' })).toMatchObject({ status: 401 });
    });

    it('a user cannot be created with a polluting body, and a plain new user is no admin', async () => {
      const polluting = '{"username":"mallory","password":"mallory-password-1","__proto__":{"isAdmin":true},"roles":{"__proto__":[1]}}';
      expectClean4xx(await admin.post('/api/data/user', polluting), 400);
      const created = await admin.post('/api/data/user', { username: 'mallory', password: 'mallory-password-1' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const mallory = await t.client().login('mallory', 'mallory-password-1');
      const me = await mallory.get('/api/auth/me');
      expect(me.body.user.isAdmin).toBe(false);
      expectClean4xx(await mallory.get('/api/data/customer'), 403);
      expectClean4xx(await mallory.get('/api/modules'), 403);
      // Counted among the rows the attack phase may add.
      before.set('user', before.get('user')! + 1);
      before.set('_stratum_counts', before.get('_stratum_counts')! + 1);
    });
  });

  describe('bodies', () => {
    it.each<[string, string | undefined, Record<string, string>, number]>([
      ['not JSON', "{'name': 'x'}", {}, 400],
      ['truncated JSON', '{"name":', {}, 400],
      ['deeply nested JSON', '['.repeat(100_000) + ']'.repeat(100_000), {}, 400],
      ['a JSON string', '"x"', {}, 400],
      ['a JSON list', '[{"name":"x"}]', {}, 400],
      ['JSON null', 'null', {}, 400],
      ['form data', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
      ['no content type', '{"name":"x"}', { 'content-type': 'text/plain' }, 415],
      ['more than 2 MiB', JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }), {}, 413],
    ])('%s is refused', async (_, body, headers, status) => {
      expectClean4xx(await admin.post('/api/data/customer', body, headers), status);
    });

    it.each<[string, Record<string, unknown>]>([
      ['a number beyond the column', { name: 'n', credit: 1e20 }],
      ['a number that is not finite', { name: 'n', credit: '1e400' }],
      ['an integer beyond the column', { name: 'n', tags: [2 ** 31] }],
      ['a text beyond maxLength', { name: 'x'.repeat(101) }],
      ['an impossible date', { name: 'n', since: '2025-02-30' }],
      ['an id that is not one', { name: 'n', tags: [1.5] }],
      ['a repeated id', { name: 'n', tags: [1, 1] }],
      ['an unknown id', { name: 'n', tags: [99999] }],
      ['an unknown field', { name: 'n', 'name; DROP TABLE customer': 1 }],
      ['a system field', { name: 'n', id: 1 }],
      ['a one-to-many relation', { name: 'n', followups: [1] }],
    ])('%s is refused with nothing written', async (_, body) => {
      expectClean4xx(await admin.post('/api/data/customer', body), 400);
    });

    it('an integer beyond what the column holds is refused', async () => {
      expectClean4xx(await admin.post('/api/data/orderline', { order: 1, product: 'x', qty: 1e300 }), 400);
      expectClean4xx(await admin.post('/api/data/orderline', { order: 1, product: 'x', qty: 2 ** 31 }), 400);
      expectClean4xx(await admin.post('/api/data/orderline', { order: 2 ** 53, product: 'x' }), 400);
    });

    it('If-Match with SQL is refused', async () => {
      expectClean4xx(await admin.patch('/api/data/customer/1', { note: 'x' }, { 'if-match': '"1 OR 1=1"' }), 400);
    });
  });

  it('afterwards every table holds what it held, and admin can still log in', async () => {
    const after = await tableCounts(t);
    for (const [table, count] of before) {
      // Logins write these by design: sessions, and the counted failure of a wrong password.
      if (table === '_stratum_sessions' || table === '_stratum_login_failures') continue;
      expect([table, after.get(table)]).toEqual([table, count]);
    }
    expect([...after.keys()].filter((k) => !before.has(k)).sort()).toEqual([]);
    const definitions = JSON.parse(JSON.stringify(await t.stratum.registry.definitions())) as { name: string }[];
    expect(JSON.stringify(definitions.filter((d) => d.name !== 'probe_text'))).toBe(definitionsBefore);
    const again = await t.client().login('admin', ADMIN_PASSWORD);
    expect((await again.get('/api/auth/me')).body.user.isAdmin).toBe(true);
    const customers = await again.get('/api/data/customer?pageSize=100&sort=id');
    expect(customers.body.data.map((c: { name: string }) => c.name)).toEqual([
      ...DATA.find((d) => d.module === 'customer')!.records.map((r) => r.name),
      ...ODD_CUSTOMERS.map((c) => c.name),
    ]);
    expect((await again.get('/api/data/user?sort=id')).body.data.map((u: { username: string }) => u.username)).toEqual(['admin', 'mallory']);
  });
});

function expectUnpolluted() {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

/** Rows per table, every table of the database (module, junction and engine tables). */
async function tableCounts(t: TestApp): Promise<Map<string, number>> {
  const qi = t.stratum.db.sequelize.getQueryInterface();
  const tables = (await qi.showAllTables()).map((x) => (typeof x === 'string' ? x : (x as { tableName: string }).tableName));
  const counts = new Map<string, number>();
  for (const table of tables.sort()) {
    // The maintained counts may gain a row per write (one per slot); what they say is their sum.
    const what = table === '_stratum_counts' ? `COALESCE(SUM(${t.stratum.db.quote('n')}), 0)` : 'COUNT(*)';
    const rows = await t.stratum.db.all({ sql: `SELECT ${what} AS n FROM ${t.stratum.db.quote(table)}`, params: [] });
    counts.set(table, Number(rows[0]!.n));
  }
  return counts;
}
