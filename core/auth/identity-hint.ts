import type { Database } from '../db/database.js';
import { Lru } from '../rules/lru.js';
import { needsExtending, type Authenticated, type Credentials } from './authenticate.js';
import { hashToken } from './password.js';
import { HttpError, httpError } from '../errors.js';

/**
 * Who a credential belonged to on its last request to this process, and at which generation: a
 * guess that saves a round trip, never an answer. A request that uses it runs as that user at
 * that generation and must have it confirmed by the database before its reply leaves — inside
 * its first read (core/auth/identity-check.ts) or by a full authentication after the route
 * (core/api/session.ts). Another process, a logout, a deactivation or a rule change make the
 * confirmation fail, so a stale guess costs a retry, not a wrong answer.
 */
export interface PendingIdentity {
  readonly credential: { readonly kind: 'session'; readonly id: string } | { readonly kind: 'token'; readonly hash: string };
  readonly who: Authenticated;
  /** Set when a statement of this request confirmed the guess. */
  confirmed: boolean;
  /**
   * Set when a write found the guess unconfirmed (its INSERT, guarded by the guess, wrote
   * nothing): the request is answered again on the full path, which says why.
   */
  answerAgain?: boolean;
}

/**
 * What a write throws when the guess it ran on was not confirmed: the transaction rolls back, and
 * the session middleware, seeing `answerAgain`, drops this answer and answers again on the full path.
 */
export function answeredAgain(pending: PendingIdentity): HttpError {
  pending.answerAgain = true;
  return httpError(503, 'answered_again', 'The request is answered again after a full authentication');
}

const hints = new WeakMap<Database, Lru<Authenticated>>();

function hintsOf(db: Database): Lru<Authenticated> {
  let lru = hints.get(db);
  if (!lru) hints.set(db, (lru = new Lru(10_000)));
  return lru;
}

function keyOf(credentials: Credentials): PendingIdentity['credential'] | undefined {
  if (credentials.bearer !== undefined) return { kind: 'token', hash: hashToken(credentials.bearer) };
  if (credentials.sessionId && credentials.sessionId.length <= 64) return { kind: 'session', id: credentials.sessionId };
  return undefined;
}

const keyText = (key: PendingIdentity['credential']) => (key.kind === 'session' ? `s:${key.id}` : `t:${key.hash}`);

/** The guess for these credentials, unless there is none or the session is due to be extended (the full path does that). */
export function pendingIdentity(db: Database, credentials: Credentials, now = Date.now()): PendingIdentity | undefined {
  const credential = keyOf(credentials);
  if (!credential) return undefined;
  const who = hintsOf(db).get(keyText(credential));
  if (!who || who.refreshCookie !== undefined) return undefined;
  if (credential.kind === 'session' && (who.expiresAt === null || needsExtending(who.expiresAt, now))) return undefined;
  return { credential, who, confirmed: false };
}

/** After a full authentication: the guess for the next request with these credentials. */
export function rememberIdentity(db: Database, credentials: Credentials, who: Authenticated): void {
  const credential = keyOf(credentials);
  // The cookie to re-send belonged to that reply only.
  const { refreshCookie: _sent, ...kept } = who;
  if (credential) hintsOf(db).set(keyText(credential), kept);
}

export function forgetIdentity(db: Database, credentials: Credentials): void {
  const credential = keyOf(credentials);
  if (credential) hintsOf(db).delete(keyText(credential));
}
