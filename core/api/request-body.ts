import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { httpError } from '../errors.js';

/** The largest request body the API reads (a file upload has its own limit, core/files/limits.ts). */
export const MAX_BODY = 2 * 1024 * 1024;

// The same code as a file over its limit (core/api/read-file-upload.ts); the detail's path, "" here, says it is the body.
const tooLarge = () => httpError(413, 'too_large', 'The request body is larger than 2 MiB; nothing was read', [{ path: '', message: `must be at most ${MAX_BODY} bytes (2 MiB)`, code: 'too_large' }]);

/**
 * Bodies already read, by the request they came with (Node's, or the fetch Request outside
 * @hono/node-server): for a second reader, and for a request answered again from the top
 * (core/api/session.ts), whose stream has been consumed.
 */
const readBodies = new WeakMap<object, string>();

/**
 * Limits request bodies to MAX_BODY. A body with a Content-Length is judged by it and, under
 * @hono/node-server, later read straight from Node's IncomingMessage (readBody): building the
 * fetch Request and its web stream that hono's bodyLimit reads through cost about a tenth of a
 * create's CPU (the million-row benchmark's Q5 profile). A chunked body goes through hono's bodyLimit, which counts.
 */
export const limitBody: MiddlewareHandler = async (c, next) => {
  // A request answered again from the top (core/api/session.ts): its body was limited and read the first time.
  if (readBodies.has(sourceOf(c))) return next();
  const length = c.req.header('content-length');
  if (length !== undefined && c.req.header('transfer-encoding') === undefined && /^[0-9]+$/.test(length)) {
    if (Number(length) > MAX_BODY) throw tooLarge();
    return next();
  }
  return chunkedLimit(c, next);
};

const chunkedLimit = bodyLimit({
  maxSize: MAX_BODY,
  onError: () => {
    throw tooLarge();
  },
});

/** The request body as text: from Node's request when it has not been turned into a fetch Request's stream. */
export async function readBody(c: Context): Promise<string> {
  const incoming = incomingOf(c);
  const source = sourceOf(c);
  const kept = readBodies.get(source);
  if (kept !== undefined) return kept;
  const direct = incoming !== undefined && c.req.header('content-length') !== undefined && c.req.header('transfer-encoding') === undefined;
  if (!direct) {
    const text = await c.req.text();
    readBodies.set(source, text);
    return text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Node's parser stops at Content-Length, which limitBody checked; this is a second fence.
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  readBodies.set(source, text);
  return text;
}

const incomingOf = (c: Context) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/** What a body is kept by: Node's request under @hono/node-server (no fetch Request is built for it), else the fetch Request. */
const sourceOf = (c: Context): object => incomingOf(c) ?? c.req.raw;
