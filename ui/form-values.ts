/**
 * A form holds raw input (text as typed, checkboxes, picked ids); this turns it into the API's
 * values and checks it with the same rules the server applies (required, lengths, pattern,
 * bounds, enum, formats), so most mistakes are shown before anything is sent.
 */
import type { FieldMeta, Rec } from './api.js';
import { t } from './i18n.js';

export type Raw = string | boolean | number | null | readonly number[] | readonly string[];

const pad = (n: number) => String(n).padStart(2, '0');

/** The raw input for a stored value (what an edit form starts from). */
export function toRaw(field: FieldMeta, value: unknown): Raw {
  if (field.kind === 'boolean') return value === true;
  if (field.ref) return value === null || value === undefined ? null : typeof value === 'object' ? Number((value as Rec).id) : Number(value);
  if (value === null || value === undefined) return field.kind === 'json' && field.items ? [] : '';
  if (field.kind === 'datetime') {
    const d = new Date(String(value));
    if (Number.isNaN(d.getTime())) return String(value);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  if (field.kind === 'json' && field.stringList && Array.isArray(value)) return value.join(', ');
  if (field.kind === 'json') return field.items && Array.isArray(value) ? value.map(String) : JSON.stringify(value, null, 2);
  if (field.kind === 'password') return '';
  // A file's raw input is its handle as JSON text: compared as text, like every other raw value.
  if (field.kind === 'file') return typeof value === 'object' ? JSON.stringify(value) : '';
  return String(value);
}

/** The raw input of a new record: the field's default, or empty. */
export function initialRaw(field: FieldMeta): Raw {
  return field.default !== undefined ? toRaw(field, field.default) : toRaw(field, null);
}


const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The API value of one raw input, or the message of what is wrong with it. */
export function parseRaw(field: FieldMeta, raw: Raw): { value: unknown } | { error: string } {
  if (raw === null || raw === '') {
    return field.required ? { error: t('valid.required') } : { value: null };
  }
  switch (field.kind) {
    case 'boolean':
      return { value: raw === true };
    case 'integer':
    case 'number': {
      if (field.ref) return { value: raw };
      const n = Number(raw);
      if (!Number.isFinite(n)) return { error: t('valid.number') };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { error: t('valid.integer') };
      if (field.minimum !== undefined && n < field.minimum) return { error: t('valid.minimum', { n: field.minimum }) };
      if (field.maximum !== undefined && n > field.maximum) return { error: t('valid.maximum', { n: field.maximum }) };
      return { value: n };
    }
    case 'ref':
      return { value: raw };
    case 'file': {
      const handle = fileOfRaw(raw);
      return handle ? { value: handle } : { error: t('valid.file') };
    }
    case 'date':
      return DATE.test(String(raw)) && onCalendar(String(raw)) ? { value: raw } : { error: t('valid.date') };
    case 'datetime': {
      const d = new Date(String(raw));
      const day = /^\d{4}-\d{2}-\d{2}/.exec(String(raw))?.[0];
      return Number.isNaN(d.getTime()) || (day !== undefined && !onCalendar(day)) ? { error: t('valid.datetime') } : { value: d.toISOString() };
    }
    case 'json': {
      if (Array.isArray(raw)) return { value: raw };
      if (field.stringList) return { value: String(raw).split(',').map((v) => v.trim()).filter((v) => v !== '') };
      try {
        return { value: JSON.parse(String(raw)) };
      } catch {
        return { error: t('valid.json') };
      }
    }
    default: {
      const text = String(raw);
      const length = [...text].length;
      if (field.maxLength !== undefined && length > field.maxLength) return { error: t('valid.maxLength', { n: field.maxLength }) };
      if (field.minLength !== undefined && length < field.minLength) return { error: t('valid.minLength', { n: field.minLength }) };
      if (field.enum && !field.enum.includes(text)) return { error: t('valid.enum', { values: field.enum.join(', ') }) };
      if (field.format === 'email' && !EMAIL.test(text)) return { error: t('valid.email') };
      if (field.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(text)) return { error: t('valid.uri') };
      if (field.pattern && !safeTest(field.pattern, text)) return { error: t('valid.pattern', { pattern: field.pattern }) };
      return { value: text };
    }
  }
}

/** Whether `YYYY-MM-DD` is a day the calendar has: Date reads 2026-02-31 as 3 March instead of refusing it. */
function onCalendar(day: string): boolean {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(2000, month - 1, date));
  d.setUTCFullYear(year);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === date;
}

/** The parts of a control's ValidityState that say why the browser holds its input invalid. */
export type Validity = Pick<ValidityState, 'valid' | 'badInput' | 'typeMismatch' | 'rangeUnderflow' | 'rangeOverflow' | 'stepMismatch' | 'tooLong' | 'tooShort' | 'valueMissing' | 'patternMismatch'>;

/**
 * What is wrong with a control the browser holds invalid, or undefined when it is valid. It
 * matters most for `badInput`: a date input with 31 February typed in, or a number input with
 * text, reports its value as '' — which would otherwise read as "left empty" and clear the field.
 */
export function validityError(field: FieldMeta, validity: Validity): string | undefined {
  if (validity.valid) return undefined;
  if (validity.badInput) {
    if (field.kind === 'date') return t('valid.badDate');
    if (field.kind === 'datetime') return t('valid.badDatetime');
    if (field.kind === 'integer' || field.kind === 'number' || field.kind === 'ref') return t('valid.badNumber');
    return t('valid.badInput');
  }
  if (validity.typeMismatch) return field.format === 'email' ? t('valid.email') : field.format === 'uri' ? t('valid.uri') : t('valid.badInput');
  if (validity.rangeUnderflow && field.minimum !== undefined) return t('valid.minimum', { n: field.minimum });
  if (validity.rangeOverflow && field.maximum !== undefined) return t('valid.maximum', { n: field.maximum });
  if (validity.stepMismatch) return t('valid.integer');
  if (validity.tooLong && field.maxLength !== undefined) return t('valid.maxLength', { n: field.maxLength });
  if (validity.tooShort && field.minLength !== undefined) return t('valid.minLength', { n: field.minLength });
  if (validity.valueMissing) return t('valid.required');
  return t('valid.badInput');
}

/** The server checks patterns in Unicode mode; a pattern the browser cannot compile is left to it. */
function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

/** The file handle a file field's raw input holds (see toRaw), or undefined. */
export function fileOfRaw(raw: Raw): { id: string; name: string; type: string; size: number } | undefined {
  if (typeof raw !== 'string' || !raw.startsWith('{')) return undefined;
  try {
    const handle = JSON.parse(raw) as { id?: unknown };
    return typeof handle.id === 'string' ? (handle as { id: string; name: string; type: string; size: number }) : undefined;
  } catch {
    return undefined;
  }
}

export const sameRaw = (a: Raw, b: Raw): boolean => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);
