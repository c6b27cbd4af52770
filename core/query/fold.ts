/**
 * The fold behind the trigram index (core/search): what a stored or searched character counts as.
 *
 * The index may only ever return too many candidates, never too few: the real LIKE decides. So a
 * character counts only where every dialect's LIKE is known to match it exactly like its fold:
 * MariaDB's utf8mb4_unicode_ci compares character by character at the primary level (case and
 * accents ignored, some characters ignorable), SQLite's LIKE folds ASCII case only. A character
 * that NFKD, dropping combining marks and lower-casing turn into one printable ASCII character
 * (0x20-0x7e) matches under both exactly the characters with the same fold
 * (test/search/fold-collation.test.ts checks every such character on MariaDB). Any other
 * character — CJK, ß, ł, control characters, U+00AD, and everything outside the BMP, which
 * utf8mb4_unicode_ci weighs all alike — makes a stored text "unsure" (always a candidate) and
 * breaks a query's grams.
 */

/**
 * Characters that NFKD folds to ASCII but that utf8mb4_unicode_ci does not match with their fold:
 * spacing accents (NFKD gives a space and a mark) and letters newer than the collation's Unicode
 * 4.0 tables (ₐ, ᶜ, ⱼ…). Exactly the mismatches test/search/fold-collation.test.ts finds on MariaDB.
 */
export const COLLATION_EXCEPTIONS: ReadonlySet<number> = new Set<number>([
  0x00a8, 0x00af, 0x00b4, 0x00b8, 0x02d8, 0x02d9, 0x02da, 0x02db, 0x02dc, 0x02dd, 0x037a, 0x0384,
  0x0385, 0x1d9c, 0x1da0, 0x1dbb, 0x1fbd, 0x1fbf, 0x1fc0, 0x1fc1, 0x1fcd, 0x1fce, 0x1fcf, 0x1fdd,
  0x1fde, 0x1fdf, 0x1fed, 0x1fee, 0x1ffd, 0x1ffe, 0x2017, 0x203e, 0x2090, 0x2091, 0x2092, 0x2093,
  0x2095, 0x2096, 0x2097, 0x2098, 0x2099, 0x209a, 0x209b, 0x209c, 0x2c7c, 0x2c7d, 0x309b, 0x309c,
  0xa7f1, 0xa7f2, 0xa7f3, 0xa7f4, 0xfc5e, 0xfc5f, 0xfc60, 0xfc61, 0xfc62, 0xfc63, 0xfe10, 0xfe13,
  0xfe14, 0xfe15, 0xfe16, 0xfe49, 0xfe4a, 0xfe4b, 0xfe4c, 0xfe70, 0xfe72, 0xfe74, 0xfe76, 0xfe78,
  0xfe7a, 0xfe7c, 0xfe7e, 0xffe3,
]);

const cache = new Map<string, string | null>();

/** The printable ASCII character `ch` (one code point) counts as, or null when it does not count. */
export function foldChar(ch: string): string | null {
  const code = ch.codePointAt(0)!;
  if (code < 0x80) {
    if (code < 0x20 || code === 0x7f) return null;
    return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 32) : ch;
  }
  if (code > 0xffff || COLLATION_EXCEPTIONS.has(code)) return null;
  let folded = cache.get(ch);
  if (folded === undefined) {
    const s = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    folded = s.length === 1 && s >= ' ' && s <= '~' ? s : null;
    cache.set(ch, folded);
  }
  return folded;
}

/** A stored text's postings: its distinct grams, or `sure: false` when a character does not count (then it is always a candidate). */
export function textGrams(text: string): { sure: boolean; grams: string[] } {
  let folded = '';
  for (const ch of text) {
    const f = foldChar(ch);
    if (f === null) return { sure: false, grams: [] };
    folded += f;
  }
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= folded.length; i++) grams.add(folded.slice(i, i + 3));
  return { sure: true, grams: [...grams] };
}

/**
 * The distinct grams of a search text: every 3 consecutive characters that all count. Empty when
 * there is none (shorter than 3, or no run of 3 such characters): then the index cannot narrow.
 */
export function queryGrams(text: string): string[] {
  const grams = new Set<string>();
  let run = '';
  for (const ch of text) {
    const f = foldChar(ch);
    if (f === null) {
      run = '';
      continue;
    }
    run += f;
    if (run.length >= 3) grams.add(run.slice(-3));
  }
  return [...grams];
}
