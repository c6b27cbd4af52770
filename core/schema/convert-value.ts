/**
 * How one stored value of a field becomes a value of the field's new type, the same in the dry
 * run and when applied. Values are in the API's form (decoded): strings, numbers, booleans,
 * `YYYY-MM-DD` dates and ISO date-times. A value that cannot convert is a misfit with a reason
 * in words; what happens to it is the plan's `onMisfit`.
 */
import type { Field, FieldKind } from './module.js';
import type { MisfitCode } from '../error-codes.js';

/** A misfit says why in words and as a code with its values, which the designer words in each language. */
export type Converted = { readonly value: unknown } | { readonly misfit: string; readonly code: MisfitCode; readonly params?: Readonly<Record<string, string | number>> };
export type Conversion = (value: unknown) => Converted;

const TEXTUAL = new Set<FieldKind>(['string', 'text', 'enum']);
const NUMERIC = new Set<FieldKind>(['integer', 'number']);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The conversion from `from` to `to`, or undefined when there is none (a JSON field to a
 * number). `valueMap` (stored value → new value) applies first, for renamed choices.
 */
export function conversionOf(from: Field, to: Field, valueMap: Readonly<Record<string, unknown>> = {}): Conversion | undefined {
  const base = baseConversion(from.kind, to);
  if (!base) return undefined;
  const mapped = Object.keys(valueMap).length > 0;
  return (value) => {
    if (value === null || value === undefined) return { value: null };
    if (mapped && Object.prototype.hasOwnProperty.call(valueMap, String(value))) return base(valueMap[String(value)]);
    return base(value);
  };
}

/** Whether every value survives the conversion with its meaning (a date-time loses its time as a date). */
export function conversionKeepsData(from: Field, to: Field): boolean {
  return !(from.kind === 'datetime' && to.kind === 'date');
}

function baseConversion(from: FieldKind, to: Field): Conversion | undefined {
  const into = to.kind;
  if (from === 'json' || from === 'file' || from === 'password' || into === 'json' || into === 'file' || into === 'password') {
    return from === into ? (v) => ({ value: v }) : undefined;
  }
  if (TEXTUAL.has(into)) return (v) => ({ value: typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v) });
  if (NUMERIC.has(into) || into === 'ref') {
    if (!TEXTUAL.has(from) && !NUMERIC.has(from) && from !== 'ref' && from !== 'boolean') return undefined;
    return (v) => toNumber(v, into !== 'number');
  }
  if (into === 'boolean') {
    if (!TEXTUAL.has(from) && !NUMERIC.has(from) && from !== 'boolean') return undefined;
    return toBoolean;
  }
  if (into === 'date' || into === 'datetime') {
    if (!TEXTUAL.has(from) && from !== 'date' && from !== 'datetime') return undefined;
    return (v) => toTemporal(String(v), into);
  }
  return undefined;
}

function toNumber(value: unknown, whole: boolean): Converted {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else {
    const text = String(value).trim();
    if (!DECIMAL.test(text)) return { misfit: `"${clip(text)}" is not a number`, code: 'not_a_number' };
    n = Number(text);
  }
  if (!Number.isFinite(n)) return { misfit: `${clip(String(value))} is not a number`, code: 'not_a_number' };
  if (whole && !Number.isInteger(n)) return { misfit: `${n} is not a whole number`, code: 'not_whole' };
  if (whole && !Number.isSafeInteger(n)) return { misfit: `${n} is too large for a whole number`, code: 'out_of_range' };
  return { value: n };
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

function toBoolean(value: unknown): Converted {
  if (typeof value === 'boolean') return { value };
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return { value: true };
  if (FALSE_WORDS.has(word)) return { value: false };
  return { misfit: `"${clip(String(value))}" is neither yes nor no`, code: 'not_yes_no' };
}

function toTemporal(text: string, into: 'date' | 'datetime'): Converted {
  const trimmed = text.trim();
  const iso = ISO_DATE.test(trimmed) ? `${trimmed}T00:00:00.000Z` : trimmed.replace(' ', 'T');
  const d = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso.slice(0, 10) && !/[+-]\d{2}:?\d{2}$/.test(iso)) {
    return { misfit: `"${clip(text)}" is not a ${into === 'date' ? 'date (YYYY-MM-DD)' : 'date and time'}`, code: into === 'date' ? 'not_a_date' : 'not_a_datetime' };
  }
  return { value: into === 'date' ? d.toISOString().slice(0, 10) : d.toISOString() };
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
