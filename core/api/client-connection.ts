/**
 * What the client really connected with: its address, whether over HTTPS, and the origin it
 * called. Behind a reverse proxy the socket only shows the proxy, which says the rest in
 * `X-Forwarded-For`, `-Proto` and `-Host`. Anybody can send those headers, so they are believed
 * only when the socket's peer is one of `TRUSTED_PROXIES` (none by default).
 */
import { isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from './env.js';

/**
 * The client's address: the socket's peer, or, when that is a trusted proxy, the first hop of
 * `X-Forwarded-For` counted from the right that is not a trusted proxy itself (the hops to its
 * left are whatever the client claimed). Undefined without a socket (a request made in process).
 */
export function clientAddress(c: Context<AppEnv>): string | undefined {
  const peer = peerAddress(c);
  if (peer === undefined || !isTrusted(c, peer)) return peer;
  const hops = listHeader(c, 'x-forwarded-for').map(normalAddress);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(c, hops[i]!)) return hops[i]!.slice(0, 64);
  }
  return hops[0] ?? peer;
}

/** Whether the client connected over HTTPS: a TLS socket, or a trusted proxy's `X-Forwarded-Proto: https`. */
export function isHttps(c: Context<AppEnv>): boolean {
  return ownOrigin(c).startsWith('https:');
}

/**
 * The server's origin as the client called it, e.g. `https://admin.example.com`: the request's
 * own URL (@hono/node-server makes it https on a TLS socket), or what a trusted proxy forwards.
 * Like Express, a list in these headers counts by its first value, the one the outermost proxy set.
 */
export function ownOrigin(c: Context<AppEnv>): string {
  const own = new URL(c.req.url);
  const peer = peerAddress(c);
  if (peer === undefined || !isTrusted(c, peer)) return own.origin;
  const proto = listHeader(c, 'x-forwarded-proto')[0]?.toLowerCase();
  const host = listHeader(c, 'x-forwarded-host')[0];
  const scheme = proto === 'https' || proto === 'http' ? proto : own.protocol.slice(0, -1);
  try {
    return new URL(`${scheme}://${host ?? own.host}`).origin;
  } catch {
    // A host no URL can hold: the request's own origin, which refuses more rather than less.
    return own.origin;
  }
}

/**
 * A session cookie as this request should get it: `Secure` when the client connected over
 * HTTPS, so that a browser never sends it back over plain HTTP (SECURE_COOKIES=1 sets it always).
 */
export function sessionCookieFor(c: Context<AppEnv>, serialized: string): string {
  return isHttps(c) && !/;\s*secure(?:;|$)/i.test(serialized) ? `${serialized}; Secure` : serialized;
}

/** `127.0.0.1` for `::ffff:127.0.0.1`, so that one list entry matches a client on either stack. */
export function normalAddress(address: string): string {
  const text = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  return mapped ? mapped[1]! : text;
}

/**
 * `TRUSTED_PROXIES` (comma separated addresses, e.g. `127.0.0.1,::1`) as a list; empty trusts no
 * proxy. A value that is not an address stops the start: a typo must not quietly trust nobody.
 */
export function trustedProxies(env: string | undefined = process.env.TRUSTED_PROXIES): string[] {
  const list = (env ?? '').split(',').map((a) => a.trim()).filter((a) => a.length > 0);
  const wrong = list.filter((a) => isIP(normalAddress(a)) === 0);
  if (wrong.length > 0) throw new Error(`TRUSTED_PROXIES: ${wrong.map((a) => `"${a}"`).join(', ')} is not an IP address; give the proxies' addresses separated by commas, e.g. 127.0.0.1,::1`);
  return list;
}

function isTrusted(c: Context<AppEnv>, address: string): boolean {
  return c.get('stratum').trustedProxies.has(normalAddress(address));
}

function peerAddress(c: Context<AppEnv>): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? normalAddress(address) : undefined;
  } catch {
    // No Node socket behind this request (app.request in process): nothing to go by.
    return undefined;
  }
}

function listHeader(c: Context<AppEnv>, name: string): string[] {
  return (c.req.header(name) ?? '').split(',').map((v) => v.trim()).filter((v) => v.length > 0);
}
