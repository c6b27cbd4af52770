/**
 * A browser sends cookies with a form posted from any site, so a request that changes state on
 * the strength of the session cookie must come from the server's own pages: its `Origin` (or,
 * lacking one, its `Referer`) must be the server's own origin or one of `ALLOWED_ORIGINS`. It is
 * refused with 403 otherwise, on every route, plugins' included. Requests without a session
 * cookie (an API token, a public form, a login) and those that name no origin at all (scripts;
 * browsers always send `Origin` on a cross-site POST) are not concerned.
 */
import type { Context, Next } from 'hono';
import { getCookie } from 'hono/cookie';
import { httpError } from '../errors.js';
import { SESSION_COOKIE } from '../auth/session-adapter.js';
import type { AppEnv } from './env.js';
import { ownOrigin } from './client-connection.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins besides the server's own that may post with its cookie, from `ALLOWED_ORIGINS` (comma separated). */
export function allowedOrigins(env: string | undefined = process.env.ALLOWED_ORIGINS): string[] {
  return (env ?? '').split(',').map((o) => o.trim().replace(/\/$/, '')).filter((o) => o.length > 0);
}

export function sameOriginWrites(allowed: readonly string[]) {
  return async (c: Context<AppEnv>, next: Next): Promise<void> => {
    if (SAFE.has(c.req.method) || !getCookie(c, SESSION_COOKIE)) return next();
    const claimed = c.req.header('origin') ?? originOf(c.req.header('referer'));
    if (!claimed || claimed === 'null' && !c.req.header('origin')) return next();
    // Behind a trusted proxy, the origin the browser called (X-Forwarded-Host/-Proto), not the proxy's request.
    const own = ownOrigin(c);
    if (claimed === own || allowed.includes(claimed)) return next();
    throw httpError(403, 'cross_origin', `A request that changes something with this site's login must come from its own pages (${own}), not from ${claimed.slice(0, 100)}; nothing was done`);
  };
}

function originOf(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}
