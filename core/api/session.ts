import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { unauthenticated } from '../errors.js';
import { SESSION_COOKIE } from '../auth/session-adapter.js';
import { loadActor } from '../auth/actor.js';
import { loadAccess } from '../auth/load-access.js';
import { DataContext } from '../data/context.js';
import { tokenUser } from '../auth/tokens.js';
import type { AppEnv } from './env.js';

/**
 * Every `/api` route but login needs a session (cookie) or an API token (Bearer). The caller's
 * access is fetched here once per request, against the module graph of the current generation.
 */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const stratum = c.get('stratum');
  const sessionId = getCookie(c, SESSION_COOKIE);
  let userId: number | undefined;
  const authorization = c.req.header('authorization');
  if (authorization?.startsWith('Bearer ')) {
    userId = await tokenUser(stratum.db, authorization.slice('Bearer '.length).trim());
  } else if (sessionId) {
    const { session, user } = await stratum.lucia.validateSession(sessionId);
    if (session && user) {
      userId = Number(user.id);
      if (session.fresh) c.header('Set-Cookie', stratum.lucia.createSessionCookie(session.id).serialize(), { append: true });
    } else {
      c.header('Set-Cookie', stratum.lucia.createBlankSessionCookie().serialize(), { append: true });
    }
  }
  const actor = userId === undefined ? undefined : await loadActor(stratum.db, userId);
  if (!actor) throw unauthenticated();
  const graph = await stratum.registry.graph();
  const access = await loadAccess(stratum.db, graph, actor);
  c.set('access', access);
  c.set('data', new DataContext(stratum.db, stratum.registry, graph, access));
  await next();
};
