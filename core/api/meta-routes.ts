import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { metaModules } from './meta-modules.js';
import { queryOf } from './known-parameters.js';

/**
 * `/api/meta`: read-only descriptions for the caller's own UI. Every logged-in user may ask; the
 * answer holds only the modules, actions and fields their grants allow (no records).
 */
export const metaRoutes = new Hono<AppEnv>().get('/modules', (c) => {
  queryOf(c, 'meta.modules');
  const data = c.get('data');
  c.header('Cache-Control', 'private, no-cache');
  return c.json({ generation: data.graph.generation, data: metaModules(data.graph, c.get('access')) });
});
