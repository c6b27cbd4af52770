/**
 * The million-row benchmark's Q3: `q` narrows by the trigram index only where it may — every searched field an own
 * field with `"x-search-index": "trigram"`, and a search text with a usable gram — and otherwise
 * compiles to the plain LIKE as before. Exact SQL, no database (the results: trigram-like-equivalence).
 */
import { describe, expect, it } from 'vitest';
import { compare, not, type Condition } from '../../core/query/ast.js';
import { QueryCompiler } from '../../core/query/compile.js';
import { mysql, sqlite } from '../../core/query/dialect.js';
import { readAll } from '../../core/query/field-access.js';
import { parseSearch } from '../../core/query/parse-list.js';
import { buildGraph } from '../../core/schema/build-graph.js';
import { foldChar, queryGrams, textGrams } from '../../core/query/fold.js';
import { searchGrams } from '../../core/query/trigrams.js';

const graph = buildGraph([
  {
    $id: 'region', type: 'object',
    properties: { name: { type: 'string', maxLength: 50, 'x-search-index': 'trigram' } },
    'x-list': { search: ['name'] },
  },
  {
    $id: 'client', type: 'object',
    properties: {
      name: { type: 'string', maxLength: 100, 'x-search-index': 'trigram' },
      notes: { type: 'string', 'x-search-index': 'trigram' },
      phone: { type: 'string', maxLength: 20 },
      region: { type: 'integer', 'x-ref': 'region' },
    },
    'x-list': { search: ['name'] },
  },
]);
const module = (name: string, search: string[]) => {
  const m = graph.modules.get(name)!;
  return { ...m, list: { ...m.list, search } };
};
const search = (q: string, fields: string[]) => {
  const details: unknown[] = [];
  const cond = parseSearch(q, module('client', fields), graph, readAll, details as never);
  expect(details).toEqual([]);
  return cond;
};
const sql = (cond: Condition, dialect = sqlite) => new QueryCompiler(graph, dialect).condition('client', cond);
const hinted = (cond: Condition): boolean[] =>
  cond.kind === 'or' ? cond.items.flatMap(hinted) : cond.kind === 'compare' ? [cond.index === 'trigram'] : [];

describe('the fold', () => {
  it('counts a character as the one printable ASCII character NFKD, unmarking and lower-casing leave', () => {
    expect([...'AéÅＡｂ℃ﬁ'].map(foldChar)).toEqual(['a', 'e', 'a', 'a', 'b', null, null]);
    expect(textGrams('Jürgen Ａrtman')).toEqual({ sure: true, grams: ['jur', 'urg', 'rge', 'gen', 'en ', 'n a', ' ar', 'art', 'rtm', 'tma', 'man'] });
  });

  it('makes a text with any other character unsure: ß, ł, CJK, tabs, soft hyphens, spacing accents, beyond the BMP', () => {
    for (const text of ['Straße', 'Łódź', '王小明', 'a\tb', 'Hart\u00admann', 'x´y', 'math 𝐚𝐛𝐜', 'ₐbc']) {
      expect(textGrams(text), text).toEqual({ sure: false, grams: [] });
    }
  });

  it('takes from a query only runs of three characters that count', () => {
    expect(queryGrams('ab')).toEqual([]);
    expect(queryGrams('王小明')).toEqual([]);
    expect(queryGrams('ab王cd')).toEqual([]);
    expect(queryGrams('Straße')).toEqual(['str', 'tra']);
    expect(queryGrams('50%_!')).toEqual(['50%', '0%_', '%_!']);
  });

  it('asks the index for the rarest-looking gram', () => {
    expect(searchGrams('artman')).toEqual(['rtm']);
    expect(searchGrams('Zhang')).toEqual(['zha']);
    expect(searchGrams('ab')).toEqual([]);
  });
});

describe('q compiles to the index candidates and the plain LIKE', () => {
  it('on an indexed own field: ids under the gram or the unsure marker, then the LIKE', () => {
    const cond = search('artman', ['name']);
    expect(hinted(cond)).toEqual([true]);
    expect(sql(cond)).toMatchObject({
      sql: '("t0"."id" IN (SELECT "id" FROM "_stratum_trigrams" WHERE "module" = $1 AND "field" = $2 AND "gram" IN ($3, $4)) AND "t0"."name" LIKE $5 ESCAPE \'!\')',
      params: ['client', 'name', 'rtm', '', '%artman%'],
    });
    expect(sql(cond, mysql).sql).toBe('(`t0`.`id` IN (SELECT `id` FROM `_stratum_trigrams` WHERE `module` = $1 AND `field` = $2 AND `gram` IN ($3, $4)) AND `t0`.`name` LIKE $5 ESCAPE \'!\')');
  });

  it('on several indexed fields: each LIKE with its own candidates', () => {
    const cond = search('50% off', ['name', 'notes']);
    expect(hinted(cond)).toEqual([true, true]);
    expect(sql(cond).params).toEqual(['client', 'name', '50%', '', '%50!% off%', 'client', 'notes', '50%', '', '%50!% off%']);
  });

  it('not when one searched field has no index, or is reached through a reference', () => {
    for (const fields of [['name', 'phone'], ['phone'], ['region.name'], ['name', 'region.name']]) {
      const cond = search('artman', fields);
      expect(hinted(cond), fields.join()).not.toContain(true);
      expect(sql(cond).sql, fields.join()).not.toContain('_stratum_trigrams');
    }
  });

  it('not without a usable gram: under three characters, or none that count', () => {
    for (const q of ['ar', '王小明', 'a王b王c']) {
      const cond = search(q, ['name']);
      expect(hinted(cond), q).toEqual([false]);
      expect(sql(cond).sql, q).toBe('"t0"."name" LIKE $1 ESCAPE \'!\'');
    }
  });

  it('a negated or non-contains comparison stays plain, hint or not', () => {
    const hint = { ...compare('name', 'contains', 'artman'), index: 'trigram' } as Condition;
    expect(sql(not(hint)).sql).toBe('("t0"."name" NOT LIKE $1 ESCAPE \'!\' OR "t0"."name" IS NULL)');
    expect(sql({ ...compare('name', 'startsWith', 'artman'), index: 'trigram' } as Condition).sql).toBe('"t0"."name" LIKE $1 ESCAPE \'!\'');
  });
});
