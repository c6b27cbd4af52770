/**
 * What a field step does to each stored value, the same in the dry run and when applied: decode
 * the stored value as the old field, convert it (core/schema/convert-value.ts), check it against
 * the new field exactly as a write would be checked (the record validator), and decide a misfit
 * by `onMisfit`. Rows are read in id order, a batch at a time.
 */
import type { Transaction } from 'sequelize';
import type { Database, Row } from '../db/database.js';
import { decodeValue } from '../data/decode.js';
import { encodeValues } from '../data/encode.js';
import type { OnMisfit } from '../schema/change-plan.js';
import type { MisfitCode } from '../error-codes.js';
import { conversionOf, type Conversion } from '../schema/convert-value.js';
import { recordValidator } from '../schema/record-validator.js';
import type { Field, Module } from '../schema/module.js';

export const BATCH = 5_000;

export type Outcome =
  /** The value to store (already encoded for the new column). */
  | { readonly store: unknown; readonly changed: boolean }
  | { readonly misfit: string; readonly value: unknown; readonly code: MisfitCode; readonly params?: Readonly<Record<string, string | number>> };

/** Why a value does not fit: in words, and as a code with its values. */
type Problem = { readonly misfit: string; readonly code: MisfitCode; readonly params?: Readonly<Record<string, string | number>> };

/** Turns one stored value of `was` into the stored value of `now` (a field of `next`). */
export function valueRewriter(
  was: Field, next: Module, now: Field, valueMap: Readonly<Record<string, unknown>>, onMisfit: OnMisfit,
  /** For a reference to another module: the ids that module holds. */
  targets?: ReadonlySet<number>,
): (raw: unknown) => Promise<Outcome> {
  const convert: Conversion = conversionOf(was, now, valueMap) ?? (() => ({ misfit: 'cannot be converted', code: 'invalid' }));
  const validator = recordValidator(next);
  const fallback = onMisfit === 'default' ? now.default ?? null : null;
  const check = (value: unknown): Problem | undefined => {
    if (value === null || value === undefined) return now.required ? { misfit: 'is empty, and the field is required', code: 'required' } : undefined;
    if (targets && typeof value === 'number' && !targets.has(value)) return { misfit: `there is no ${now.ref} record #${value}`, code: 'no_record', params: { module: now.ref!, id: value } };
    if (now.kind === 'number' && typeof value === 'number') {
      const problem = decimalProblem(value, now.precision ?? 18, now.scale ?? 4);
      if (problem) return problem;
    }
    if (now.readOnly) return undefined;
    const details = validator.update({ [now.name]: value });
    const detail = details.find((d) => d.path === `/${now.name}`) ?? details[0];
    return detail ? { misfit: detail.message, code: 'invalid' } : undefined;
  };
  return async (raw) => {
    const old = decodeValue(was, raw);
    const converted = convert(old);
    let value: unknown;
    if ('misfit' in converted) {
      if (onMisfit === 'refuse') return { ...converted, value: old };
      value = fallback;
    } else {
      const problem = check(converted.value);
      if (problem && onMisfit === 'refuse') return { ...problem, value: old };
      value = problem ? fallback : converted.value;
    }
    const problem = value === fallback && fallback !== null ? check(value) : undefined;
    if (problem) return { ...problem, value: old };
    const stored = value === null ? null : (await encodeValues(next, { [now.name]: value }))[now.column];
    return { store: stored ?? null, changed: String(stored ?? null) !== String(raw ?? null) };
  };
}

/** Reads `(id, column)` of every row of `table` in id order, `BATCH` at a time; `since` keeps the rows written since then. */
export async function* batches(db: Database, table: string, column: string, tx?: Transaction, since?: string): AsyncGenerator<Row[]> {
  const q = (s: string) => db.quote(s);
  let after = 0;
  for (;;) {
    const rows = await db.all({
      sql: `SELECT ${q('id')}, ${q(column)} AS v FROM ${q(table)} WHERE ${q('id')} > $1${since ? ` AND ${q('updatedAt')} >= $2` : ''} ORDER BY ${q('id')} LIMIT ${BATCH}`,
      params: since ? [after, since] : [after],
    }, tx);
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** Writes `values` (id → stored value) into `column`, a few hundred rows per statement. */
export async function writeValues(db: Database, table: string, column: string, values: ReadonlyArray<readonly [number, unknown]>, tx?: Transaction): Promise<void> {
  const q = (s: string) => db.quote(s);
  for (let i = 0; i < values.length; i += 400) {
    const chunk = values.slice(i, i + 400);
    const params: unknown[] = [];
    const cases = chunk.map(([id, v]) => {
      params.push(id, v);
      return `WHEN $${params.length - 1} THEN $${params.length}`;
    }).join(' ');
    const ids = chunk.map(([id]) => {
      params.push(id);
      return `$${params.length}`;
    }).join(', ');
    await db.update({ sql: `UPDATE ${q(table)} SET ${q(column)} = CASE ${q('id')} ${cases} END WHERE ${q('id')} IN (${ids})`, params }, tx);
  }
}

/** Whether a number fits DECIMAL(precision, scale) without rounding: the column would otherwise change it. */
function decimalProblem(value: number, precision: number, scale: number): Problem | undefined {
  const [whole = '', fraction = ''] = String(Math.abs(value)).split('.');
  if (fraction.length > scale) return { misfit: `${value} has more than ${scale} decimal${scale === 1 ? '' : 's'}`, code: 'decimals', params: { scale } };
  const digits = precision - scale;
  if (whole.replace(/^0+/, '').length > digits) return { misfit: `${value} has more than ${digits} digits before the decimal point`, code: 'digits', params: { digits } };
  return undefined;
}

/** The ids of `table`, when a field starts to refer to it: every value must be one of them. */
export async function idsOf(db: Database, table: string, tx?: Transaction): Promise<Set<number>> {
  const ids = new Set<number>();
  let after = 0;
  for (;;) {
    const rows = await db.all({ sql: `SELECT ${db.quote('id')} FROM ${db.quote(table)} WHERE ${db.quote('id')} > $1 ORDER BY ${db.quote('id')} LIMIT 50000`, params: [after] }, tx);
    if (rows.length === 0) return ids;
    for (const r of rows) ids.add(Number(r.id));
    after = Number(rows[rows.length - 1]!.id);
  }
}

/** Whether `now` refers to another module than `was` did (or to one where `was` was no reference). */
export const retargeted = (was: Field, now: Field) => now.kind === 'ref' && (was.kind !== 'ref' || was.ref !== now.ref);
