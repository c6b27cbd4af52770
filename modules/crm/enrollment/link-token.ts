/**
 * Enrollment link tokens: 32 random bytes, base64url, in the link only. The database keeps
 * their SHA-256, so that whoever reads the table (a backup, an admin) cannot use a link; a hash
 * of 256 random bits needs no salt or slow KDF, as nobody can guess the token to test it.
 */
import { createHash, randomBytes } from 'node:crypto';

/** How long a link works (links expire). */
export const LINK_LIFETIME_DAYS = 7;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

/** The hash stored for a token; undefined for what cannot be a token (no lookup needed). */
export function tokenHash(token: string): string;
export function tokenHash(token: string | undefined): string | undefined;
export function tokenHash(token: string | undefined): string | undefined {
  if (token === undefined || !TOKEN.test(token)) return undefined;
  return createHash('sha256').update(token).digest('hex');
}
