/**
 * The trigram index of `"x-search-index": "trigram"` (the million-row benchmark's Q3): which fields carry it and which
 * grams a search asks it for. Pure; the postings live in `_stratum_trigrams` (trigram-table.ts).
 *
 * A search `q` over indexed fields compiles to `(t0.id IN (<candidates>) AND name LIKE '%q%')`:
 * the candidates are a superset (fold.ts), the LIKE decides, so results are those of the plain LIKE.
 */
import type { Field, Module } from '../schema/module.js';
import { queryGrams } from './fold.js';

export const SEARCH_INDEX_KEYWORD = 'x-search-index';

/** The postings: (module, field, gram, id), keyed in that order (trigram-table.ts creates it). */
export const TRIGRAMS_TABLE = '_stratum_trigrams';

/** The gram a stored text that the fold cannot vouch for is posted under: such a record is a candidate of every search. */
export const UNSURE_GRAM = '';

/** Whether a field of the module itself carries the trigram index (only text fields may: check-definitions.ts). */
export const hasTrigramIndex = (field: Field): boolean =>
  (field.kind === 'string' || field.kind === 'text') && !field.system && field.schema[SEARCH_INDEX_KEYWORD] === 'trigram';

export const trigramFields = (module: Module): Field[] => [...module.fields.values()].filter(hasTrigramIndex);

/**
 * How common each character is in names and text, most common first: a gram's rarity is guessed
 * from its characters when a search reaches the compiler unplanned (the list and aggregate reads
 * plan it from posting counts first: search-plan.ts). Anything not listed (digits,
 * punctuation) counts as rare.
 */
const COMMON = ' eaniorslthudcmgykwbpfvjzxq';

/**
 * The grams of `text` the index is asked for: the rarest one by the guess above. Measured on the
 * bench's 200k customers (MariaDB, "artman", 4,920 matches): the total took 14-16 ms with one
 * gram, 22-26 ms with two and 34-58 ms with three or all four (each further gram is one more
 * posting range to read or look up per candidate), against 138 ms for the plain LIKE.
 * Empty when the text has no usable gram: then the index cannot narrow.
 */
export function searchGrams(text: string): string[] {
  const grams = queryGrams(text);
  if (grams.length <= 1) return grams;
  const weight = (gram: string) => [...gram].reduce((sum, ch) => {
    const rank = COMMON.indexOf(ch);
    return sum + (rank < 0 ? 0 : COMMON.length - rank);
  }, 0);
  // The lowest weight is the rarest; a tie keeps the first.
  return [grams.reduce((best, g) => (weight(g) < weight(best) ? g : best))];
}
