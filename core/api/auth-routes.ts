import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { HttpError, unauthenticated } from '../errors.js';
import { SESSION_COOKIE } from '../auth/session-adapter.js';
import { verifyPassword } from '../auth/password.js';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { loadActor } from '../auth/actor.js';

// Verified against when the username is unknown, so that both answers take as long.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(86) + '==';

/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`. */
export const authRoutes = new Hono<AppEnv>()
  .post('/login', async (c) => {
    const stratum = c.get('stratum');
    const body = (await jsonBody(c)) as { username?: unknown; password?: unknown };
    if (typeof body?.username !== 'string' || typeof body.password !== 'string') {
      throw new HttpError(400, 'invalid', 'Send {"username": "…", "password": "…"}', [
        ...(typeof body?.username !== 'string' ? [{ path: '/username', message: 'is required' }] : []),
        ...(typeof body?.password !== 'string' ? [{ path: '/password', message: 'is required' }] : []),
      ]);
    }
    const q = (s: string) => stratum.db.quote(s);
    const rows = await stratum.db.all({
      sql: `SELECT ${q('id')} AS id, ${q('password')} AS password, ${q('active')} AS active FROM ${q('user')} WHERE ${q('username')} = $1`,
      params: [body.username.slice(0, 64)],
    });
    const row = rows[0];
    const ok = await verifyPassword(body.password, row?.password ? String(row.password) : DUMMY_HASH);
    if (!row || !ok || Number(row.active) === 0) {
      throw new HttpError(401, 'invalid_credentials', 'Wrong username or password');
    }
    const session = await stratum.lucia.createSession(String(row.id), {});
    c.header('Set-Cookie', stratum.lucia.createSessionCookie(session.id).serialize(), { append: true });
    const actor = await loadActor(stratum.db, Number(row.id));
    return c.json({ user: actor });
  })
  .post('/logout', async (c) => {
    const stratum = c.get('stratum');
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await stratum.lucia.invalidateSession(id);
    c.header('Set-Cookie', stratum.lucia.createBlankSessionCookie().serialize(), { append: true });
    return c.body(null, 204);
  })
  .get('/me', (c) => {
    const access = c.get('access');
    if (!access) throw unauthenticated();
    return c.json({ user: access.actor });
  });
