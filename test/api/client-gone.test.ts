/**
 * A client that closes its connection while its body is still being read leaves nothing behind:
 * nothing is written and the server does not log it as a fault (it used to print "Error:
 * aborted" with a stack for every such request, as for a 500).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { listen } from '../support/http-server.js';
import { expectStatus } from './crm.js';

let app: TestApp;
let admin: Client;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  app = await startTestApp('sqlite');
  admin = await app.admin();
  expectStatus(await admin.post('/api/modules', { $id: 'memo', type: 'object', properties: { text: { type: 'string', maxLength: 200 } } }), 201);
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

it('a body cut short by the client writes nothing and logs no error', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const { port } = new URL(server.base);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/data/memo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${admin.cookie}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": "cut`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    // Give the server the moment it takes to notice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([]);
  } finally {
    logged.mockRestore();
  }
  expect(expectStatus(await admin.get('/api/data/memo'), 200).body.data).toEqual([]);
});
