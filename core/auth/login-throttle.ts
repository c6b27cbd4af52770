/**
 * Login throttling, counted in the database so that every process on it agrees.
 *
 * The policy (docs/SECURITY.md): failures are counted per username — unknown names too, so that
 * the answers do not tell which names exist — and per client address. After 5 failures of a name
 * (20 from an address: an office behind one address mistypes more, a guesser tries many names)
 * each further attempt must wait, 1 s after the 5th failure, then 2 s, 4 s … up to 15 minutes.
 * While it waits it is answered 429 and its password is not checked, so a lock costs no hashing
 * and a right password during it learns nothing. A success clears its name's count, not its
 * address's. Counts not added to for an hour are forgotten.
 *
 * A row holds only the count and the time of the last failure: how long to wait follows from
 * them (`lockedUntil`), so a failure is one atomic upsert and no process can overwrite another's.
 */
import { createHash } from 'node:crypto';
import { DataTypes } from 'sequelize';
import type { Database } from '../db/database.js';
import { isLockConflict } from '../db/lock-conflict.js';
import { ensureSystemTable } from '../db/system-table.js';

export const LOGIN_FAILURE_TABLE = '_stratum_login_failures';

export interface ThrottlePolicy {
  /** Failures of one username that need no wait. */
  readonly accountFailures: number;
  /** Failures from one client address that need no wait. */
  readonly addressFailures: number;
  /** The wait after the last free failure; each further failure doubles it. */
  readonly firstWaitMs: number;
  /** The longest wait: the lock. */
  readonly longestWaitMs: number;
  /** A count with no failure for this long starts again from zero; longer than `longestWaitMs`, or a lock would end early. */
  readonly forgetAfterMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  accountFailures: 5,
  addressFailures: 20,
  firstWaitMs: 1_000,
  longestWaitMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

/** What an attempt is counted under: its username and, when known, its client address. */
export interface LoginKeys {
  readonly account: string;
  readonly address?: string;
}

const LOCK_RETRIES = 5;
// Rows of names tried once and never again are removed now and then, by the failures that make them.
const PRUNE_ONE_IN = 64;

/** Creates `_stratum_login_failures` unless it exists. Safe when several processes start at once. */
export async function ensureLoginFailureTable(db: Database): Promise<void> {
  await ensureSystemTable(db, LOGIN_FAILURE_TABLE, {
    subject: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    failures: { type: DataTypes.INTEGER, allowNull: false },
    // Epoch milliseconds, as the session table keeps them: no time zones between processes.
    lastFailureAt: { type: DataTypes.BIGINT, allowNull: false },
  }, [{ name: `${LOGIN_FAILURE_TABLE}_last`, fields: ['lastFailureAt'] }]);
}

/**
 * The keys of an attempt. Stored as SHA-256 digests: a password typed into the name field by
 * mistake is not kept readable. Names are counted case-blind, as MariaDB finds them.
 */
export function loginKeys(username: string, address: string | undefined): LoginKeys {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const account = digest(`account\0${username.normalize('NFKC').toLowerCase()}`);
  return address === undefined ? { account } : { account, address: digest(`address\0${address}`) };
}

/**
 * Until when (epoch ms) an attempt must wait after `failures` failures, the last at `lastAt`,
 * when `free` of them need no wait; 0 when it need not wait.
 */
export function lockedUntil(failures: number, lastAt: number, free: number, policy: ThrottlePolicy): number {
  if (failures < free) return 0;
  return lastAt + Math.min(policy.firstWaitMs * 2 ** (failures - free), policy.longestWaitMs);
}

/** The login failures of one database, read and counted under `policy` and the clock `now`. */
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    readonly now: () => number = Date.now,
  ) {}

  /**
   * How many milliseconds the attempt must still wait; 0 when it may be checked.
   *
   * @example
   * SELECT `subject`, `failures`, `lastFailureAt` FROM `_stratum_login_failures` WHERE `subject` IN (?, ?)
   */
  async waitMs(keys: LoginKeys): Promise<number> {
    const q = (s: string) => this.db.quote(s);
    const subjects = subjectsOf(keys);
    const rows = await this.db.all({
      sql: `SELECT ${q('subject')} AS subject, ${q('failures')} AS failures, ${q('lastFailureAt')} AS lastFailureAt FROM ${q(LOGIN_FAILURE_TABLE)} WHERE ${q('subject')} IN (${subjects.map((_, i) => `$${i + 1}`).join(', ')})`,
      params: subjects,
    });
    const now = this.now();
    let until = 0;
    for (const row of rows) {
      const lastAt = Number(row.lastFailureAt);
      if (now - lastAt >= this.policy.forgetAfterMs) continue;
      const free = row.subject === keys.account ? this.policy.accountFailures : this.policy.addressFailures;
      until = Math.max(until, lockedUntil(Number(row.failures), lastAt, free, this.policy));
    }
    return Math.max(0, until - now);
  }

  /**
   * Counts a failure under each key, in one statement: a count older than `forgetAfterMs` starts again.
   *
   * @example
   * INSERT INTO `_stratum_login_failures` (`subject`, `failures`, `lastFailureAt`) VALUES (?, 1, ?), (?, 1, ?)
   * ON DUPLICATE KEY UPDATE `failures` = CASE WHEN `lastFailureAt` <= ? THEN 1 ELSE `failures` + 1 END, `lastFailureAt` = ?
   */
  async failed(keys: LoginKeys): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    // The same order in every statement, so that two of them cannot lock the rows crosswise.
    const subjects = subjectsOf(keys).sort();
    const now = this.now();
    const at = subjects.length + 1;
    const [failures, lastAt] = [q('failures'), q('lastFailureAt')];
    const update = `${failures} = CASE WHEN ${lastAt} <= $${at + 1} THEN 1 ELSE ${failures} + 1 END, ${lastAt} = $${at}`;
    const onConflict = this.db.dialect.name === 'mysql' ? `ON DUPLICATE KEY UPDATE ${update}` : `ON CONFLICT(${q('subject')}) DO UPDATE SET ${update}`;
    await this.retried(() => this.db.update({
      sql: `INSERT INTO ${q(LOGIN_FAILURE_TABLE)} (${q('subject')}, ${failures}, ${lastAt}) VALUES ${subjects.map((_, i) => `($${i + 1}, 1, $${at})`).join(', ')} ${onConflict}`,
      params: [...subjects, now, now - this.policy.forgetAfterMs],
    }));
    if (Math.random() * PRUNE_ONE_IN < 1) await this.prune();
  }

  /** A successful login: its name starts from zero again; its address keeps its count. */
  async succeeded(keys: LoginKeys): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    await this.retried(() => this.db.delete({ sql: `DELETE FROM ${q(LOGIN_FAILURE_TABLE)} WHERE ${q('subject')} = $1`, params: [keys.account] }));
  }

  /** Removes the counts that are forgotten anyway. */
  async prune(): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    await this.retried(() => this.db.delete({ sql: `DELETE FROM ${q(LOGIN_FAILURE_TABLE)} WHERE ${q('lastFailureAt')} <= $1`, params: [this.now() - this.policy.forgetAfterMs] }));
  }

  /**
   * Many failures at once on one name or address write the same rows; MariaDB may then give up
   * one of the statements (a deadlock), which changed nothing and may simply run again. Should
   * it keep failing, the lock conflict reaches onError: 503 busy, never a 500.
   */
  private async retried<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if (attempt >= LOCK_RETRIES || !isLockConflict(e)) throw e;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }
}

function subjectsOf(keys: LoginKeys): string[] {
  return keys.address === undefined ? [keys.account] : [keys.account, keys.address];
}
