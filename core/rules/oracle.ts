/**
 * The in-memory oracle: evaluates the Condition AST over plain rows in TypeScript, with the
 * semantics that core/query/compile.ts gives it in SQL. Tests compare the two, so that what a
 * rule means is stated twice, independently; later, "why is this record (not) visible"
 * tooling can use it to point at the deciding leaf. Pure: no database, no ORM, no request. No
 * production read path imports it — the SQL is the enforcement point, this is its witness.
 *
 * Rows hold the stored representation, as the columns do: numbers, booleans as 0/1, dates as
 * `YYYY-MM-DD`, date-times as `YYYY-MM-DD HH:MM:SS.sss` (UTC), text as strings, references as ids,
 * NULL as null (a missing key counts as null). Operands are already resolved (resolveVariables):
 * a variable left in a condition throws, as it does in the compiler.
 *
 * The semantics, point by point as the compiler has them:
 * - Two-valued logic. A comparison with NULL is false; `ne`, `nin`, negated comparisons and
 *   `not (…)` include the NULLs (the compiler adds `OR col IS NULL` when it pushes a negation to
 *   a leaf). Every leaf the compiler emits is therefore the exact complement of its negated form,
 *   and AND/OR never see SQL's UNKNOWN where it could matter (they sit above no NOT), so
 *   evaluating `not` as plain boolean negation here is the same function as the compiler's
 *   pushdown. Keeping it plain keeps the oracle independent of the compiler's structure.
 * - References: `customer.grade` follows each reference like a LEFT JOIN. A null or dangling
 *   reference makes every field past it NULL (so `customer.id isNull` is how "no customer" reads).
 * - Relations: `some` = a related record passes, `none` = none passes, `every` = none fails
 *   (true when there are none). One-to-many relates the target rows whose `via` field holds the
 *   owner's id; many-to-many the target rows that the junction table pairs with the owner (and
 *   that exist, as the JOIN requires). An owner reached through a broken reference has no
 *   related records.
 * - Text, per database (`dialect`), for the collations Stratum creates text columns with
 *   (core/db/column-types.ts): on SQLite `COLLATE NOCASE`, so `=`/`<`/IN/GROUP BY/ORDER BY ignore
 *   the case of ASCII letters only, and LIKE does the same; on MariaDB utf8mb4_unicode_ci, which
 *   ignores case for all of them and trailing spaces for `=`/`<`/GROUP BY (PAD SPACE) but not for
 *   LIKE. The oracle models MariaDB by case-folding and trailing-space trimming; that is exact for
 *   letters, digits and spaces. It does not model accent folding, nor UCA's order of punctuation
 *   (UCA sorts it before digits), so do not ask it to order such text on MariaDB.
 * - `contains`/`startsWith`/`endsWith` are literal substring tests: the compiler escapes `%`,
 *   `_` and `!` with `ESCAPE '!'`, so no character of the operand is a wildcard.
 * - Errors where the compiler throws CompileError: unknown module, field or relation, a path
 *   step that is not a reference, an unresolved variable, a missing or list operand where one
 *   value is needed, `between` without two values, a LIKE operator on a non-text field.
 */
import type { CompareOp, Condition, FieldRef, Operand, Quantifier, Scalar } from '../query/ast.js';
import type { Field, Module, ModuleGraph } from '../schema/module.js';

export type StoredRow = Readonly<Record<string, unknown>>;

/** One pair of a many-to-many junction table: the owner's id (`source`) and the related id (`target`). */
export interface JunctionRow {
  readonly source: number;
  readonly target: number;
}

export interface OracleContext {
  readonly graph: ModuleGraph;
  /** Every module's rows by id, keyed by module name. A module without an entry has no rows. */
  readonly rows: ReadonlyMap<string, ReadonlyMap<number, StoredRow>>;
  /** Junction rows keyed by junction table name (`Relation.junction.table`, e.g. `order_helpers`). */
  readonly junctions?: ReadonlyMap<string, readonly JunctionRow[]>;
  /** Whose text semantics to model; SQLite's when absent. */
  readonly dialect?: 'sqlite' | 'mysql';
}

/** What the compiler would refuse to compile (it throws CompileError there). */
export class OracleError extends Error {
  override name = 'OracleError';
}

/**
 * Whether `row` of `module` satisfies `cond`: the row-level truth of `WHERE <cond>` as
 * compileSelect emits it.
 *
 * @example evaluate(compare('salesman.department.code', 'startsWith', '0010'), order, orderRow, ctx)
 * // true iff the order's salesman has a department whose code begins with 0010
 */
export function evaluate(cond: Condition, module: Module, row: StoredRow, ctx: OracleContext): boolean {
  switch (cond.kind) {
    case 'const':
      return cond.value;
    case 'and':
      return cond.items.every((c) => evaluate(c, module, row, ctx));
    case 'or':
      return cond.items.some((c) => evaluate(c, module, row, ctx));
    case 'not':
      return !evaluate(cond.item, module, row, ctx);
    case 'compare': {
      const { module: at, record } = follow(module, row, cond.target.refs, ctx);
      const field = fieldOf(at, cond.target.field);
      return compareValue(field, valueOf(record, field), cond.op, cond.value, ctx.dialect ?? 'sqlite');
    }
    case 'relation': {
      const { module: owner, record } = follow(module, row, cond.refs, ctx);
      const { module: target, records } = related(owner, record, cond.relation, ctx);
      return quantify(cond.quantifier, records, (r) => evaluate(cond.where, target, r, ctx));
    }
  }
}

/** The rows of `module` that satisfy `cond`, in id order: what `SELECT … WHERE <cond>` returns. */
export function matching(cond: Condition, module: Module, ctx: OracleContext): StoredRow[] {
  return sortedRows(module, ctx).filter((row) => evaluate(cond, module, row, ctx));
}

/** Whether a quantifier holds over some records, given what "passes" means for one of them. */
export function quantify(quantifier: Quantifier, records: readonly StoredRow[], passes: (r: StoredRow) => boolean): boolean {
  switch (quantifier) {
    case 'some':
      return records.some(passes);
    case 'none':
      return !records.some(passes);
    case 'every':
      // "No related record fails": vacuously true without related records, as NOT EXISTS is.
      return records.every(passes);
  }
}

/** One step of a reference path: the module reached and its record, undefined once a reference is null or dangling. */
export interface PathStep {
  readonly module: Module;
  readonly record: StoredRow | undefined;
}

/**
 * The records met along `refs` from `row`, one per step (the LEFT JOINs of the compiler).
 * After a null or dangling reference every further step has no record.
 */
export function walk(module: Module, row: StoredRow | undefined, refs: readonly string[], ctx: OracleContext): PathStep[] {
  const steps: PathStep[] = [];
  let current = module;
  let record = row;
  for (const name of refs) {
    const field = fieldOf(current, name);
    if (field.kind !== 'ref') throw new OracleError(`${current.name}.${name} is not a reference`);
    current = moduleOf(ctx.graph, field.ref!);
    const id = valueOf(record, field);
    record = id === null ? undefined : ctx.rows.get(current.name)?.get(Number(id));
    steps.push({ module: current, record });
  }
  return steps;
}

/** The module and record at the end of `refs` (the record itself for no refs). */
export function follow(module: Module, row: StoredRow | undefined, refs: readonly string[], ctx: OracleContext): PathStep {
  const steps = walk(module, row, refs, ctx);
  return steps[steps.length - 1] ?? { module, record: row };
}

/** The stored value at `ref` from `row`: null when the path is broken or the column is NULL. */
export function valueAt(module: Module, row: StoredRow, ref: FieldRef, ctx: OracleContext): unknown {
  const { module: at, record } = follow(module, row, ref.refs, ctx);
  return valueOf(record, fieldOf(at, ref.field));
}

/** The records related to `owner` through its to-many relation `name`, in id order; none for an absent owner. */
export function related(
  owner: Module,
  record: StoredRow | undefined,
  name: string,
  ctx: OracleContext,
): { module: Module; records: StoredRow[] } {
  const rel = owner.relations.get(name);
  if (!rel) throw new OracleError(`${owner.name} has no relation ${name}`);
  const target = moduleOf(ctx.graph, rel.target);
  const id = record === undefined ? null : valueOf(record, fieldOf(owner, 'id'));
  if (id === null) return { module: target, records: [] };
  const all = sortedRows(target, ctx);
  if (rel.kind === 'one-to-many') {
    const via = fieldOf(target, rel.via!);
    return { module: target, records: all.filter((r) => numericEqual(valueOf(r, via), id)) };
  }
  const paired = new Set(
    (ctx.junctions?.get(rel.junction!.table) ?? []).filter((j) => numericEqual(j.source, id)).map((j) => Number(j.target)),
  );
  return { module: target, records: all.filter((r) => paired.has(Number(valueOf(r, fieldOf(target, 'id'))))) };
}

// ---------------------------------------------------------------------------------------------
// What the read path returns, computed over the rows that pass.

/** The ids of `rows`, ascending: a list's content regardless of its sort. */
export function ids(rows: readonly StoredRow[]): number[] {
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** `SUM(field)`: NULLs skipped, null when no value is left (as SQL gives for no rows). */
export function sum(module: Module, rows: readonly StoredRow[], ref: FieldRef, ctx: OracleContext): number | null {
  let total: number | null = null;
  for (const row of rows) {
    const v = valueAt(module, row, ref, ctx);
    if (v !== null) total = (total ?? 0) + Number(v);
  }
  return total;
}

export interface OracleGroup {
  /** The group's stored value (null is a group of its own, as in SQL). */
  readonly key: Scalar;
  readonly count: number;
  /** `SUM` of the `sumOf` field over the group, when asked for. */
  readonly sum: number | null;
}

export interface GroupOptions {
  /** The field to sum per group. */
  readonly sumOf?: FieldRef;
  /**
   * Rows whose group key the caller may not read (a related record on the way is not visible):
   * their key counts as NULL, as the read path's `CASE WHEN <visible> THEN key END` makes it.
   */
  readonly hidden?: (row: StoredRow) => boolean;
}

/**
 * `SELECT g, COUNT(*), SUM(s) … GROUP BY g ORDER BY g`: groups by the value at `by` (a field or a
 * reference path; a broken path is the NULL group), ordered as both databases order ascending,
 * NULL first. Values that the collation calls equal (differing in case; on MariaDB also in
 * trailing spaces) are one group; its key is then the smallest spelling (the database's choice
 * among them is not specified).
 */
export function groupBy(
  module: Module,
  rows: readonly StoredRow[],
  by: FieldRef,
  ctx: OracleContext,
  options: GroupOptions = {},
): OracleGroup[] {
  const dialect = ctx.dialect ?? 'sqlite';
  const field = fieldOf(follow(module, undefined, by.refs, ctx).module, by.field);
  const groups = new Map<string, { key: Scalar; rows: StoredRow[] }>();
  for (const row of rows) {
    const key = options.hidden?.(row) ? null : (valueAt(module, row, by, ctx) as Scalar);
    const id = key === null ? '\u0000null' : `v:${groupKey(field, key, dialect)}`;
    const g = groups.get(id);
    if (!g) groups.set(id, { key, rows: [row] });
    else {
      g.rows.push(row);
      if (key !== null && codePointCompare(String(key), String(g.key)) < 0) g.key = key;
    }
  }
  return [...groups.values()]
    .sort((a, b) => (a.key === null ? (b.key === null ? 0 : -1) : b.key === null ? 1 : order(field, a.key, b.key, dialect)))
    .map((g) => ({ key: g.key, count: g.rows.length, sum: options.sumOf ? sum(module, g.rows, options.sumOf, ctx) : null }));
}

export interface OracleOrder {
  readonly target: FieldRef;
  readonly desc: boolean;
  /** Rows whose key the caller may not read: the key sorts as NULL, as the read path guards it. */
  readonly hidden?: (row: StoredRow) => boolean;
}

/**
 * `ORDER BY k1 [DESC], k2 …` as both databases sort: NULL first ascending and last descending,
 * text in the column's collation (see the header for MariaDB's limits). Rows equal on every key
 * keep their given order, which no database promises: end with a unique key, as the read path
 * ends with the id.
 */
export function sortRows(module: Module, rows: readonly StoredRow[], orderBy: readonly OracleOrder[], ctx: OracleContext): StoredRow[] {
  const dialect = ctx.dialect ?? 'sqlite';
  const terms = orderBy.map((o) => ({ ...o, field: fieldOf(follow(module, undefined, o.target.refs, ctx).module, o.target.field) }));
  const keyed = rows.map((row) => ({ row, keys: terms.map((t) => (t.hidden?.(row) ? null : valueAt(module, row, t.target, ctx))) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < terms.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      const c = x === null ? (y === null ? 0 : -1) : y === null ? 1 : order(terms[i]!.field, x, y, dialect);
      if (c !== 0) return terms[i]!.desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.row);
}

// ---------------------------------------------------------------------------------------------
// Leaves.

type DialectName = 'sqlite' | 'mysql';

function compareValue(field: Field, value: unknown, op: CompareOp, operand: Operand, dialect: DialectName): boolean {
  const given = scalarOrList(operand);
  switch (op) {
    case 'isNull':
      return (given === true) === (value === null);
    case 'eq':
      if (given === null) return value === null;
      return value !== null && equal(field, value, given as Scalar, dialect);
    case 'ne':
      if (given === null) return value !== null;
      return value === null || !equal(field, value, given as Scalar, dialect);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = single(given, op);
      if (value === null) return false;
      const c = order(field, value, bound, dialect);
      return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
    }
    case 'in':
    case 'nin': {
      const list = many(given, op);
      // An empty IN is false and an empty NOT IN true even for NULL: the compiler emits 1=0 / 1=1.
      if (list.length === 0) return op === 'nin';
      const inside = value !== null && list.some((v) => equal(field, value, v, dialect));
      return op === 'in' ? inside : !inside;
    }
    case 'between': {
      const [lo, hi] = many(given, op);
      if (lo === undefined || hi === undefined) throw new OracleError('between needs two values');
      return value !== null && order(field, value, lo, dialect) >= 0 && order(field, value, hi, dialect) <= 0;
    }
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const text = String(single(given, op));
      if (field.kind !== 'string' && field.kind !== 'text' && field.kind !== 'enum') {
        throw new OracleError(`${op} applies to text fields only`);
      }
      if (value === null) return false;
      const fold = dialect === 'mysql' ? foldAll : foldAscii;
      const hay = fold(String(value));
      const needle = fold(text);
      return op === 'contains' ? hay.includes(needle) : op === 'startsWith' ? hay.startsWith(needle) : hay.endsWith(needle);
    }
  }
}

const NUMERIC = new Set(['integer', 'number', 'ref', 'boolean']);
const TEXTUAL = new Set(['string', 'text', 'enum']);

function equal(field: Field, a: unknown, b: Scalar, dialect: DialectName): boolean {
  return order(field, a, b, dialect) === 0;
}

/** The sign of a − b as the column's type and collation order them. */
function order(field: Field, a: unknown, b: unknown, dialect: DialectName): number {
  if (NUMERIC.has(field.kind)) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (TEXTUAL.has(field.kind)) return codePointCompare(textKey(String(a), dialect), textKey(String(b), dialect));
  // Dates and date-times: the stored text forms order chronologically.
  return codePointCompare(String(a), String(b));
}

/** What `=` and `<` see of a text value: ASCII-case-folded on SQLite (NOCASE); case-folded without trailing spaces on MariaDB. */
function textKey(text: string, dialect: DialectName): string {
  return dialect === 'mysql' ? foldAll(text.replace(/ +$/, '')) : foldAscii(text);
}

function groupKey(field: Field, key: Scalar, dialect: DialectName): string {
  if (NUMERIC.has(field.kind)) return String(Number(key));
  return TEXTUAL.has(field.kind) ? textKey(String(key), dialect) : String(key);
}

/** SQLite's NOCASE and LIKE fold ASCII letters only. */
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** MariaDB's _ci collations fold every letter (approximated by toLowerCase). */
const foldAll = (s: string) => s.toLowerCase();

/** Code point order, which is SQLite's order on UTF-8 after NOCASE's folding (JS `<` compares UTF-16 units, which differs above U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

function numericEqual(a: unknown, b: unknown): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && Number(a) === Number(b);
}

function scalarOrList(operand: Operand): Scalar | readonly Scalar[] {
  const check = (v: unknown): Scalar => {
    if (v !== null && typeof v === 'object') throw new OracleError('Unresolved variable in condition');
    return v as Scalar;
  };
  return Array.isArray(operand) ? operand.map(check) : check(operand);
}

function single(value: Scalar | readonly Scalar[], op: string): Scalar {
  if (Array.isArray(value) || value === null) throw new OracleError(`${op} needs one value`);
  return value as Scalar;
}

function many(value: Scalar | readonly Scalar[], op: string): readonly Scalar[] {
  if (!Array.isArray(value)) throw new OracleError(`${op} needs a list`);
  return value;
}

function valueOf(record: StoredRow | undefined, field: Field): unknown {
  if (record === undefined) return null;
  const v = record[field.column];
  return v === undefined ? null : v;
}

function fieldOf(module: Module, name: string): Field {
  const field = module.fields.get(name);
  if (!field) throw new OracleError(`${module.name} has no field ${name}`);
  return field;
}

function moduleOf(graph: ModuleGraph, name: string): Module {
  const module = graph.modules.get(name);
  if (!module) throw new OracleError(`Unknown module ${name}`);
  return module;
}

function sortedRows(module: Module, ctx: OracleContext): StoredRow[] {
  return [...(ctx.rows.get(module.name)?.values() ?? [])].sort((a, b) => Number(a.id) - Number(b.id));
}
