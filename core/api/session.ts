import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { unauthenticated } from '../errors.js';
import { SESSION_COOKIE } from '../auth/session-adapter.js';
import { authenticate } from '../auth/authenticate.js';
import { loadAccess } from '../auth/load-access.js';
import { DataContext } from '../data/context.js';
import type { AppEnv } from './env.js';

/**
 * Every `/api` route but login needs a session (cookie) or an API token (Bearer). The caller's
 * access is fetched here once per request, against the module graph of the current generation.
 */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const stratum = c.get('stratum');
  const sessionId = getCookie(c, SESSION_COOKIE);
  const authorization = c.req.header('authorization');
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
  // One statement: session or token, active user, and the generation that keys every cache.
  const who = await authenticate(stratum.db, stratum.lucia, bearer !== undefined ? { bearer } : { sessionId });
  if (!who) {
    if (sessionId && bearer === undefined) c.header('Set-Cookie', stratum.lucia.createBlankSessionCookie().serialize(), { append: true });
    throw unauthenticated();
  }
  if (who.refreshCookie) c.header('Set-Cookie', who.refreshCookie, { append: true });
  const [graph, plugins] = await Promise.all([stratum.registry.graphAt(who.generation), stratum.plugins.active(who.generation)]);
  const access = await loadAccess(stratum.db, graph, { id: who.userId, username: who.username, name: who.name }, plugins.variables);
  c.set('access', access);
  c.set('data', new DataContext(stratum.db, stratum.registry, graph, access, plugins.hooks, bearer === undefined ? sessionId : undefined));
  await next();
};
