import { Hono } from 'hono';
import type { Stratum } from './stratum.js';
import type { AppEnv } from './api/env.js';
import { onError } from './api/errors.js';
import { readAgainAfterSwitch } from './api/read-again.js';
import { allowedOrigins, sameOriginWrites } from './api/same-origin.js';
import { notFound } from './errors.js';
import { limitBody } from './api/request-body.js';
import { watchClient } from './api/watch-client.js';
import { authRoutes } from './api/auth-routes.js';
import { requireSession } from './api/session.js';
import { dataRoutes } from './api/data-routes.js';
import { explainRoutes } from './api/explain-routes.js';
import { moduleRoutes } from './api/module-routes.js';
import { changeRoutes } from './api/change-routes.js';
import { schemaRoutes } from './api/schema-routes.js';
import { pluginRecordRoutes, pluginRoutes } from './plugins/routes.js';
import { recordCanRoutes } from './plugins/record-can-route.js';
import { isPublicDocsPath, openApiRoutes } from './api/openapi/routes.js';
import { metaRoutes } from './api/meta-routes.js';
import { uiRoutes } from './ui/ui-routes.js';
import { downloadRoutes, UPLOAD_PATH, uploadRoutes } from './api/file-routes.js';
import { idempotency } from './api/idempotency.js';

/** The HTTP application: `/api/auth` is open, everything else under `/api` needs a session. */
export function createApp(stratum: Stratum): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(() => {
    throw notFound('This route');
  });
  app.use('*', async (c, next) => {
    c.set('stratum', stratum);
    await next();
  });
  // A write that waited its turn is not started for a client that has gone (core/db/requester.ts).
  app.use('/api/*', watchClient());
  // A file upload has its own limit: 2 MiB of file plus its multipart framing (core/files/limits.ts).
  // A GET or HEAD has no body to limit, and asking for it would make @hono/node-server build a
  // whole fetch Request (with an AbortController) per request (the million-row benchmark's Q4 profile).
  const bodyless = (method: string) => method === 'GET' || method === 'HEAD';
  app.use('/api/*', (c, next) => (c.req.path === UPLOAD_PATH || bodyless(c.req.method) ? next() : limitBody(c, next)));
  // A request whose guessed identity did not hold is answered again, from the top (core/api/session.ts).
  const session = requireSession((c, env) => Promise.resolve(app.fetch(c.req.raw, env)));
  app.use('*', sameOriginWrites(allowedOrigins()));
  app.use('/api/*', readAgainAfterSwitch((request, env) => Promise.resolve(app.fetch(request, env as never))));
  app.use('/api/*', async (c, next) => {
    const path = c.req.path;
    if (path === '/api/auth/login' || path === '/api/auth/logout' || isPublicDocsPath(path)) return next();
    // A plugin route its plugin declares public (a sign-up link) is the only other way in without a session.
    if (stratum.plugins.isPublicRoute(c.req.method, path)) return next();
    return session(c, next);
  });
  // After the session: a key belongs to the caller (core/api/idempotency.ts).
  app.use('/api/*', idempotency);
  app.route('/api/auth', authRoutes);
  app.route('/api/data', explainRoutes);
  app.route('/api/data', downloadRoutes);
  app.route(UPLOAD_PATH, uploadRoutes);
  app.route('/api/data', recordCanRoutes);
  app.route('/api/data', dataRoutes);
  // Plugins' routes about one record (the audit plugin's history and revert), mounted by the plugin host.
  app.route('/api/data', pluginRecordRoutes(stratum.plugins));
  app.route('/api/modules', moduleRoutes);
  app.route('/api/modules', changeRoutes);
  app.route('/api/schema', schemaRoutes);
  app.route('/api/plugins', pluginRoutes);
  app.route('/api', openApiRoutes);
  app.route('/api/meta', metaRoutes);
  // The admin UI: `/`, deep links such as /m/customer/12, and its bundle under /ui/.
  app.route('/', uiRoutes);
  return app;
}
