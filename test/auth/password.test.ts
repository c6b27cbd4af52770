import { describe, expect, it } from 'vitest';
import { hashPassword, hashToken, newToken, randomPassword, verifyPassword } from '../../core/auth/password.js';

describe('password hashing', () => {
  it('stores scrypt parameters, salt and a 64-byte key, and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    expect([scheme, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(64);

    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords give different stored values', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('handles non-ASCII passwords', async () => {
    const stored = await hashPassword('密码-pässwörd');
    expect(await verifyPassword('密码-pässwörd', stored)).toBe(true);
    expect(await verifyPassword('密码-passwörd', stored)).toBe(false);
  });

  it('rejects malformed, tampered or unsupported stored values instead of throwing', async () => {
    const stored = await hashPassword('secret');
    const parts = stored.split('$');
    const withPart = (i: number, v: string) => parts.map((x, j) => (j === i ? v : x)).join('$');
    for (const bad of [
      '',
      'secret',
      'bcrypt$2b$10$abc',
      withPart(0, 'argon2'),
      withPart(1, '1000'), // N not a power of two
      withPart(1, String(2 ** 30)), // N absurdly large: must not allocate gigabytes
      withPart(2, '0'),
      withPart(4, ''),
      withPart(5, Buffer.alloc(64).toString('base64')),
      `${stored}$extra`,
    ]) {
      expect(await verifyPassword('secret', bad), bad).toBe(false);
    }
  });
});

describe('generated secrets', () => {
  it('randomPassword gives 20 url-safe characters, different each time', () => {
    const seen = new Set(Array.from({ length: 50 }, () => randomPassword()));
    expect(seen.size).toBe(50);
    for (const pw of seen) expect(pw).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });

  it('newToken gives 32 random bytes as base64url', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(token);
  });

  it('hashToken is sha256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken(newToken())).toMatch(/^[0-9a-f]{64}$/);
  });
});
