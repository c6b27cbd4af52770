/**
 * The million-row benchmark's Q3: a search through the trigram index finds exactly what the plain LIKE finds, on
 * both dialects. Two modules hold the same generated texts, one with `"x-search-index":
 * "trigram"`; every query must return the same records from both. The texts mix what the fold
 * must never lose a match over: accents, ß, ł, CJK, tabs and control characters, the soft
 * hyphen, fullwidth letters, the Kelvin sign, dotless and dotted i, ligatures, spacing accents,
 * characters beyond the BMP, digits of other scripts, and %, _ and ! (the LIKE escape).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { queryGrams } from '../../core/query/fold.js';

const ALPHABET = [
  ...'abcdeghilmnorstuz', ...'ARTMNSZ', ' ', ' ', ...'0123', '%', '_', '!', '-',
  ...'éÉèêëÅåöØøñç', 'ß', 'ẞ', 'ł', 'Ł', 'ı', 'İ', '\u212a', 'ﬁ', 'Æ', ...'王小明', '\t', '\u0001', '\u00ad', '\u00a0',
  ...'ＡａＲｒＴｔ', '´', '¨', '\u0301', '𝐚', 'ₐ', '①', 'ª',
  // Characters the fold does not count but utf8mb4_unicode_ci matches with ASCII: Arabic-Indic
  // digits, the combining small a. A fold that skipped them instead of giving up would lose matches.
  '٣', '١', '٥', '\u0363',
];

/** Look-alikes that MariaDB's collation matches with the ASCII character (not SQLite's LIKE). */
const COLLATION_TWINS: Record<string, string> = { '0': '٠', '1': '١', '3': '٣', '5': '٥', a: '\u0363' };

/** A small seeded PRNG (mulberry32): the same texts every run, so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Texts from a few "words" so that queries hit many of them, each spelled with variants. */
function generate(rand: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const WORDS = ['artman', 'x31y', 'a5a',  'Hartmann', 'Straße', 'strasse', 'Łódź', 'lodz', '王小明', 'résumé', 'resume', '50% off', 'a_b!c', 'naïve', 'ﬁne', 'fine', 'Kelvin', 'istanbul', 'İstanbul'];
  const variant = (w: string) => [...w].map((ch) => {
    const r = rand();
    if (r < 0.12) return pick(ALPHABET);
    if (r < 0.25) return ch.toUpperCase();
    if (r < 0.3) return ch + '\u0301';
    if (r < 0.34 && ch >= 'a' && ch <= 'z') return String.fromCharCode(ch.charCodeAt(0) - 0x61 + 0xff41); // fullwidth
    if (r < 0.45 && ch in COLLATION_TWINS) return COLLATION_TWINS[ch]!;
    return ch;
  }).join('');
  const text = () => {
    const n = 1 + Math.floor(rand() * 3);
    const parts = Array.from({ length: n }, () => (rand() < 0.7 ? variant(pick(WORDS)) : Array.from({ length: 3 + Math.floor(rand() * 6) }, () => pick(ALPHABET)).join('')));
    return parts.join(pick([' ', ' ', '-', '\t', ''])).slice(0, 60);
  };
  const texts = Array.from({ length: 260 }, text);
  const queries = new Set<string>();
  for (const w of WORDS) queries.add(w);
  while (queries.size < 160) {
    const t = rand() < 0.6 ? pick(texts) : variant(pick(WORDS));
    const chars = [...t];
    const start = Math.floor(rand() * chars.length);
    const q = chars.slice(start, start + 3 + Math.floor(rand() * 6)).join('').trim();
    if (q !== '') queries.add(rand() < 0.3 ? variant(q) : q);
  }
  return { texts, queries: [...queries] };
}

describeEachDialect('a trigram-indexed search finds what the plain LIKE finds', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const { texts, queries } = generate(prng(4));

  const module = (name: string, indexed: boolean) => ({
    $id: name, type: 'object',
    properties: {
      n: { type: 'integer' },
      text: { type: 'string', maxLength: 200, ...(indexed ? { 'x-search-index': 'trigram' } : {}) },
    },
    'x-list': { search: ['text'] },
  });

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    for (const def of [module('doc', true), module('plain_doc', false)]) expect((await admin.post('/api/modules', def)).status).toBe(201);
    for (const [n, text] of texts.entries()) {
      for (const m of ['doc', 'plain_doc']) expect((await admin.post(`/api/data/${m}`, { n, text })).status).toBe(201);
    }
  }, 120_000);
  afterAll(() => app?.close());

  const found = async (module: string, q: string) => {
    const r = await admin.get(`/api/data/${module}?q=${encodeURIComponent(q)}&fields=n&pageSize=500`);
    expect(r.status, q).toBe(200);
    return { ns: (r.body.data as { n: number }[]).map((d) => d.n).sort((a, b) => a - b), total: r.body.meta.total as number };
  };

  it('for every generated query: the same records and the same total', async () => {
    let narrowed = 0;
    let matched = 0;
    for (const q of queries) {
      const plain = await found('plain_doc', q);
      const indexed = await found('doc', q);
      expect(indexed, JSON.stringify(q)).toEqual(plain);
      if (queryGrams(q.trim()).length > 0) narrowed++;
      if (plain.ns.length > 0) matched++;
    }
    // The comparison means something: most queries went through the index, and many matched.
    expect(narrowed).toBeGreaterThan(queries.length / 2);
    expect(matched).toBeGreaterThan(queries.length / 3);
  }, 120_000);

  it('the texts include unsure ones, which every indexed search must still consider', () => {
    const unsure = texts.filter((t) => [...t].some((ch) => !/[\x20-\x7e]/.test(ch)));
    expect(unsure.length).toBeGreaterThan(texts.length / 4);
  });
});
