import type { Field } from '../schema/module.js';
import type { FieldRef } from '../query/ast.js';
import type { Row } from '../db/database.js';
import { roundToScale } from './encode.js';

/** One stored value as the API returns it: booleans, ISO date-times in UTC, parsed JSON. */
export function decodeValue(field: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case 'boolean':
      return value === true || value === 1 || value === '1';
    case 'integer':
    case 'ref':
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'datetime':
      return toIso(value);
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'json':
    case 'file':
      try {
        return typeof value === 'string' ? JSON.parse(value) : value;
      } catch {
        return null;
      }
    case 'password':
      return undefined;
    default:
      return value;
  }
}

/** MariaDB's DATETIME(3) text, as the engine stores it (UTC, always valid): ISO by rearranging. */
const STORED_DATETIME = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]) (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}$/;

function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  // The common case without a Date: every record has two or more of them (the million-row benchmark's Q4 profile).
  if (STORED_DATETIME.test(text)) return `${text.slice(0, 10)}T${text.slice(11)}Z`;
  // `2025-01-02 03:04:05.678` (stored UTC) or sequelize's `… +00:00` on SQLite.
  const d = new Date(/Z|[+-]\d\d:?\d\d$/.test(text) ? text.replace(' ', 'T').replace(' ', '') : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

/**
 * Shapes a result row keyed by paths (`number`, `customer.id`, `customer.name`) into a record:
 * a reference with embedded fields becomes an object `{ id, name }`, or null when absent.
 */
export function decodeRow(row: Row, columns: readonly FieldRef[], fieldOf: (ref: FieldRef) => Field): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const ref of columns) {
    const key = ref.refs.length === 0 ? ref.field : [...ref.refs, ref.field].join('.');
    const value = decodeValue(fieldOf(ref), row[key]);
    if (value === undefined) continue;
    if (ref.refs.length === 0) {
      if (!(ref.field in out) || typeof out[ref.field] !== 'object' || out[ref.field] === null) out[ref.field] = value;
      continue;
    }
    let target = out;
    let absent = false;
    for (let i = 0; i < ref.refs.length; i++) {
      const name = ref.refs[i]!;
      const idKey = [...ref.refs.slice(0, i + 1), 'id'].join('.');
      if (row[idKey] === null || row[idKey] === undefined) {
        if (!(name in target) || typeof target[name] !== 'object') target[name] = null;
        absent = true;
        break;
      }
      if (typeof target[name] !== 'object' || target[name] === null) target[name] = {};
      target = target[name] as Record<string, unknown>;
    }
    if (!absent) target[ref.field] = value;
  }
  return out;
}

/**
 * A sum or average of a stored field as the API returns it. SQLite adds DECIMAL columns as
 * floats (0.1 + 0.2 = 0.30000000000000004) where MySQL is exact; rounding to what MySQL returns
 * (the field's scale, 4 more digits for an average: div_precision_increment) gives one answer.
 */
export function decodeSum(fn: 'sum' | 'avg', field: Field, value: unknown): number {
  const scale = field.kind === 'number' ? (field.scale ?? 4) : 0;
  return roundToScale(Number(value), fn === 'avg' ? scale + 4 : scale);
}
