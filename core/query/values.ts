import type { Field } from '../schema/module.js';
import type { Scalar } from './ast.js';

/**
 * Converts a filter value to what the column stores, the same on both dialects: booleans as
 * 0/1, dates as `YYYY-MM-DD`, date-times as UTC `YYYY-MM-DD HH:MM:SS.sss` (text-comparable on
 * SQLite, a DATETIME literal on MySQL). Returns an error message for a value of the wrong type.
 */
export function toStored(field: Field, value: unknown): { value: Scalar } | { error: string } {
  if (value === null) return { value: null };
  switch (field.kind) {
    case 'integer':
    case 'ref':
      return Number.isSafeInteger(toNumber(value)) ? { value: toNumber(value) } : { error: 'must be an integer' };
    case 'number':
      return Number.isFinite(toNumber(value)) ? { value: toNumber(value) } : { error: 'must be a number' };
    case 'boolean':
      if (value === true || value === 'true' || value === 1) return { value: 1 };
      if (value === false || value === 'false' || value === 0) return { value: 0 };
      return { error: 'must be true or false' };
    case 'date': {
      const d = parseDate(value);
      return d ? { value: d.toISOString().slice(0, 10) } : { error: 'must be a date (YYYY-MM-DD)' };
    }
    case 'datetime': {
      const d = parseDate(value);
      return d ? { value: storedDateTime(d) } : { error: 'must be a date-time (ISO 8601)' };
    }
    case 'string':
    case 'text':
    case 'enum':
      return typeof value === 'string' || typeof value === 'number' ? { value: String(value) } : { error: 'must be text' };
    case 'json':
    case 'file':
    case 'password':
      return { error: 'cannot be compared' };
  }
}

export const storedDateTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

function parseDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string') return undefined;
  // Date-only strings are midnight UTC; others must be full ISO 8601 date-times.
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(iso)) return undefined;
  // A day the calendar lacks (2021-02-29) is refused: Date would quietly roll it into March.
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(0);
  calendar.setUTCFullYear(year, month - 1, day);
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const withT = iso.replace(' ', 'T');
  const d = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(withT) ? withT : `${withT}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
