/**
 * Whether a search reads the trigram index, and under which gram (the million-row benchmark's Q3). The compiler is
 * pure and can only guess a gram's rarity from its letters; here, per request, two statistics
 * decide instead:
 *
 * - the postings of each gram of the search (a capped count): the rarest gram narrows, and its
 *   count, with the unsure marker's, is how many rows the index makes the LIKE test;
 * - an upper bound on the rows the caller may see, from the maintained department counts
 *   (ScopeCounts.bound): what a plan without the index tests.
 *
 * Reading a candidate through the postings (the posting, then the row by id) cost about ten times
 * a row read in order on the bench (MariaDB, 200k customers: "Labs", 25,009 candidates, 101 ms
 * through the index against 72 ms for the whole table; "artman" for an analyst who sees 2,959
 * rows, 4,920 candidates: 4.0 ms against 2.7 ms). So the index narrows only when it leaves fewer
 * than a tenth of the rows the caller may see.
 *
 * Either plan gives the same answer: the LIKE decides, the index only skips rows it cannot match.
 * So the statistics are kept per process for a minute: two processes that disagree choose
 * different plans for the same rows, never different rows.
 */
import { TRUE, type Condition, type Compiled } from '../query/ast.js';
import type { Database } from '../db/database.js';
import type { Module } from '../schema/module.js';
import { ScopeCounts } from './scope-counts.js';
import { queryGrams } from '../query/fold.js';
import { TRIGRAMS_TABLE, UNSURE_GRAM } from '../query/trigrams.js';

/** A candidate read through the postings costs about this many rows read in order (above). */
const CANDIDATE_COST = 10;

/** Postings counted per gram at most: beyond it, a gram is common whatever its exact count. */
export const GRAM_COUNT_CAP = 50_000;

const STATISTICS_TTL_MS = 60_000;
const MAX_STATISTICS = 10_000;

type Compare = Extract<Condition, { kind: 'compare' }>;

/** `where` with each trigram-indexed `contains` planned: narrowed by its rarest gram, or left to the plain LIKE. */
export async function planSearch(db: Database, module: Module, where: Condition): Promise<Condition> {
  return (await plan(db, module, where)).where;
}

/** A first page that may be found by walking the sort order, with when to give up (planSearchedPage). */
export interface PageWalk {
  /** The condition with every search left to the plain LIKE. */
  readonly where: Condition;
  /** Rows the walk may examine before the engine reads the postings instead. */
  readonly rowsExamined: number;
}

/**
 * Like planSearch, for the first `pageSize` rows of a list in an indexed sort order; with `walk`
 * when walking that order is expected to meet the page sooner than the postings are read (the million-row benchmark's
 * Q3 for callers who see most rows: "artman" in 200k customers, 25 matches among the newest
 * ~1,000 rows against ~5,000 postings and rows read by id).
 *
 * The postings count at least the matches, so a walk is expected to need at most
 * `pageSize × rows² / (candidates × visible)` rows (matches spread like the rows the caller sees);
 * it is bounded at WALK_MARGIN times that, and taken only when that bound costs less than half
 * the postings plan: when the matches are far fewer than the postings, the walk stops short and
 * the postings answer, for at most 1.5 times their own cost.
 */
export async function planSearchedPage(db: Database, module: Module, where: Condition, pageSize: number): Promise<{ where: Condition; walk?: PageWalk }> {
  const planned = await plan(db, module, where);
  const { narrowest, visible } = planned;
  const rowsOf = ScopeCounts.bound(db, module, TRUE);
  if (narrowest === undefined || !visible || !rowsOf) return planned;
  const rows = await statistic(db, rowsOf);
  const expected = (pageSize * rows * rows) / (Math.max(narrowest, 1) * visible);
  const rowsExamined = Math.ceil(WALK_MARGIN * expected);
  if (rowsExamined * 2 > narrowest * CANDIDATE_COST) return planned;
  return { where: planned.where, walk: { where: replace(where, planned.plain), rowsExamined } };
}

/** A walk may examine this many times the rows it is expected to need. */
const WALK_MARGIN = 4;

interface Plan {
  readonly where: Condition;
  /** Each search without the index (the plain LIKE). */
  readonly plain: ReadonlyMap<Compare, Compare>;
  /** The candidates of the search that narrows most, when one narrows. */
  readonly narrowest?: number;
  /** At most this many rows are visible to the caller (undefined: not known). */
  readonly visible?: number;
}

async function plan(db: Database, module: Module, where: Condition): Promise<Plan> {
  const searches = indexedSearches(where);
  if (searches.length === 0) return { where, plain: new Map() };
  const bound = ScopeCounts.bound(db, module, where);
  const [visible, ...counts] = await Promise.all([
    bound ? statistic(db, bound) : undefined,
    ...searches.map(({ search, grams }) => postings(db, module.name, search.target.field, [...grams, UNSURE_GRAM])),
  ]);
  const plans = new Map<Compare, Compare>();
  const plain = new Map<Compare, Compare>();
  let narrowest: number | undefined;
  searches.forEach(({ search, grams }, i) => {
    const count = counts[i]!;
    const rarest = grams.reduce((best, g) => (count.get(g)! < count.get(best)! ? g : best), grams[0]!);
    const candidates = count.get(rarest)! + count.get(UNSURE_GRAM)!;
    const narrows = visible === undefined || candidates * CANDIDATE_COST < visible;
    const { index: _index, gram: _gram, ...unindexed } = search;
    plain.set(search, unindexed);
    plans.set(search, narrows ? { ...search, gram: rarest } : unindexed);
    if (narrows) narrowest = Math.min(narrowest ?? candidates, candidates);
  });
  return { where: replace(where, plans), plain, narrowest, visible };
}

/** The trigram-indexed `contains` of `cond` that the index can narrow, each with its grams. */
function indexedSearches(cond: Condition): { search: Compare; grams: string[] }[] {
  switch (cond.kind) {
    case 'compare': {
      const grams = cond.index === 'trigram' && cond.op === 'contains' && typeof cond.value === 'string' ? queryGrams(cond.value) : [];
      return grams.length > 0 ? [{ search: cond, grams }] : [];
    }
    case 'and':
    case 'or':
      return cond.items.flatMap(indexedSearches);
    default:
      // Under a NOT the compiler never narrows (the index cannot say which rows do not match).
      return [];
  }
}

function replace(cond: Condition, plans: ReadonlyMap<Compare, Compare>): Condition {
  switch (cond.kind) {
    case 'compare':
      return plans.get(cond) ?? cond;
    case 'and':
    case 'or':
      return { kind: cond.kind, items: cond.items.map((c) => replace(c, plans)) };
    default:
      return cond;
  }
}

/** The postings of each gram of `module.field`, counted up to GRAM_COUNT_CAP, in one statement for those not known. */
async function postings(db: Database, module: string, field: string, grams: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const unknown: string[] = [];
  for (const gram of new Set(grams)) {
    const known = remembered(db, `gram\0${module}\0${field}\0${gram}`);
    if (known === undefined) unknown.push(gram);
    else counts.set(gram, known);
  }
  if (unknown.length > 0) {
    const q = (s: string) => db.quote(s);
    const params: unknown[] = [module, field];
    const branches = unknown.map((gram, i) => {
      params.push(gram);
      const capped = `SELECT 1 AS ${q('x')} FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1 AND ${q('field')} = $2 AND ${q('gram')} = $${params.length} LIMIT ${GRAM_COUNT_CAP}`;
      return `SELECT ${i} AS ${q('i')}, COUNT(*) AS ${q('n')} FROM (${capped}) AS ${q(`p${i}`)}`;
    });
    const rows = await db.all({ sql: branches.join(' UNION ALL '), params });
    for (const row of rows) {
      const gram = unknown[Number(row.i)]!;
      counts.set(gram, Number(row.n));
      remember(db, `gram\0${module}\0${field}\0${gram}`, Number(row.n));
    }
  }
  return counts;
}

/** A one-number statement's answer (a `total` column), remembered for a while. */
async function statistic(db: Database, statement: Compiled): Promise<number> {
  const key = `sum\0${statement.sql}\0${JSON.stringify(statement.params)}`;
  const known = remembered(db, key);
  if (known !== undefined) return known;
  const n = Number((await db.all(statement))[0]?.total ?? 0);
  remember(db, key, n);
  return n;
}

/** Per database: a test's fresh database, or a second Stratum in one process, has statistics of its own. */
const statistics = new WeakMap<Database, Map<string, { n: number; until: number }>>();

function remembered(db: Database, key: string): number | undefined {
  const entry = statistics.get(db)?.get(key);
  return entry && entry.until > Date.now() ? entry.n : undefined;
}

function remember(db: Database, key: string, n: number): void {
  let map = statistics.get(db);
  if (!map) statistics.set(db, (map = new Map()));
  // Bounded, and emptied when full: everything in it can be counted again.
  if (map.size >= MAX_STATISTICS) map.clear();
  map.set(key, { n, until: Date.now() + STATISTICS_TTL_MS });
}
