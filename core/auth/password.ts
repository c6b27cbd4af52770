/**
 * Password hashing (scrypt, memory-hard) and API token helpers. Only node:crypto is used so that
 * nothing native has to be built on install.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hashSlots } from './hash-slots.js';

const N = 2 ** 15;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 64;
// scrypt needs 128·N·r bytes (32 MiB here); Node's default maxmem is exactly 32 MiB and refuses it.
const maxmemFor = (n: number, r: number) => 2 * 128 * n * r;
// Upper bounds when reading stored hashes, so a corrupt row cannot make a login allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 16;
const MAX_P = 4;

/** One derivation, once one of the process's hash slots is free (core/auth/hash-slots.ts). */
function deriveKey(plain: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return hashSlots.run(() => new Promise((resolve, reject) => {
    scrypt(plain.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  }));
}

/** Hashes a password as `scrypt$N$r$p$saltB64$hashB64` with a fresh 16-byte salt. */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(plain, salt, KEY_BYTES, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Checks a password against a stored `hashPassword` result in constant time. Returns false (never
 * throws) for a wrong password and for a malformed or unsupported stored value.
 */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, nText, rText, pText, saltText, hashText] = parts as [string, string, string, string, string, string];
  const n = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  const validN = Number.isInteger(n) && n > 1 && n <= MAX_N && (n & (n - 1)) === 0;
  const validR = Number.isInteger(r) && r >= 1 && r <= MAX_R;
  const validP = Number.isInteger(p) && p >= 1 && p <= MAX_P;
  if (!validN || !validR || !validP) return false;
  const salt = Buffer.from(saltText, 'base64');
  const expected = Buffer.from(hashText, 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await deriveKey(plain, salt, expected.length, { N: n, r, p, maxmem: maxmemFor(n, r) });
  return timingSafeEqual(actual, expected);
}

/** A random 20-character url-safe password (120 bits), e.g. for the generated `admin` account. */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}

/** A new API token: 32 random bytes, base64url. Show it once; store only `hashToken(token)`. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of an API token: sha256 hex. Tokens are random, so no salt or stretching is needed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
