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

/** Sends a whole POST by hand and returns the socket, to close it before the answer comes. */
function sendMemo(port: number, text: string): Promise<import('node:net').Socket> {
  const body = JSON.stringify({ text });
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/data/memo HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${admin.cookie}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      resolve(socket);
    });
    socket.on('error', () => undefined);
  });
}

it('a write queued behind another is not done once its client has gone; one whose client waits is', async () => {
  const port = Number(new URL(server.base).port);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  // Holds SQLite's one writer, so that both creates wait for their turn.
  const holding = app.stratum.db.transaction(() => gate);
  const leaving = await sendMemo(port, 'left before its turn');
  const staying = await sendMemo(port, 'waited for its turn');
  const answer = new Promise<string>((resolve) => {
    let text = '';
    staying.on('data', (chunk) => (text += String(chunk)));
    staying.on('data', () => text.includes('\r\n\r\n') && resolve(text));
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  leaving.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  open();
  await holding;
  expect(await answer).toMatch(/^HTTP\/1.1 201/);
  staying.destroy();
  const texts = expectStatus(await admin.get('/api/data/memo'), 200).body.data.map((m: { text: string }) => m.text);
  expect(texts).toEqual(['waited for its turn']);
});
