import { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { notFound } from '../../errors.js';
import { openApiDocument } from './document.js';
import { DOCS_HTML, docsAsset } from './docs-page.js';
import { queryOf } from '../known-parameters.js';


/**
 * Mounted at `/api`. The document is built on every request from the graph of the request's
 * generation and the caller's access: a module changed at runtime shows on the next request, and
 * there is no cache that two processes could disagree on. `/api/docs` and its files hold no data
 * and are served without a session, so that the page can offer the login.
 */
export const openApiRoutes = new Hono<AppEnv>()
  .get('/openapi.json', (c) => {
    queryOf(c, 'docs.openapi');
    const data = c.get('data');
    c.header('Cache-Control', 'private, no-cache');
    return c.json(openApiDocument(data.graph, c.get('access')));
  })
  .get('/docs', (c) => {
    queryOf(c, 'docs.page');
    return c.html(DOCS_HTML);
  })
  .get('/docs/:asset{[a-zA-Z0-9_.-]+}', async (c) => {
    queryOf(c, 'docs.asset');
    const asset = await docsAsset(c.req.param('asset'));
    if (!asset) throw notFound('This file');
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(asset.body as Uint8Array<ArrayBuffer> | string);
  });

/** Paths that skip the session check in app.ts: the page and its static files. */
export const isPublicDocsPath = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/');
