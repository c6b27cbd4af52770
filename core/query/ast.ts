/**
 * The query AST: what a request asks for, after parsing and before SQL. Visibility rules are
 * expressed in the same nodes, so that one pure compiler turns both into one statement.
 * Nodes are plain frozen data; build them with the helpers below.
 */

export type Scalar = string | number | boolean | null;

/** A variable such as `$now-30d` or `$user.id`, replaced by a value before compiling. */
export interface Variable {
  readonly var: string;
}

export type Operand = Scalar | Variable | readonly (Scalar | Variable)[];

export const COMPARE_OPS = [
  'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'between', 'contains', 'startsWith', 'endsWith', 'isNull',
] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export const QUANTIFIERS = ['some', 'none', 'every'] as const;
export type Quantifier = (typeof QUANTIFIERS)[number];

/**
 * A stored field reached from the query's module: follow `refs` (many-to-one fields, in order),
 * then read `field` of the module reached. `{ refs: ['salesman', 'department'], field: 'code' }`.
 */
export interface FieldRef {
  readonly refs: readonly string[];
  readonly field: string;
}

export type Condition =
  | { readonly kind: 'const'; readonly value: boolean }
  | { readonly kind: 'and'; readonly items: readonly Condition[] }
  | { readonly kind: 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | {
      readonly kind: 'compare';
      readonly target: FieldRef;
      readonly op: CompareOp;
      readonly value: Operand;
      /**
       * A hint the engine sets, never a caller (like SelectQuery.forceIndex): `contains` on a field
       * with `"x-search-index": "trigram"` may first narrow to the index's candidates. The
       * meaning is exactly the plain comparison's, so every other reader of the AST ignores it.
       */
      readonly index?: 'trigram';
      /**
       * With `index`: the gram whose postings narrow, chosen by the engine from posting counts
       * (core/data/search-plan.ts). Without it the compiler guesses the rarest gram.
       */
      readonly gram?: string;
    }
  | {
      /** A to-many relation of the module reached by `refs`, quantified over its related records. */
      readonly kind: 'relation';
      readonly refs: readonly string[];
      readonly relation: string;
      readonly quantifier: Quantifier;
      /** Evaluated on the related module, with paths relative to it. */
      readonly where: Condition;
    };

export const TRUE: Condition = Object.freeze({ kind: 'const', value: true });
export const FALSE: Condition = Object.freeze({ kind: 'const', value: false });

/** AND that folds constants: and() is TRUE, and(FALSE, x) is FALSE. */
export function and(...items: Condition[]): Condition {
  const kept: Condition[] = [];
  for (const item of items) {
    if (item.kind === 'const') {
      if (!item.value) return FALSE;
      continue;
    }
    if (item.kind === 'and') kept.push(...item.items);
    else kept.push(item);
  }
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : { kind: 'and', items: kept };
}

/** OR that folds constants: or() is FALSE (fail closed), or(TRUE, x) is TRUE. */
export function or(...items: Condition[]): Condition {
  const kept: Condition[] = [];
  for (const item of items) {
    if (item.kind === 'const') {
      if (item.value) return TRUE;
      continue;
    }
    if (item.kind === 'or') kept.push(...item.items);
    else kept.push(item);
  }
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0]! : { kind: 'or', items: kept };
}

export function not(item: Condition): Condition {
  if (item.kind === 'const') return item.value ? FALSE : TRUE;
  if (item.kind === 'not') return item.item;
  return { kind: 'not', item };
}

export function compare(path: string | FieldRef, op: CompareOp, value: Operand): Condition {
  return { kind: 'compare', target: typeof path === 'string' ? fieldRef(path) : path, op, value };
}

/** `fieldRef('salesman.department.code')` → `{ refs: ['salesman','department'], field: 'code' }`. */
export function fieldRef(path: string): FieldRef {
  const parts = path.split('.');
  return { refs: parts.slice(0, -1), field: parts[parts.length - 1]! };
}

export const refKey = (refs: readonly string[]) => refs.join('.');

/** Moves a condition written for module X onto module M that reaches X through `refs`. */
export function prefix(cond: Condition, refs: readonly string[]): Condition {
  if (refs.length === 0) return cond;
  switch (cond.kind) {
    case 'const':
      return cond;
    case 'and':
    case 'or':
      return { kind: cond.kind, items: cond.items.map((c) => prefix(c, refs)) };
    case 'not':
      return { kind: 'not', item: prefix(cond.item, refs) };
    case 'compare':
      return { ...cond, target: { refs: [...refs, ...cond.target.refs], field: cond.target.field } };
    case 'relation':
      return { ...cond, refs: [...refs, ...cond.refs] };
  }
}

export interface OrderBy {
  readonly target: FieldRef;
  readonly desc: boolean;
  /** When set, the value counts only where this holds, else as NULL (a related record the caller may not see). */
  readonly guard?: Condition;
}

export interface SelectQuery {
  readonly module: string;
  readonly where: Condition;
  readonly columns: readonly FieldRef[];
  /** Conditions returned as 0/1 columns, e.g. whether an embedded record is visible. */
  readonly flags?: readonly { readonly name: string; readonly when: Condition }[];
  readonly orderBy: readonly OrderBy[];
  readonly limit?: number;
  readonly offset?: number;
  /** MySQL only: the index the page must be read through (a planner hint the engine decides, never a caller). */
  readonly forceIndex?: string;
  /**
   * With forceIndex, when the index alone holds the sort keys and every column `where` reads: pick
   * the page's ids from the index first, then read their rows (a deferred join). Walking the index
   * past rows the caller may not see then costs no row reads.
   */
  readonly deferred?: boolean;
  /**
   * MariaDB only, with forceIndex: stop after examining this many rows (`LIMIT … ROWS EXAMINED`),
   * answering the rows found so far. On an index walked in the sort order, a full page is then the
   * true page; a short one says nothing (the engine reads again another way).
   */
  readonly rowsExamined?: number;
}

export interface CountQuery {
  readonly module: string;
  readonly where: Condition;
}

export const DATE_BUCKETS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type DateBucket = (typeof DATE_BUCKETS)[number];

export const METRIC_FNS = ['count', 'sum', 'avg', 'min', 'max', 'countDistinct'] as const;
export type MetricFn = (typeof METRIC_FNS)[number];

export interface GroupTerm {
  /** As in OrderBy: outside it the group key is NULL. */
  readonly guard?: Condition;
  /** The expression as the caller wrote it, used as the key in the result rows. */
  readonly name: string;
  readonly target: FieldRef;
  readonly bucket?: DateBucket;
}

export interface Metric {
  /** As in OrderBy: outside it the value does not count. */
  readonly guard?: Condition;
  readonly name: string;
  readonly fn: MetricFn;
  /** Absent for count(). */
  readonly target?: FieldRef;
}

export interface AggregateQuery {
  readonly module: string;
  readonly where: Condition;
  readonly groupBy: readonly GroupTerm[];
  readonly metrics: readonly Metric[];
  readonly limit: number;
}

/** `sql` with every placeholder `$n` renumbered to `$(n + offset)`: for nesting one statement's text in another. */
export const shiftParams = (sql: string, offset: number) => sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);

/**
 * Statements that each select the same columns, as one `UNION ALL` with one parameter list: one
 * round trip instead of several. Each row carries `branch`, the index of its statement.
 */
export function unionAll(statements: readonly Compiled[]): Compiled {
  const params: unknown[] = [];
  const parts = statements.map((s, i) => {
    const sql = shiftParams(s.sql, params.length);
    params.push(...s.params);
    return `SELECT ${i} AS branch, u${i}.* FROM (${sql}) AS u${i}`;
  });
  return { sql: parts.join(' UNION ALL '), params };
}

export interface Compiled {
  readonly sql: string;
  /** Bound in order to `$1 … $n`. */
  readonly params: readonly unknown[];
}
