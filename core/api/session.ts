import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { unauthenticated } from '../errors.js';
import { SESSION_COOKIE } from '../auth/session-adapter.js';
import { authenticate, type Authenticated, type Credentials } from '../auth/authenticate.js';
import { answeredAgain, forgetIdentity, pendingIdentity, rememberIdentity, type PendingIdentity } from '../auth/identity-hint.js';
import { loadAccess } from '../auth/load-access.js';
import { DataContext } from '../data/context.js';
import type { AppEnv } from './env.js';
import { sessionCookieFor } from './client-connection.js';

/**
 * GET reads of the data API, a list or one record, whose read can confirm a guessed identity in
 * its own statement (DataContext.readConfirming). Nothing else runs on a guess: a GET elsewhere (a plugin's route)
 * might act on it before it is confirmed.
 */
const CONFIRMING_READ = /^\/api\/data\/[a-z][a-z0-9_]{0,62}(?:\/[1-9][0-9]{0,15})?$/;

/**
 * POST of a new record to the data API, whose INSERT can confirm a guessed identity in its own
 * statement (createRecord): nothing is written unless the guess holds, and a plugin's before
 * hook, which runs earlier, has the identity confirmed first (DataContext.confirmed).
 */
const CONFIRMING_CREATE = /^\/api\/data\/[a-z][a-z0-9_]{0,62}$/;

/** Marks a request that is being answered again on the full path, so that it does not guess twice. */
const FULL_PATH = Symbol('stratum.fullAuthentication');

/** Runs the whole request again, from the top, on the full authentication path. */
export type Redispatch = (c: Context<AppEnv>, env: Record<string | symbol, unknown>) => Promise<Response>;

/**
 * Every `/api` route but login needs a session (cookie) or an API token (Bearer).
 *
 * The full path authenticates in one statement (session or token, active user, generation),
 * then runs the route. A GET read or a create whose caller this process authenticated before
 * takes the guessed path instead: it runs as the user and generation of last time
 * (core/auth/identity-hint.ts), its read or its INSERT confirms them in the same statement, and
 * if none did, a full authentication confirms them after the route. Until confirmed, nothing
 * leaves and nothing is written: a guess that no longer holds (logged out, deactivated, expired,
 * rules changed) throws the answer away and the request is answered again on the full path.
 */
export function requireSession(redispatch: Redispatch): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const stratum = c.get('stratum');
    const credentials = credentialsOf(c);
    const env = (c.env ?? {}) as Record<string | symbol, unknown>;
    const method = c.req.method;
    const mayGuess = !env[FULL_PATH] && ((method === 'GET' && CONFIRMING_READ.test(c.req.path)) || (method === 'POST' && CONFIRMING_CREATE.test(c.req.path)));
    const pending = mayGuess ? pendingIdentity(stratum.db, credentials) : undefined;
    if (pending) return guessed(c, next, credentials, pending, () => redispatch(c, { ...env, [FULL_PATH]: true }));

    const who = await authenticate(stratum.db, stratum.lucia, credentials);
    if (!who) {
      forgetIdentity(stratum.db, credentials);
      if (credentials.sessionId && credentials.bearer === undefined) c.header('Set-Cookie', sessionCookieFor(c, stratum.lucia.createBlankSessionCookie().serialize()), { append: true });
      throw unauthenticated();
    }
    rememberIdentity(stratum.db, credentials, who);
    if (who.refreshCookie) c.header('Set-Cookie', sessionCookieFor(c, who.refreshCookie), { append: true });
    await enter(c, who, credentials);
    await next();
  };
}

async function guessed(
  c: Context<AppEnv>, next: () => Promise<void>, credentials: Credentials, pending: PendingIdentity, again: () => Promise<Response>,
): Promise<void> {
  const stratum = c.get('stratum');
  await enter(c, pending.who, credentials, pending);
  let refreshCookie: string | undefined;
  const confirm = async () => {
    const who = await authenticate(stratum.db, stratum.lucia, credentials);
    pending.confirmed = who !== undefined && who.userId === pending.who.userId && who.generation === pending.who.generation;
    refreshCookie = who?.refreshCookie;
  };
  c.get('data').confirmIdentity = async () => {
    await confirm();
    if (!pending.confirmed) throw answeredAgain(pending);
  };
  let failure: unknown;
  try {
    await next();
  } catch (error) {
    failure = error;
  }
  if (!pending.confirmed && !pending.answerAgain) await confirm();
  // A guess that did not hold, or a write it refused: the full path answers, and says why.
  if (!pending.confirmed || pending.answerAgain) {
    forgetIdentity(stratum.db, credentials);
    // Drop the guessed answer (and its headers) before the full path answers.
    c.res = undefined;
    c.res = await again();
    return;
  }
  if (refreshCookie) c.header('Set-Cookie', sessionCookieFor(c, refreshCookie), { append: true });
  if (failure !== undefined) throw failure;
}

async function enter(c: Context<AppEnv>, who: Authenticated, credentials: Credentials, pending?: PendingIdentity): Promise<void> {
  const stratum = c.get('stratum');
  const [graph, plugins] = await Promise.all([stratum.registry.graphAt(who.generation), stratum.plugins.active(who.generation)]);
  const access = await loadAccess(stratum.db, graph, { id: who.userId, username: who.username, name: who.name }, plugins.variables);
  const data = new DataContext(stratum.db, stratum.registry, graph, access, plugins.hooks, credentials.bearer === undefined ? credentials.sessionId : undefined);
  if (pending) data.pending = pending;
  c.set('access', access);
  c.set('data', data);
}

function credentialsOf(c: Context<AppEnv>): Credentials {
  const authorization = c.req.header('authorization');
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
  return bearer !== undefined ? { bearer } : { sessionId: getCookie(c, SESSION_COOKIE) };
}
