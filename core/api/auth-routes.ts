import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { notFound, unauthenticated, httpError } from '../errors.js';
import { createToken, listTokens, revokeToken } from '../auth/tokens.js';
import { SESSION_COOKIE } from '../auth/session-adapter.js';
import { verifyPassword } from '../auth/password.js';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { loadActor } from '../auth/actor.js';
import { loginKeys, type LoginKeys } from '../auth/login-throttle.js';
import { clientAddress, sessionCookieFor } from './client-connection.js';
import { queryOf } from './known-parameters.js';
import { refuseUnknownFields } from './known-body-fields.js';

// Verified against when the username is unknown, so that both answers take as long.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$' + 'A'.repeat(86) + '==';

/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`. */
export const authRoutes = new Hono<AppEnv>()
  .post('/login', async (c) => {
    const stratum = c.get('stratum');
    queryOf(c, 'auth.login');
    const body = (await jsonBody(c)) as { username?: unknown; password?: unknown };
    refuseUnknownFields(body, ['username', 'password'], 'a login');
    if (typeof body?.username !== 'string' || typeof body.password !== 'string') {
      throw httpError(400, 'invalid', 'Send {"username": "…", "password": "…"}', [
        ...(typeof body?.username !== 'string' ? [{ path: '/username', message: 'is required' }] : []),
        ...(typeof body?.password !== 'string' ? [{ path: '/password', message: 'is required' }] : []),
      ]);
    }
    const username = body.username.slice(0, 64);
    // Known and unknown names take the same steps, throttle included (core/auth/login-throttle.ts).
    const keys = loginKeys(username, clientAddress(c));
    await refuseWhileLocked(c, keys);
    const q = (s: string) => stratum.db.quote(s);
    const rows = await stratum.db.all({
      sql: `SELECT ${q('id')} AS id, ${q('password')} AS password, ${q('active')} AS active FROM ${q('user')} WHERE ${q('username')} = $1`,
      params: [username],
    });
    const row = rows[0];
    const ok = await verifyPassword(body.password, row?.password ? String(row.password) : DUMMY_HASH);
    // Attempts sent together all pass the first look before any failure is counted; those that
    // finish after the failures before them set a lock learn nothing of their password either.
    await refuseWhileLocked(c, keys);
    if (!row || !ok || Number(row.active) === 0) {
      await stratum.logins.failed(keys);
      throw httpError(401, 'invalid_credentials', 'Wrong username or password');
    }
    await stratum.logins.succeeded(keys);
    const session = await stratum.lucia.createSession(String(row.id), {});
    c.header('Set-Cookie', sessionCookieFor(c, stratum.lucia.createSessionCookie(session.id).serialize()), { append: true });
    const actor = await loadActor(stratum.db, Number(row.id));
    return c.json({ user: actor });
  })
  .post('/logout', async (c) => {
    const stratum = c.get('stratum');
    queryOf(c, 'auth.logout');
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await stratum.lucia.invalidateSession(id);
    c.header('Set-Cookie', sessionCookieFor(c, stratum.lucia.createBlankSessionCookie().serialize()), { append: true });
    return c.body(null, 204);
  })
  .get('/me', (c) => {
    queryOf(c, 'auth.me');
    const access = c.get('access');
    if (!access) throw unauthenticated();
    return c.json({ user: access.actor });
  })
  .get('/tokens', async (c) => {
    queryOf(c, 'auth.tokens.list');
    return c.json({ data: await listTokens(c.get('stratum').db, c.get('access').actor.id) });
  })
  .post('/tokens', async (c) => {
    queryOf(c, 'auth.tokens.create');
    const body = (await jsonBody(c)) as { name?: unknown; expiresInDays?: unknown };
    refuseUnknownFields(body, ['name', 'expiresInDays'], 'a token request');
    const details = [];
    if (typeof body?.name !== 'string' || body.name.length < 1 || body.name.length > 128) details.push({ path: '/name', message: 'give the token a name (1 to 128 characters)' });
    const days = body?.expiresInDays;
    if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 3650)) {
      details.push({ path: '/expiresInDays', message: 'must be a whole number of days from 1 to 3650' });
    }
    if (details.length > 0) throw httpError(400, 'invalid', 'The token request is not valid; nothing was created', details);
    const expiresAt = typeof days === 'number' ? new Date(Date.now() + days * 86_400_000) : null;
    const { id, token } = await createToken(c.get('stratum').db, c.get('access').actor.id, body.name as string, expiresAt);
    return c.json({ id, name: body.name, token, expiresAt: expiresAt?.toISOString() ?? null, note: 'Shown once: store it now. Send it as Authorization: Bearer <token>.' }, 201);
  })
  .delete('/tokens/:id{[1-9][0-9]{0,14}}', async (c) => {
    queryOf(c, 'auth.tokens.revoke');
    const ok = await revokeToken(c.get('stratum').db, c.get('access').actor.id, Number(c.req.param('id')));
    if (!ok) throw notFound(`token ${c.req.param('id')}`);
    return c.body(null, 204);
  });

/** 429 with Retry-After, without looking at the password, while the name or the address must wait. */
async function refuseWhileLocked(c: Context<AppEnv>, keys: LoginKeys): Promise<void> {
  const logins = c.get('stratum').logins;
  const waitMs = await logins.waitMs(keys);
  if (waitMs <= 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  const at = new Date(logins.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  c.header('Retry-After', String(seconds));
  throw httpError(429, 'too_many_attempts', `Too many failed logins for this name or from this address; try again in ${seconds} s (at ${at})`);
}
