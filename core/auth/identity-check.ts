import type { Database } from '../db/database.js';
import { shiftParams, type Compiled } from '../query/ast.js';
import { storedDateTime } from '../query/values.js';
import { sessionSource, tokenSource } from './authenticate.js';
import type { PendingIdentity } from './identity-hint.js';

/** The column a confirming read adds: 1 when the request's guessed identity still holds. */
export const IDENTITY_COLUMN = '_identity';

/**
 * `select` with one more column, `_identity`: whether, at the moment the statement reads, the
 * guessed credential is still valid, belongs to the guessed user, that user is active, and the
 * database is still at the guessed generation. The same joins as a full authentication
 * (core/auth/authenticate.ts), so the read and its caller's confirmation are one round trip.
 *
 * @example
 * SELECT EXISTS (SELECT 1 FROM `_stratum_sessions` AS s JOIN `user` AS u … WHERE s.`id` = $3
 *   AND … AND s.`userId` = $4 AND s.`expiresAt` > $5 AND g.`value` = $6) AS `_identity`, `t0`.`id` …
 */
export function withIdentityCheck(db: Database, select: Compiled, pending: PendingIdentity, now = Date.now()): Compiled {
  // The column goes after any modifiers (DISTINCT, STRAIGHT_JOIN): it is the same on every row,
  // so it changes neither which rows are distinct nor the join order.
  const head = /^SELECT (?:(?:DISTINCT|STRAIGHT_JOIN) )*/.exec(select.sql)?.[0];
  if (!head) throw new Error('withIdentityCheck: not a SELECT');
  const check = identityCondition(db, pending, now);
  return {
    sql: `${head}${shifted(check.sql, select.params.length)} AS ${db.quote(IDENTITY_COLUMN)}, ${select.sql.slice(head.length)}`,
    params: [...select.params, ...check.params],
  };
}

// A few texts (one per dialect and credential kind) at a few shifts: each renumbered once, not on
// every read (the million-row benchmark's Q4 profile). Bounded, and emptied when full.
const renumbered = new Map<string, string>();

function shifted(sql: string, by: number): string {
  const key = `${by}\0${sql}`;
  let found = renumbered.get(key);
  if (found === undefined) {
    if (renumbered.size >= 1_000) renumbered.clear();
    renumbered.set(key, (found = shiftParams(sql, by)));
  }
  return found;
}

/**
 * `EXISTS (…)`: whether the guessed credential is still valid, belongs to the guessed user, that
 * user is active, and the database is still at the guessed generation. A condition with its own
 * `$1…` parameters, for a read's column (above) or a create's INSERT (core/data/write-records.ts).
 */
export function identityCondition(db: Database, pending: PendingIdentity, now = Date.now()): Compiled {
  const q = (s: string) => db.quote(s);
  const { credential, who } = pending;
  const check = credential.kind === 'session'
    ? {
        sql: `${sessionSource(db)} AND s.${q('userId')} = $2 AND s.${q('expiresAt')} > $3 AND g.${q('value')} = $4`,
        params: [credential.id, who.userId, now, who.generation],
      }
    : {
        sql: `${tokenSource(db)} AND t.${q('userId')} = $2 AND (t.${q('expiresAt')} IS NULL OR t.${q('expiresAt')} > $3) AND g.${q('value')} = $4`,
        params: [credential.hash, who.userId, storedDateTime(new Date(now)), who.generation],
      };
  return { sql: `EXISTS (SELECT 1 ${check.sql})`, params: check.params };
}
