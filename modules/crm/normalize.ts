/**
 * The keys duplicates are found on: the same phone number or QQ number however it was
 * typed. Stored this way, the engine's unique index and its 409 naming the owner do the rest.
 */

/**
 * Digits only, without the country code of mainland China: "+86 138-0013-8000", "0086 13800138000"
 * and "138 0013 8000" are all "13800138000". Other numbers keep their digits (and a leading +).
 */
export function normalizePhone(phone: string): string {
  const plus = phone.trim().startsWith('+');
  const digits = phone.replace(/[^0-9]/g, '');
  const mobile = /^(?:0086|86)(1[0-9]{10})$/.exec(digits);
  if (mobile) return mobile[1]!;
  return plus ? `+${digits}` : digits;
}

/** "1002 003-00" → "100200300". */
export function normalizeQq(qq: string): string {
  return qq.replace(/[^0-9]/g, '');
}

/** The same payload with its phone and QQ normalized (only those it carries as text). */
export function normalizedContact<T extends object>(payload: T): T {
  const out = { ...payload } as Record<string, unknown>;
  if (typeof out.phone === 'string') out.phone = normalizePhone(out.phone);
  if (typeof out.qq === 'string') out.qq = normalizeQq(out.qq);
  return out as T;
}
