/**
 * Request bodies over real HTTP (@hono/node-server), where a JSON body with a Content-Length is
 * read straight from Node's request (core/api/request-body.ts, for the million-row benchmark's Q5): the 2 MiB limit holds
 * for declared and for chunked bodies, nothing is written past it, and what is read is the body.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';

interface Answer {
  status: number;
  body: any;
}

describeEachDialect('request bodies over HTTP', (dialect) => {
  let app: TestApp;
  let server: ServerType;
  let port: number;
  let cookie: string;

  /** One request on a socket; `chunked` sends the body without a Content-Length, in 64 KiB pieces. */
  const send = (method: string, path: string, body: string, opts: { chunked?: boolean; type?: string } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json', cookie };
      if (!opts.chunked) headers['content-length'] = String(Buffer.byteLength(body));
      let answered = false;
      // A socket of its own: one whose body the server refused part-way is not reused.
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text, and let the assertion show it
          }
          resolve({ status: res.statusCode!, body });
        });
      });
      // The server may answer 413 and close before the whole body is sent.
      req.on('error', (e: NodeJS.ErrnoException) => (answered && (e.code === 'EPIPE' || e.code === 'ECONNRESET') ? undefined : reject(e)));
      const bytes = Buffer.from(body);
      for (let i = 0; i < bytes.length; i += 65_536) req.write(bytes.subarray(i, i + 65_536));
      req.end();
    });
  const departments = async () => (await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${app.stratum.db.quote('department')}`, params: [] }))[0]!.n;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
    cookie = '';
    const login = await send('POST', '/api/auth/login', JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }));
    expect(login.status).toBe(200);
    cookie = (await app.admin()).cookie;
  });
  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await app?.close();
  });

  it('a JSON body with a Content-Length is read whole, multi-byte text included', async () => {
    const name = `部门 ${'é'.repeat(40_000)}`;
    const r = await send('POST', '/api/data/department', JSON.stringify({ code: '77', name: name.slice(0, 120) }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: '77', name: name.slice(0, 120) });
  });

  it('a chunked JSON body under the limit is read whole', async () => {
    const r = await send('POST', '/api/data/department', JSON.stringify({ code: '78', name: 'chunked', pad: undefined }), { chunked: true });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: '78', name: 'chunked' });
  });

  it('a declared body over 2 MiB is refused with 413 before it is read, and nothing is written', async () => {
    const before = await departments();
    const r = await send('POST', '/api/data/department', JSON.stringify({ code: '79', name: 'x'.repeat(3 * 1024 * 1024) }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('too_large');
    expect(await departments()).toEqual(before);
  });

  it('a chunked body over 2 MiB is refused with 413 while it is read, and nothing is written', async () => {
    const before = await departments();
    const r = await send('POST', '/api/data/department', JSON.stringify({ code: '80', name: 'x'.repeat(3 * 1024 * 1024) }), { chunked: true });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('too_large');
    expect(await departments()).toEqual(before);
  });

  it('a body that is not JSON is 400 invalid_json, and one not sent as JSON is 415', async () => {
    expect((await send('POST', '/api/data/department', '{"code": "81",')).body.error.code).toBe('invalid_json');
    const form = await send('POST', '/api/data/department', 'code=81', { type: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('an update reads its body the same way', async () => {
    const created = await send('POST', '/api/data/department', JSON.stringify({ code: '82', name: 'before' }));
    const r = await send('PATCH', `/api/data/department/${created.body.id}`, JSON.stringify({ name: 'after' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: created.body.id, name: 'after' });
  });
});
